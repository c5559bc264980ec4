import { orderFacts, type OrderFact, type PriorRefundState } from "@/lib/domain";
import type { WebhookOrder } from "@/lib/webhook/events";

/**
 * An order snapshot's facts as the orders row stores them: a fact the sender left out or listed in unknownFacts is
 * unknown (stored null, or "unknown" for the prior refund, and named in unknown_facts), so no rule acts on it (docs/platforms/order-facts.md).
 */
export function toOrderFactColumns(order: WebhookOrder): { completedAtMs: number | null; receivedAtMs: number | null; shippedAtMs: number | null; priorRefund: PriorRefundState; unknownFacts: OrderFact[] } {
  const unknown = new Set<OrderFact>(order.unknownFacts ?? []);
  const instant = (value: string | null | undefined, fact: OrderFact) => {
    if (value === undefined) unknown.add(fact);
    return value && !unknown.has(fact) ? Date.parse(value) : null;
  };
  const completedAtMs = instant(order.completedAt, "completed");
  const receivedAtMs = instant(order.receivedAt, "received");
  const shippedAtMs = instant(order.shippedAt, "shipped");
  if (order.priorRefund === undefined) unknown.add("prior_refund");
  return { completedAtMs, receivedAtMs, shippedAtMs, priorRefund: unknown.has("prior_refund") ? "unknown" : (order.priorRefund ?? "unknown"), unknownFacts: orderFacts.filter((fact) => unknown.has(fact)) };
}
