import sharp from "sharp";
import { beforeEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { deliverDueDecisions } from "@/app/_server/outbox-sender";
import { consumeOnce } from "@/app/_server/platforms/tmc-consumer";
import { type Db } from "@/db/client";
import { openTestDbForTest } from "@/db/test-db";
import { createMerchant, createShop, createUser } from "@/db/factories";
import { getCachedRejectReasons, getNativeRefund, listConsumerApps, upsertPlatformApp } from "@/db/queries/platforms";
import { getRejectReasonListKey } from "@/lib/platforms/reject-reasons";
import { getRequestCard } from "@/db/queries/requests";
import { decideRequest } from "@/db/workflows/decide";
import { getScope, type Scope } from "@/db/queries/users";
import { evidenceFiles, orders, requests } from "@/db/schema";
import { outbox, webhookEvents } from "@/db/schema-webhooks";
import { clearTaobaoCategoryCache } from "@/app/_server/platforms/taobao-adapter";
import { newId } from "@/lib/ids";
import { FakeTaobao, sniffImage } from "@/scripts/fake-platforms/taobao";

const now = new Date("2026-11-20T02:05:00.000Z");
const app = { appKey: "12497914", appSecret: "unit-secret-taobao", sellerNick: "demo_shop" };

let db: Db;
let owner: Scope;
let shopId: string;
let top: FakeTaobao;

async function setUp(isTmall: boolean) {
  clearTaobaoCategoryCache();
  db = await openTestDbForTest();
  const merchant = await createMerchant(db, "A");
  shopId = await createShop(db, { merchantId: merchant, platform: isTmall ? "tmall" : "taobao", name: "A 店" });
  owner = (await getScope(db, await createUser(db, { merchantId: merchant, name: "老板", email: "o@a.test", role: "owner" })))!;
  top = new FakeTaobao({ ...app, isTmall });
  await upsertPlatformApp(
    db,
    { shopId, protocol: "taobao_tmc", appKey: app.appKey, appSecret: app.appSecret, platformShopId: app.sellerNick, apiBaseUrl: "http://fake-top/router/rest", accessToken: "sess", consumerEnabled: true, settings: { isTmall } },
    now,
  );
}

const deps = (at = now) => ({ fetch: top.fetch, now: () => at, timeoutMs: 1_000 });
const consume = async () => consumeOnce(db, (await listConsumerApps(db, "taobao_tmc"))[0], deps());
const cardOf = async (refundId: string) => (await db.select().from(requests).where(eq(requests.platformRequestId, refundId)))[0];
const orderOf = async (tid: string) => (await db.select().from(orders).where(eq(orders.platformOrderId, tid)))[0];

describe("TMC consumer (HTTP consume/confirm)", () => {
  beforeEach(() => setUp(false));

  it("stores a RefundCreated with refund.get's status, reason and deadline, then confirms it", async () => {
    top.addRefund({ refundId: "231500112233445566" });
    top.publish("taobao_refund_RefundCreated", "231500112233445566");
    expect(await consume()).toEqual({ stored: 1, duplicates: 0, failed: 0, ignored: 0 });
    expect(await cardOf("231500112233445566")).toMatchObject({ kind: "refund_only", amountFen: 5990, reasonCode: "quality_issue", reasonText: "开线了" });
    expect((await cardOf("231500112233445566")).platformDeadline?.toISOString()).toBe("2026-11-22T02:02:10.000Z");
    expect(top.queue).toEqual([]);
  });

  it("the card's order carries trade.fullinfo.get's facts: shipped, category by its top-level cid, received and prior after-sales unknown", async () => {
    const refund = top.addRefund({ refundId: "231500112233445572" });
    top.publish("taobao_refund_RefundCreated", refund.refundId);
    await consume();
    expect(await orderOf(refund.tid)).toMatchObject({ category: "apparel", shippedAt: new Date("2026-11-18T01:30:00.000Z"), completedAt: null, subOrderId: refund.oid, unknownFacts: ["received", "prior_refund"] });
    // The shop's reject reasons for 仅退款 are read with the refund, kept for its type, phase and state (Taobao lists them per refund)
    const native = await getNativeRefund(db, shopId, refund.refundId);
    expect(getRejectReasonListKey("refund_only", native)).toBe("refund_only|REFUND|aftersale|WAIT_SELLER_AGREE");
    expect((await getCachedRejectReasons(db, shopId, getRejectReasonListKey("refund_only", native)))?.reasons.map((reason) => reason.id)).toEqual(["4001", "4002"]);
  });

  it("when the order API fails the card is stored anyway with every fact unknown; a later message fills them in", async () => {
    const refund = top.addRefund({ refundId: "231500112233445573" });
    top.publish("taobao_refund_RefundCreated", refund.refundId);
    top.failNext({ kind: "isp", method: "taobao.trade.fullinfo.get" });
    expect(await consume()).toMatchObject({ stored: 1, failed: 0 });
    expect(await orderOf(refund.tid)).toMatchObject({ category: "类目未知", shippedAt: null, unknownFacts: ["shipped", "received", "completed", "category", "prior_refund"] });
    Object.assign(refund, { refundFeeYuan: "29.95", refundVersion: 1763604190000, modified: "2026-11-20 10:03:10" });
    top.publish("taobao_refund_RefundBuyerModifyAgreement", refund.refundId);
    expect(await consume()).toMatchObject({ stored: 1 });
    expect(await orderOf(refund.tid)).toMatchObject({ category: "apparel", shippedAt: new Date("2026-11-18T01:30:00.000Z"), unknownFacts: ["received", "prior_refund"] });
  });

  it("a message that fails is not confirmed, so TMC redelivers it; the redelivery is stored once", async () => {
    const refund = top.addRefund({ refundId: "231500112233445567" });
    top.publish("taobao_refund_RefundCreated", refund.refundId);
    // refund.get fails on the first pull
    top.refunds.delete(refund.refundId);
    expect(await consume()).toMatchObject({ failed: 1, stored: 0 });
    expect(top.queue).toHaveLength(1);
    top.refunds.set(refund.refundId, refund);
    expect(await consume()).toMatchObject({ stored: 1 });
    expect(top.queue).toEqual([]);
    expect(await db.select().from(requests)).toHaveLength(1);
  });

  it("the same message id delivered twice is confirmed without a second refund.get", async () => {
    top.addRefund({ refundId: "231500112233445568" });
    const message = top.publish("taobao_refund_RefundCreated", "231500112233445568");
    await consume();
    top.queue.push(message);
    expect(await consume()).toMatchObject({ duplicates: 1, stored: 0 });
    expect(top.calls.filter((call) => call.method === "taobao.refund.get")).toHaveLength(1);
    // request.created, the order snapshot of its facts, deadline.changed
    expect((await db.select().from(webhookEvents)).map((event) => event.type)).toEqual(["request.created", "order.upserted", "deadline.changed"]);
  });

  it("TaobaoInterApplied puts the card in the platform-intervening state", async () => {
    top.addRefund({ refundId: "231500112233445571" });
    top.publish("taobao_refund_RefundCreated", "231500112233445571");
    await consume();
    top.publish("taobao_refund_TaobaoInterApplied", "231500112233445571");
    expect(await consume()).toMatchObject({ stored: 1 });
    const card = await getRequestCard(db, owner, (await cardOf("231500112233445571")).id);
    expect(card?.platformIntervention).toBe("applied");
  });

  it("approving sends rp.refunds.agree with refund_id|fen|version|phase, which the fake TOP accepts", async () => {
    top.addRefund({ refundId: "231500112233445569" });
    top.publish("taobao_refund_RefundCreated", "231500112233445569");
    await consume();
    const card = await cardOf("231500112233445569");
    expect((await decideRequest(db, owner, card.id, { decision: "approve" }, now)).ok).toBe(true);
    expect(await deliverDueDecisions(db, { ...deps(new Date(now.getTime() + 60_000)), random: () => 0.5 })).toMatchObject({ delivered: 1 });
    expect(top.calls.at(-1)).toMatchObject({ method: "taobao.rp.refunds.agree", accepted: true, params: { refund_infos: "231500112233445569|5990|1763604130000|aftersale" } });
  });
});

describe("Tmall refusal", () => {
  beforeEach(() => setUp(true));

  it("refund.refuse goes out with the desk's photo converted to a JPEG ≤ 130,000 bytes, the platform's reason id and phase/version", async () => {
    top.addRefund({ refundId: "231500112233445570", disputeType: "REFUND_AND_RETURN" });
    top.publish("taobao_refund_RefundCreated", "231500112233445570");
    await consume();
    const card = await cardOf("231500112233445570");
    const evidenceId = newId("evd");
    const photo = await sharp({ create: { width: 1200, height: 900, channels: 3, background: "#808080", noise: { type: "gaussian", mean: 128, sigma: 60 } } }).png().toBuffer();
    expect(photo.byteLength).toBeGreaterThan(800_000);
    await db.insert(evidenceFiles).values({ id: evidenceId, shopId, name: "proof.png", mimeType: "image/png", bytes: photo });
    // The agent picks one of the platform's reasons, cached as the refund arrived
    const decided = await decideRequest(db, owner, card.id, { decision: "reject", reasonCode: "4001", message: "商品已使用，影响二次销售。", evidenceIds: [evidenceId] }, now);
    expect(decided.ok).toBe(true);
    expect(await deliverDueDecisions(db, { ...deps(new Date(now.getTime() + 60_000)), random: () => 0.5 })).toMatchObject({ delivered: 1 });
    const call = top.calls.at(-1)!;
    expect(call).toMatchObject({ method: "taobao.refund.refuse", accepted: true, hasProof: true, params: { refuse_reason_id: "4001", refund_phase: "aftersale", refund_version: "1763604130000" } });
    expect(call.proof!.bytes.byteLength).toBeLessThanOrEqual(130_000);
    expect(sniffImage(call.proof!.bytes)).toBe("jpeg");
    expect((await db.select().from(outbox))[0].status).toBe("delivered");
  });

  it("a reason that is not the platform's is refused by the desk before it says 已拒绝: no outbox row, no call to TOP", async () => {
    top.addRefund({ refundId: "231500112233445571" });
    top.publish("taobao_refund_RefundCreated", "231500112233445571");
    await consume();
    const card = await cardOf("231500112233445571");
    const evidenceId = newId("evd");
    await db.insert(evidenceFiles).values({ id: evidenceId, shopId, name: "p.jpg", mimeType: "image/jpeg", bytes: await sharp({ create: { width: 80, height: 60, channels: 3, background: "#888888" } }).jpeg().toBuffer() });
    const decided = await decideRequest(db, owner, card.id, { decision: "reject", reasonCode: "goods_intact_used", message: "商品已使用，影响二次销售。", evidenceIds: [evidenceId] }, now);
    expect(decided).toMatchObject({ ok: false, code: "rejection_incomplete", missing: [{ code: "reason_unknown", reasonCode: "goods_intact_used" }] });
    expect(await db.select().from(outbox)).toEqual([]);
    expect((await cardOf("231500112233445571")).status).toBe("pending");
    expect(top.calls.some((call) => call.method === "taobao.refund.refuse")).toBe(false);
  });
});
