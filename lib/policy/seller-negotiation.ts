import type { RequestKind } from "@/lib/domain";
import { isRequestAfterReceipt } from "@/lib/policy/goods-receipt";
import type { PolicyProfile } from "@/lib/policy/profiles";

export type CounterOffer = { kind: "partial_refund"; amountFen: number } | { kind: "return_refund" };

export type CounterOfferProblem =
  | { code: "not_negotiable"; requestKind: RequestKind }
  | { code: "amount_not_integer"; amountFen: number }
  | { code: "amount_not_positive"; amountFen: number }
  | { code: "amount_not_below_requested"; amountFen: number; requestedFen: number }
  | { code: "already_return_refund" };

export type CounterOfferCheck = { ok: true } | { ok: false; problems: CounterOfferProblem[] };

/** Taobao 2025: on refund-only after receipt the platform no longer steps in first; seller and buyer negotiate (docs/domain/negotiation.md). */
export function isSellerBuyerNegotiation(
  profile: Pick<PolicyProfile, "sellerBuyerNegotiation">,
  order: { receivedAt: Date | null },
  request: { kind: RequestKind; receivedAt: Date },
): boolean {
  return profile.sellerBuyerNegotiation !== null && request.kind === "refund_only" && isRequestAfterReceipt(order, request);
}

/** A counter-offer lowers a refund or turns refund-only into return & refund, so only money requests take one. */
export function canCounterOffer(request: { kind: RequestKind }): boolean {
  return request.kind === "refund_only" || request.kind === "return_refund";
}

/** A partial refund is whole fen, 0 < amount < requested; changing to return & refund only from refund-only. */
export function validateCounterOffer(
  request: { kind: RequestKind; amountFen: number },
  offer: CounterOffer,
): CounterOfferCheck {
  if (!canCounterOffer(request)) return { ok: false, problems: [{ code: "not_negotiable", requestKind: request.kind }] };
  const problems: CounterOfferProblem[] = [];
  if (offer.kind === "return_refund") {
    if (request.kind === "return_refund") problems.push({ code: "already_return_refund" });
  } else {
    const { amountFen } = offer;
    if (!Number.isInteger(amountFen)) problems.push({ code: "amount_not_integer", amountFen });
    if (!(amountFen > 0)) problems.push({ code: "amount_not_positive", amountFen });
    if (!(amountFen < request.amountFen)) {
      problems.push({ code: "amount_not_below_requested", amountFen, requestedFen: request.amountFen });
    }
  }
  return problems.length === 0 ? { ok: true } : { ok: false, problems };
}
