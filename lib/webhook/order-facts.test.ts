import { describe, expect, it } from "vitest";
import type { WebhookOrder } from "@/lib/webhook/events";
import { toWebhookPriorRefund, unknownOrderFacts } from "@/lib/platforms/order-facts";
import { toOrderFactColumns } from "@/lib/webhook/order-facts";

const base: WebhookOrder = { orderId: "1", category: "apparel", title: "t", amountFen: 100, supportedKinds: ["refund_only"] };

describe("toOrderFactColumns", () => {
  it("counts a fact left out as unknown, so no rule reads its null as 'not yet' nor its prior refund as none", () => {
    expect(toOrderFactColumns(base)).toEqual({ completedAtMs: null, receivedAtMs: null, shippedAtMs: null, priorRefund: "unknown", unknownFacts: ["shipped", "received", "completed", "prior_refund"] });
  });

  it("stores null as known-not-yet and instants as epoch ms", () => {
    const columns = toOrderFactColumns({ ...base, completedAt: null, receivedAt: null, shippedAt: "2026-11-11T09:00:00+08:00", priorRefund: "closed" });
    expect(columns).toEqual({ completedAtMs: null, receivedAtMs: null, shippedAtMs: Date.parse("2026-11-11T01:00:00Z"), priorRefund: "closed", unknownFacts: [] });
  });

  it("lets unknownFacts override a value sent beside it", () => {
    const columns = toOrderFactColumns({ ...base, completedAt: null, receivedAt: null, shippedAt: "2026-11-11T09:00:00+08:00", priorRefund: "succeeded", unknownFacts: ["shipped", "prior_refund"] });
    expect(columns.shippedAtMs).toBeNull();
    expect(columns.priorRefund).toBe("unknown");
    expect(columns.unknownFacts).toEqual(["shipped", "prior_refund"]);
  });

  it("a platform's unread prior refund stays unknown from the adapter to the stored column", () => {
    const facts = unknownOrderFacts();
    expect(facts.priorRefund).toBe("unknown");
    expect(toWebhookPriorRefund(facts)).toEqual({});
    expect(toWebhookPriorRefund({ priorRefund: "unknown", unknown: [] })).toEqual({});
    expect(toWebhookPriorRefund({ priorRefund: "succeeded", unknown: ["prior_refund"] })).toEqual({});
    expect(toWebhookPriorRefund({ priorRefund: "closed", unknown: [] })).toEqual({ priorRefund: "closed" });
    expect(toOrderFactColumns({ ...base, ...toWebhookPriorRefund(facts) }).priorRefund).toBe("unknown");
  });
});
