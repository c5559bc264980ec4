import { orderFacts, type PriorRefundState } from "@/lib/domain";
import type { OrderFacts } from "@/lib/platforms/types";

/** Nothing known yet: every fact unknown (the prior refund too, never "none"), so no rule acts on any of them. */
export function unknownOrderFacts(): OrderFacts {
  return { shippedAt: null, receivedAt: null, completedAt: null, category: "other", priorRefund: "unknown", subOrderId: null, unknown: [...orderFacts] };
}

/**
 * The prior refund as our order event carries it: left out when the platform could not tell (the ingest then stores
 * it as "unknown", lib/webhook/order-facts.ts), never sent as "none".
 */
export function toWebhookPriorRefund(facts: Pick<OrderFacts, "priorRefund" | "unknown">): { priorRefund?: Exclude<PriorRefundState, "unknown"> } {
  return facts.priorRefund === "unknown" || facts.unknown.includes("prior_refund") ? {} : { priorRefund: facts.priorRefund };
}
