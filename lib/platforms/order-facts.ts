import { orderFacts } from "@/lib/domain";
import type { OrderFacts } from "@/lib/platforms/types";

/** Nothing known yet: every fact unknown, so no rule acts on any of them. */
export function unknownOrderFacts(): OrderFacts {
  return { shippedAt: null, receivedAt: null, completedAt: null, category: "other", priorRefund: "none", subOrderId: null, unknown: [...orderFacts] };
}
