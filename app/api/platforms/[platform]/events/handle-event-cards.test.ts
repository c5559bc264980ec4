import { describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { createMerchant, createShop } from "@/db/factories";
import { saveRejectionEvidence } from "@/db/queries/decision-policy";
import { openTestDbForTest } from "@/db/test-db";
import { decideRequest } from "@/db/workflows/decide";
import { rotateShopSecret } from "@/db/queries/webhooks";
import { auditLog, orders, requests } from "@/db/schema";
import { outbox } from "@/db/schema-webhooks";
import { platformProposals } from "@/db/schema-policy";
import { at, cancelledEvent, createdEvent, deadlineEvent, now, requestId, secret, setUpEventDesk, updatedEvent } from "./handle-event.fixture";

// What accepted platform events make of cards and orders: the same result in any order, nothing reopened after a
// decision, and the order's facts and category. What the endpoint accepts and refuses: handle-event.test.ts

const { desk, post, getRequestRow } = setUpEventDesk();

describe("out of order: the same result as in order", () => {
  type Event = ReturnType<typeof createdEvent> | ReturnType<typeof cancelledEvent> | ReturnType<typeof updatedEvent> | ReturnType<typeof deadlineEvent>;

  async function projectionAfter(events: Event[]) {
    for (const event of events) expect((await post(event)).status).toBe(200);
    const row = await getRequestRow();
    return row && { status: row.status, amountFen: row.amountFen, platformDeadline: row.platformDeadline?.toISOString() ?? null };
  }

  it.each([
    ["create, cancel", [createdEvent("evt_a", 0), cancelledEvent("evt_b", 60)]],
    ["cancel before its create", [cancelledEvent("evt_b", 60), createdEvent("evt_a", 0)]],
    ["create, update", [createdEvent("evt_a", 0), updatedEvent("evt_b", 30, 5000)]],
    ["update before its create", [updatedEvent("evt_b", 30, 5000), createdEvent("evt_a", 0)]],
    ["an older update arriving late", [createdEvent("evt_a", 30), updatedEvent("evt_b", 0, 5000)]],
    ["deadlines in order", [createdEvent("evt_a", 0), deadlineEvent("evt_b", 10, at(7200)), deadlineEvent("evt_c", 20, at(3600))]],
    ["deadlines reversed", [deadlineEvent("evt_c", 20, at(3600)), deadlineEvent("evt_b", 10, at(7200)), createdEvent("evt_a", 0)]],
  ])("%s", async (_label, events) => {
    const outOfOrder = await projectionAfter(events as Event[]);
    desk.db = await openTestDbForTest();
    const merchant = await createMerchant(desk.db, "A");
    desk.tmall = await createShop(desk.db, { merchantId: merchant, platform: "tmall", name: "A 天猫店" });
    await rotateShopSecret(desk.db, desk.tmall, `${secret}-${desk.tmall}`, new Date(0));
    const sorted = [...(events as Event[])].sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt));
    expect(outOfOrder).toEqual(await projectionAfter(sorted));
    expect(outOfOrder).not.toBeNull();
  });

  it("a cancel alone shows no card; its create then shows a cancelled one, never a pending one", async () => {
    await post(cancelledEvent("evt_b", 60));
    expect(await getRequestRow()).toBeNull();
    await post(createdEvent("evt_a", 0));
    expect((await getRequestRow())!.status).toBe("cancelled");
  });

  it.each([
    ["an update", updatedEvent("evt_b", 30, 5000)],
    ["a cancel", cancelledEvent("evt_b", 30)],
    ["a deadline change", deadlineEvent("evt_b", 30, at(9000))],
  ])("%s after a decision does not reopen or change it, and queues nothing more", async (_label, event) => {
    await post(createdEvent("evt_a", 0));
    const row = (await getRequestRow())!;
    const decided = await decideRequest(desk.db, desk.owner, row.id, { decision: "approve" }, now);
    expect(decided.ok).toBe(true);
    expect((await post(event)).status).toBe(200);
    const after = (await getRequestRow())!;
    expect(after).toMatchObject({ status: "approved", decision: "approve", amountFen: 8900, version: row.version + 1 });
    expect(await desk.db.select().from(outbox)).toHaveLength(1);
  });

  it("an update while pending changes the card and writes an audit row", async () => {
    await post(createdEvent("evt_a", 0));
    await post(updatedEvent("evt_b", 30, 5000));
    const row = (await getRequestRow())!;
    expect(row.amountFen).toBe(5000);
    const audit = await desk.db.select().from(auditLog).where(and(eq(auditLog.requestId, row.id), eq(auditLog.action, "updated_by_platform")));
    expect(audit).toHaveLength(1);
  });

  it("an order.upserted newer than the create's snapshot wins, whichever arrives first", async () => {
    const upsert = {
      id: "evt_o",
      type: "order.upserted",
      occurredAt: at(60),
      data: { order: { ...createdEvent("x").data.order, title: "羊毛围巾 灰色（改）" } },
    };
    await post(upsert);
    await post(createdEvent("evt_a", 0));
    const [order] = await desk.db.select().from(orders);
    expect(order).toMatchObject({ title: "羊毛围巾 灰色（改）", buyerNick: "买家小王" });
    expect(await desk.db.select().from(orders)).toHaveLength(1);
  });

  it.each([
    ["create, proposal, resolution", ["create", "proposal", "resolved"]],
    ["resolution, proposal, create", ["resolved", "proposal", "create"]],
  ])("Douyin proposal %s: recorded once and resolved once", async (_label, order) => {
    const douyinEvents: Record<string, unknown> = {
      create: createdEvent("evt_a", 0, { kind: "refund_only" }),
      proposal: { id: "evt_p", type: "proposal.created", occurredAt: at(10), data: { requestId, proposalId: "p1", expiresAt: at(43_210) } },
      resolved: { id: "evt_r", type: "proposal.resolved", occurredAt: at(20), data: { requestId, proposalId: "p1", outcome: "rejected" } },
    };
    for (const step of order) expect((await post(douyinEvents[step], { shopId: desk.douyin, platform: "douyin" })).status).toBe(200);
    const proposals = await desk.db.select().from(platformProposals);
    expect(proposals).toHaveLength(1);
    expect(proposals[0]).toMatchObject({ shopId: desk.douyin, platformProposalId: "p1", outcome: "rejected" });
    const row = (await desk.db.select().from(requests).where(eq(requests.shopId, desk.douyin)))[0];
    const audit = await desk.db.select().from(auditLog).where(eq(auditLog.requestId, row.id));
    expect(audit.filter((entry) => entry.action === "proposal_rejected")).toHaveLength(1);
  });
});

describe("order facts and categories", () => {
  const receivedOrder = { receivedAt: "2026-11-19T10:00:00+08:00", shippedAt: "2026-11-17T10:00:00+08:00" };
  const proposal = { id: "evt_p", type: "proposal.created", occurredAt: at(10), data: { requestId, proposalId: "p1", expiresAt: at(43_210) } };
  const reject = { decision: "reject" as const, reasonCode: "fresh_no_return", message: "生鲜商品签收后不支持仅退款" };

  async function createDouyinCard(category: string) {
    const create = createdEvent("evt_a", 0, { kind: "refund_only", order: { ...createdEvent("x").data.order, ...receivedOrder, category } });
    expect((await post(create, { shopId: desk.douyin, platform: "douyin" })).status).toBe(200);
    expect((await post(proposal, { shopId: desk.douyin, platform: "douyin" })).status).toBe(200);
    const [row] = await desk.db.select().from(requests).where(eq(requests.shopId, desk.douyin));
    return row;
  }

  it("a webhook order with category 生鲜 is stored as fresh_food, and a Douyin proposal on it locks nothing", async () => {
    const row = await createDouyinCard("生鲜");
    const [order] = await desk.db.select().from(orders).where(eq(orders.id, row.orderId));
    expect(order.category).toBe("fresh_food");
    const result = await decideRequest(desk.db, desk.owner, row.id, reject, now);
    expect(result.ok).toBe(true);
  });

  it("the same proposal on an apparel order locks the card (the control for the test above)", async () => {
    const row = await createDouyinCard("服饰");
    const result = await decideRequest(desk.db, desk.owner, row.id, reject, now);
    expect(result).toMatchObject({ ok: false, code: "negotiation_lock" });
  });

  it("an unmapped category is kept verbatim, never silently other", async () => {
    await post(createdEvent("evt_a", 0, { order: { ...createdEvent("x").data.order, category: "汽车用品/车载电器" } }));
    const [order] = await desk.db.select().from(orders);
    expect(order.category).toBe("汽车用品/车载电器");
  });

  it.each([
    ["shipping left out (unknown)", {}, true],
    ["shipped", { shippedAt: "2026-11-17T10:00:00+08:00" }, true],
    ["not shipped (null)", { shippedAt: null }, false],
  ])("a Tmall 仅退款 with %s: refusable = %s", async (_label, facts, isRefusable) => {
    const order = { ...createdEvent("x").data.order, ...facts };
    await post(createdEvent("evt_a", 0, { kind: "refund_only", order }));
    const [row] = await desk.db.select().from(requests);
    const proof = await saveRejectionEvidence(desk.db, { shopId: desk.tmall, name: "签收.jpg", mimeType: "image/jpeg", bytes: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]) });
    const result = await decideRequest(desk.db, desk.owner, row.id, { decision: "reject", reasonCode: "no_quality_issue", message: "商品无质量问题，签收完好", evidenceIds: [proof.id] }, now);
    if (isRefusable) expect(result.ok).toBe(true);
    else expect(result).toMatchObject({ ok: false, code: "not_rejectable", rules: ["refund_only_unshipped"] });
    const [stored] = await desk.db.select().from(orders);
    expect(stored.unknownFacts.includes("shipped")).toBe(!("shippedAt" in facts));
  });
});
