// The vocabulary of the desk, shared by server and client. Labels live in messages/*.json.

export const platforms = ["taobao", "tmall", "douyin", "wechat"] as const;
export type Platform = (typeof platforms)[number];

export const requestKinds = ["refund_only", "return_refund", "exchange", "repair", "entry_reopen"] as const;
export type RequestKind = (typeof requestKinds)[number];

/** The four kinds a buyer can file once the after-sales entry is open (docs/domain/kinds.md). */
export const afterSalesKinds = ["refund_only", "return_refund", "exchange", "repair"] as const;
export type AfterSalesKind = (typeof afterSalesKinds)[number];

export const requestStatuses = ["pending", "approved", "rejected", "cancelled"] as const;
export type RequestStatus = (typeof requestStatuses)[number];

export const decisions = ["approve", "reject"] as const;
export type Decision = (typeof decisions)[number];

export const roles = ["owner", "agent"] as const;
export type Role = (typeof roles)[number];

/** What an order's earlier after-sales refund came to, as a platform can tell it (the webhook contract's values). */
export const knownPriorRefundStates = ["none", "succeeded", "closed"] as const;
/** As stored: "unknown" when the platform could not tell, so no rule reads it as "none" (docs/platforms/order-facts.md). */
export const priorRefundStates = [...knownPriorRefundStates, "unknown"] as const;

/** Facts about an order the rules read; a platform may be unable to tell any of them (docs/platforms/order-facts.md). */
export const orderFacts = ["shipped", "received", "completed", "category", "prior_refund"] as const;
export type OrderFact = (typeof orderFacts)[number];
export type PriorRefundState = (typeof priorRefundStates)[number];

export function statusForDecision(decision: Decision): Extract<RequestStatus, "approved" | "rejected"> {
  return decision === "approve" ? "approved" : "rejected";
}
