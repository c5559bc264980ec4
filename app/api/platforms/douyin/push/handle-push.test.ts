import { beforeEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { deliverDueDecisions } from "@/app/_server/outbox-sender";
import { answerOnPlatform } from "@/app/_server/platforms/answers";
import { douyinAdapter } from "@/app/_server/platforms/douyin-adapter";
import { type Db } from "@/db/client";
import { openTestDbForTest } from "@/db/test-db";
import { createMerchant, createShop, createUser } from "@/db/factories";
import { getNativeRefund, getPlatformAppForShop, storeRejectReasons, upsertPlatformApp } from "@/db/queries/platforms";
import { getSendLeaseMs } from "@/db/queries/outbox";
import { getRequestCard } from "@/db/queries/requests";
import { decideRequest } from "@/db/workflows/decide";
import { getScope, type Scope } from "@/db/queries/users";
import { orders, requests } from "@/db/schema";
import { outbox, webhookEvents } from "@/db/schema-webhooks";
import { isPlatformIntervening } from "@/lib/platform-intervention";
import { FakeDouyin } from "@/scripts/fake-platforms/douyin";
import { countingBody, postStream } from "@/app/_server/read-body.fixture";
import { handleDouyinPush } from "./handle-push";

const now = new Date("2026-11-20T02:00:00.000Z");
const nowS = Math.floor(now.getTime() / 1000);
const app = { appKey: "7123456789012345678", appSecret: "unit-secret-douyin", shopId: "10437917" };

let db: Db;
let shopId: string;
let owner: Scope;
let platform: FakeDouyin;

const deps = () => ({ fetch: platform.fetch, now: () => now, timeoutMs: 1_000 });

function post(push: { body: string; headers: Record<string, string> }) {
  return handleDouyinPush(db, new Request("http://desk/api/platforms/douyin/push", { method: "POST", headers: push.headers, body: push.body }), deps());
}

async function cardOf(aftersaleId: string) {
  const [row] = await db.select().from(requests).where(eq(requests.platformRequestId, aftersaleId));
  return row;
}

beforeEach(async () => {
  db = await openTestDbForTest();
  const merchant = await createMerchant(db, "A");
  shopId = await createShop(db, { merchantId: merchant, platform: "douyin", name: "A 抖店" });
  owner = (await getScope(db, await createUser(db, { merchantId: merchant, name: "老板", email: "o@a.test", role: "owner" })))!;
  platform = new FakeDouyin(app);
  await upsertPlatformApp(
    db,
    { shopId, protocol: "douyin_push", appKey: app.appKey, appSecret: app.appSecret, platformShopId: app.shopId, apiBaseUrl: "http://fake-douyin", settings: { returnAddressId: "700001" } },
    now,
  );
});

describe("POST /api/platforms/douyin/push", () => {
  it("stores a signed RefundCreated with its detail as a card, 19-digit ids exact", async () => {
    const record = platform.addAftersale({ aftersaleId: "7301500100200300401", applyTimeS: nowS - 60, updateTimeS: nowS - 60 }, nowS);
    const response = await post(platform.buildPush(200, record));
    expect(await response.json()).toEqual({ code: 0, msg: "success" });
    const card = await cardOf("7301500100200300401");
    expect(card).toMatchObject({ kind: "refund_only", status: "pending", amountFen: 3990, reasonCode: "quality_issue", reasonText: "收到时有破损" });
    expect(card.platformDeadline?.getTime()).toBe((nowS + 48 * 3600) * 1000);
    expect(platform.detailFetches).toEqual(["7301500100200300401"]);
  });

  it("the created card's order carries the sub-order's facts from /order/orderDetail, /afterSale/List and the category names", async () => {
    const record = platform.addAftersale({ aftersaleId: "7301500100200300411", applyTimeS: nowS - 60, updateTimeS: nowS - 60, shipTimeS: nowS - 86_400, logisticsReceiptTimeS: nowS - 3600 }, nowS);
    platform.addAftersale({ aftersaleId: "7301500100200300412", orderId: record.orderId, skuOrderId: record.skuOrderId, status: 12, refundStatus: 3 }, nowS);
    expect(await (await post(platform.buildPush(200, record))).json()).toEqual({ code: 0, msg: "success" });
    const [order] = await db.select().from(orders).where(eq(orders.platformOrderId, record.orderId));
    expect(order).toMatchObject({ category: "fresh_food", priorRefund: "succeeded", completedAt: null, unknownFacts: [], subOrderId: record.skuOrderId });
    expect(order.shippedAt?.getTime()).toBe((nowS - 86_400) * 1000);
    expect(order.receivedAt?.getTime()).toBe((nowS - 3600) * 1000);
  });

  it("if the order API fails the card is stored anyway, its facts marked unknown (未发货仅退款 still known not shipped)", async () => {
    platform.failures.set("order.orderDetail", { httpStatus: 503 });
    platform.failures.set("afterSale.List", { httpStatus: 503 });
    const record = platform.addAftersale({ aftersaleId: "7301500100200300413", type: 2 }, nowS);
    expect(await (await post(platform.buildPush(200, record))).json()).toEqual({ code: 0, msg: "success" });
    const [order] = await db.select().from(orders).where(eq(orders.platformOrderId, record.orderId));
    expect(order).toMatchObject({ shippedAt: null, receivedAt: null, completedAt: null, unknownFacts: ["category", "prior_refund"] });
  });

  it("a bad sign is answered code 1 and stores nothing", async () => {
    const record = platform.addAftersale({ aftersaleId: "7301500100200300402" }, nowS);
    const push = platform.buildPush(200, record);
    const response = await post({ ...push, headers: { ...push.headers, "event-sign": "0".repeat(32) } });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: 1 });
    expect(await db.select().from(webhookEvents)).toEqual([]);
  });

  it.each([
    // [label, chunks, chunk bytes, status, chunks pulled at most]
    ["8 MiB chunked: 413 in Douyin's shape once 256 KiB is passed, the rest never pulled", 128, 64 * 1024, 413, 5],
    ["256 KiB + 1 byte chunked: 413", 2, 128 * 1024 + 1, 413, 2],
    ["exactly 256 KiB chunked: read and judged (unsigned: 401)", 4, 64 * 1024, 401, 4],
  ])("%s", async (_label, chunks, chunkBytes, status, maxPulled) => {
    const { stream, seen } = countingBody(chunks, chunkBytes);
    const response = await handleDouyinPush(db, postStream("http://desk/api/platforms/douyin/push", stream, { "app-id": app.appKey, "event-sign": "0".repeat(32) }), deps());
    expect(response.status).toBe(status);
    expect(await response.json()).toMatchObject({ code: 1 });
    expect(seen.pulled).toBeLessThanOrEqual(maxPulled);
    expect(response.headers.get("connection")).toBe(status === 413 ? "close" : null);
    expect(await db.select().from(webhookEvents)).toEqual([]);
  });

  it("a declared Content-Length over 256 KiB: 413 before a byte is read", async () => {
    const { stream, seen } = countingBody(128, 64 * 1024);
    const response = await handleDouyinPush(db, postStream("http://desk/api/platforms/douyin/push", stream, { "content-length": String(8 * 1024 * 1024) }), deps());
    expect([response.status, seen.pulled]).toEqual([413, 0]);
    expect(await response.json()).toEqual({ code: 1, msg: "body too large" });
  });

  it("a redelivered message is acknowledged by its msg_id without a second detail fetch or event", async () => {
    const record = platform.addAftersale({ aftersaleId: "7301500100200300403" }, nowS);
    const push = platform.buildPush(200, record);
    await post(push);
    const again = await post(push);
    expect(await again.json()).toEqual({ code: 0, msg: "success" });
    expect(platform.detailFetches).toHaveLength(1);
    expect(await db.select().from(webhookEvents)).toHaveLength(1);
  });

  it("the same state under a new msg_id dedupes on (refund id, status, version)", async () => {
    const record = platform.addAftersale({ aftersaleId: "7301500100200300404" }, nowS);
    await post(platform.buildPush(200, record, "1111"));
    await post(platform.buildPush(200, record, "2222"));
    expect(await db.select().from(webhookEvents)).toHaveLength(1);
    expect(await db.select().from(requests)).toHaveLength(1);
  });

  it("a detail fetch that fails answers code 1, so Douyin redelivers and the retry stores it", async () => {
    const record = platform.addAftersale({ aftersaleId: "7301500100200300405" }, nowS);
    const push = platform.buildPush(200, record);
    platform.aftersales.delete(record.aftersaleId);
    expect(await (await post(push)).json()).toMatchObject({ code: 1 });
    platform.aftersales.set(record.aftersaleId, record);
    expect(await (await post(push)).json()).toEqual({ code: 0, msg: "success" });
    expect(await cardOf(record.aftersaleId)).toBeDefined();
  });

  it("209 moves the card's platform deadline; 207 closes an open card", async () => {
    const record = platform.addAftersale({ aftersaleId: "7301500100200300406" }, nowS);
    await post(platform.buildPush(200, record));
    record.statusDeadlineS = nowS + 72 * 3600;
    await post(platform.buildPush(209, record));
    expect((await cardOf(record.aftersaleId)).platformDeadline?.getTime()).toBe((nowS + 72 * 3600) * 1000);
    record.status = 28;
    record.updateTimeS += 10;
    await post(platform.buildPush(207, record));
    expect((await cardOf(record.aftersaleId)).status).toBe("cancelled");
  });
});

describe("answers through the outbox", () => {
  async function decide(aftersaleId: string, input: Parameters<typeof decideRequest>[3]) {
    const card = await cardOf(aftersaleId);
    expect((await decideRequest(db, owner, card.id, input, now)).ok).toBe(true);
    // Past the undo window
    return deliverDueDecisions(db, { ...deps(), random: () => 0.5, now: () => new Date(now.getTime() + 60_000) });
  }

  it("approving a refund-only makes the platform receive operate type 201 with its update_time", async () => {
    const record = platform.addAftersale({ aftersaleId: "7301500100200300407" }, nowS);
    await post(platform.buildPush(200, record));
    expect(await decide(record.aftersaleId, { decision: "approve" })).toMatchObject({ delivered: 1 });
    expect(platform.operations).toEqual([expect.objectContaining({ type: 201, aftersaleId: record.aftersaleId, accepted: true })]);
    expect(record.status).toBe(12);
    const [row] = await db.select().from(outbox);
    expect(row.status).toBe("delivered");
  });

  it("approving a return sends 101 with the return address; a resend after the platform moved on is not sent again", async () => {
    const record = platform.addAftersale({ aftersaleId: "7301500100200300408", type: 0 }, nowS);
    await post(platform.buildPush(200, record));
    await decide(record.aftersaleId, { decision: "approve" });
    expect(platform.operations).toEqual([expect.objectContaining({ type: 101, accepted: true, item: expect.objectContaining({ logistics: { receiver_address_id: 700001 } }) })]);
    record.updateTimeS += 5;
    await post(platform.buildPush(202, record));
    expect((await getNativeRefund(db, shopId, record.aftersaleId))?.status).toBe("7");
    // As after a lost response: the row is tried again once the first pass's lease is over (none on SQLite, one on
    // PostgreSQL, db/queries/outbox.ts), and the platform's state already shows the answer
    await db.update(outbox).set({ status: "pending" }).where(eq(outbox.status, "delivered"));
    const afterLease = new Date(now.getTime() + 60_000 + getSendLeaseMs());
    expect(await deliverDueDecisions(db, { ...deps(), random: () => 0.5, now: () => afterLease })).toMatchObject({ delivered: 1 });
    expect(platform.operations).toHaveLength(1);
  });

  it("a rejection (the outbox's platform leg) carries the platform's reject_reason_code and reason text and the agent's remark", async () => {
    const record = platform.addAftersale({ aftersaleId: "7301500100200300409", type: 0 }, nowS);
    await post(platform.buildPush(200, record));
    // The shop's cached list (reject-reasons.ts reads it through douyinAdapter.fetchRejectReasons)
    await storeRejectReasons(db, shopId, "return_refund", await douyinAdapter.fetchRejectReasons(deps(), (await getPlatformAppForShop(db, shopId))!, "return_refund"), now);
    const payload = { id: "dec_7301500100200300409", type: "decision.made", occurredAt: now.toISOString(), data: { requestId: record.aftersaleId, orderId: record.orderId, decision: "reject", amountFen: 3990, reasonCode: "3", message: "订单已超出售后期限，无法退货。" } };
    const outcome = await answerOnPlatform(db, { id: 1, shopId, idempotencyKey: payload.id, payload: JSON.stringify(payload), attempts: 0, endpointUrl: null, secret: null }, deps());
    expect(outcome).toEqual({ ok: true, detail: "1 call(s)" });
    expect(platform.operations).toEqual([
      expect.objectContaining({ type: 102, accepted: true, rejectReasonCode: 3, reason: "已超出售后期", item: expect.objectContaining({ remark: "订单已超出售后期限，无法退货。" }) }),
    ]);
  });

  it("an answer the platform refuses is not retried: the card goes back to the agents with its reason", async () => {
    const record = platform.addAftersale({ aftersaleId: "7301500100200300410" }, nowS);
    await post(platform.buildPush(200, record));
    // The buyer's change on the platform that no push told us about: our update_time is stale
    record.updateTimeS += 30;
    expect(await decide(record.aftersaleId, { decision: "approve" })).toMatchObject({ refused: 1, retrying: 0 });
    expect(platform.operations).toEqual([expect.objectContaining({ type: 201, accepted: false })]);
    const [row] = await db.select().from(outbox);
    expect(row.status).toBe("refused");
    expect(row.lastError).toMatch(/售后单已更新/);
    const card = await getRequestCard(db, owner, (await cardOf(record.aftersaleId)).id);
    expect(card).toMatchObject({ status: "pending", decision: null });
    expect(card?.platformRefusal?.message).toMatch(/售后单已更新/);
  });

  it("a business error set on the fake (operateRefusal) reaches the card with the platform's sub_msg", async () => {
    const record = platform.addAftersale({ aftersaleId: "7301500100200300411" }, nowS);
    await post(platform.buildPush(200, record));
    platform.operateRefusal = { code: 50002, msg: "业务处理失败", sub_msg: "售后单已进入平台仲裁，商家暂不可操作" };
    expect(await decide(record.aftersaleId, { decision: "approve" })).toMatchObject({ refused: 1 });
    expect(platform.operations).toEqual([expect.objectContaining({ type: 201, aftersaleId: record.aftersaleId, accepted: false })]);
    expect(record.status).toBe(6);
    const card = await getRequestCard(db, owner, (await cardOf(record.aftersaleId)).id);
    expect(card?.status).toBe("pending");
    expect(card?.platformRefusal?.message).toContain("售后单已进入平台仲裁，商家暂不可操作");
  });

  it("operateRefusal makes the platform answer a business error, which is not delivered", async () => {
    platform.operateRefusal = { code: 50002, msg: "业务处理失败", sub_msg: "暂不支持通过OPEN处理，请登录抖店后台人工审核售后单" };
    const record = platform.addAftersale({ aftersaleId: "7301500100200300414" }, nowS);
    await post(platform.buildPush(200, record));
    expect(await decide(record.aftersaleId, { decision: "approve" })).toMatchObject({ delivered: 0 });
    const [row] = await db.select().from(outbox);
    // The owner's delivery log keeps the platform's code; the agent's card shows its words alone
    expect(row.lastError).toBe("50002:isv.business-failed:11005: 暂不支持通过OPEN处理，请登录抖店后台人工审核售后单");
    const card = await getRequestCard(db, owner, (await cardOf(record.aftersaleId)).id);
    expect(card?.platformRefusal?.message).toBe("暂不支持通过OPEN处理，请登录抖店后台人工审核售后单");
  });

  it("arbitration (212, then 216 ruled) sets and settles the card's platform intervention state", async () => {
    const record = platform.addAftersale({ aftersaleId: "7301500100200300499" }, nowS);
    await post(platform.buildPush(200, record));
    const cardId = (await cardOf(record.aftersaleId)).id;
    expect((await getRequestCard(db, owner, cardId))?.platformIntervention).toBeNull();
    record.updateTimeS += 60;
    expect(await (await post(platform.buildPush(212, record))).json()).toEqual({ code: 0, msg: "success" });
    const intervening = (await getRequestCard(db, owner, cardId))?.platformIntervention;
    expect([intervening, isPlatformIntervening(intervening)]).toEqual(["cs_handling", true]);
    record.updateTimeS += 60;
    record.arbitrateStatus = 3;
    await post(platform.buildPush(216, record));
    const ruled = (await getRequestCard(db, owner, cardId))?.platformIntervention;
    expect([ruled, isPlatformIntervening(ruled)]).toEqual(["ruled_for_seller", false]);
  });
});
