// Reasons a buyer gives for an after-sales request, as the platforms list them. The words shown on the card are in
// the messages files (`buyerReason.<code>`); a reason no platform mapping knows keeps its own text as the code.
export const buyerReasonCodes = [
  "quality_issue",
  "size_mismatch",
  "not_as_described",
  "damaged_in_transit",
  "no_reason_7d",
  "wrong_item",
  "missing_parts",
  "not_received",
  "changed_mind",
  "spoiled",
  "dead_on_arrival",
  "late_problem",
  "needs_repair",
] as const;

export type BuyerReasonCode = (typeof buyerReasonCodes)[number];

export function isBuyerReasonCode(code: string): code is BuyerReasonCode {
  return (buyerReasonCodes as readonly string[]).includes(code);
}
