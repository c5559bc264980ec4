import sharp from "sharp";
import { beforeEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { deliverDueDecisions } from "@/app/_server/outbox-sender";
import { type Db } from "@/db/client";
import { openTestDbForTest } from "@/db/test-db";
import { createMerchant, createShop, createUser } from "@/db/factories";
import { getNativeRefund, getPlatformAppForShop, storeRejectReasons, upsertPlatformApp } from "@/db/queries/platforms";
import { decideRequest } from "@/db/workflows/decide";
import { getScope, type Scope } from "@/db/queries/users";
import { wechatAdapter } from "@/app/_server/platforms/wechat-adapter";
import { evidenceFiles, orders, requests } from "@/db/schema";
import { outbox, webhookEvents } from "@/db/schema-webhooks";
import { FakeWechat } from "@/scripts/fake-platforms/wechat";
import { countingBody, postStream } from "@/app/_server/read-body.fixture";
import { handleWechatPush, handleWechatUrlCheck } from "./handle-push";

const now = new Date("2026-11-20T02:00:00.000Z");
const nowS = Math.floor(now.getTime() / 1000);
const app = { token: "unit-token-wechat", aesKey: "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", appId: "wx1234567890abcdef", accessToken: "unit-access-token" };

let db: Db;
let shopId: string;
let owner: Scope;
let platform: FakeWechat;

const deps = (at = now) => ({ fetch: platform.fetch, now: () => at, timeoutMs: 1_000 });
const post = (push: { query: string; body: string }) =>
  handleWechatPush(db, new Request(`http://desk/api/platforms/wechat/push?${push.query}`, { method: "POST", headers: { "content-type": "application/json" }, body: push.body }), deps());
const cardOf = async (id: string) => (await db.select().from(requests).where(eq(requests.platformRequestId, id)))[0];
const orderOf = async (orderId: string) => (await db.select().from(orders).where(eq(orders.platformOrderId, orderId)))[0];

beforeEach(async () => {
  db = await openTestDbForTest();
  const merchant = await createMerchant(db, "A");
  shopId = await createShop(db, { merchantId: merchant, platform: "wechat", name: "A 微信小店" });
  owner = (await getScope(db, await createUser(db, { merchantId: merchant, name: "老板", email: "o@a.test", role: "owner" })))!;
  platform = new FakeWechat(app);
  await upsertPlatformApp(
    db,
    {
      shopId,
      protocol: "wechat_ec",
      appKey: app.appId,
      appSecret: "unused-app-secret",
      platformShopId: app.appId,
      apiBaseUrl: "http://fake-wechat",
      accessToken: app.accessToken,
      settings: { defaultCategory: "home_textile", returnAddressId: "5", wechatToken: app.token, wechatAesKey: app.aesKey, wechatAppId: app.appId },
    },
    now,
  );
});

describe("POST /api/platforms/wechat/push", () => {
  it.each([
    // [label, chunks, chunk bytes, status, chunks pulled at most]
    ["8 MiB chunked: 413 as text once 256 KiB is passed, the rest never pulled", 128, 64 * 1024, 413, 5],
    ["256 KiB + 1 byte chunked: 413", 2, 128 * 1024 + 1, 413, 2],
    ["exactly 256 KiB chunked: read and judged (unsigned: 401)", 4, 64 * 1024, 401, 4],
  ])("%s", async (_label, chunks, chunkBytes, status, maxPulled) => {
    const { stream, seen } = countingBody(chunks, chunkBytes);
    const response = await handleWechatPush(db, postStream("http://desk/api/platforms/wechat/push?signature=00&timestamp=1&nonce=1", stream), deps());
    expect(response.status).toBe(status);
    expect(await response.text()).toBe(status === 413 ? "body too large" : "bad signature");
    expect(seen.pulled).toBeLessThanOrEqual(maxPulled);
    expect(response.headers.get("connection")).toBe(status === 413 ? "close" : null);
    expect(await db.select().from(webhookEvents)).toEqual([]);
  });

  it("a declared Content-Length over 256 KiB: 413 before a byte is read", async () => {
    const { stream, seen } = countingBody(128, 64 * 1024);
    const response = await handleWechatPush(db, postStream("http://desk/api/platforms/wechat/push", stream, { "content-length": String(8 * 1024 * 1024) }), deps());
    expect([response.status, seen.pulled]).toEqual([413, 0]);
  });

  it("plain mode: a signed update becomes a card from the detail, deadline as the platform clock, answered `success`", async () => {
    const record = platform.addAftersale({ afterSaleOrderId: "2000000051234567890", updateTimeS: nowS - 60 }, nowS);
    const response = await post(platform.buildPush(record));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("success");
    const card = await cardOf("2000000051234567890");
    expect(card).toMatchObject({ platform: "wechat", kind: "refund_only", status: "pending", amountFen: 12900, reasonCode: "quality_issue", reasonText: "拉链坏了" });
    // deadline counts the seconds left when the detail was read (now), not from update_time
    expect(card.platformDeadline?.getTime()).toBe((nowS + 48 * 3600) * 1000);
    expect(platform.detailFetches).toEqual(["2000000051234567890"]);
  });

  it("the card's order carries the order API's facts: parcel time, 确认收货, completion, the category's names mapped", async () => {
    const record = platform.addAftersale({ afterSaleOrderId: "2000000051234567880" }, nowS, { status: 100, deliveryTimeS: nowS - 5 * 86400, confirmReceiptTimeS: nowS - 2 * 86400, orderPriceFen: 15900, title: "纯棉四件套 1.8m 床" });
    expect(await (await post(platform.buildPush(record))).text()).toBe("success");
    expect(await orderOf(record.orderId)).toMatchObject({
      category: "home_textile",
      title: "纯棉四件套 1.8m 床",
      amountFen: 15900,
      shippedAt: new Date((nowS - 5 * 86400) * 1000),
      receivedAt: new Date((nowS - 2 * 86400) * 1000),
      completedAt: new Date((nowS - 2 * 86400) * 1000),
      priorRefund: "none",
      unknownFacts: [],
      supportedKinds: ["refund_only"],
    });
  });

  it("an order not yet shipped says so (null, not unknown), and an unmapped category stays verbatim", async () => {
    platform.products.set("10000099999", ["2001", "2002"]);
    platform.categories.set("2001", "母婴").set("2002", "安全座椅");
    const record = platform.addAftersale({ afterSaleOrderId: "2000000051234567881", productId: "10000099999" }, nowS, { status: 20, deliveryTimeS: null, shipDoneTimeS: null, confirmReceiptTimeS: null });
    expect(await (await post(platform.buildPush(record))).text()).toBe("success");
    expect(await orderOf(record.orderId)).toMatchObject({ category: "母婴/安全座椅", shippedAt: null, receivedAt: null, completedAt: null, unknownFacts: [] });
  });

  it("when the order API fails the card is still stored, its order facts marked unknown", async () => {
    const record = platform.addAftersale({ afterSaleOrderId: "2000000051234567882" }, nowS);
    platform.failNext(-1, "system error", "/channels/ec/order/get");
    expect(await (await post(platform.buildPush(record))).text()).toBe("success");
    expect(await cardOf(record.afterSaleOrderId)).toMatchObject({ status: "pending", kind: "refund_only" });
    expect(await orderOf(record.orderId)).toMatchObject({ category: "home_textile", shippedAt: null, receivedAt: null, completedAt: null, unknownFacts: ["shipped", "received", "completed", "category", "prior_refund"] });
  });

  it("safe mode: msg_signature checked, AES body opened", async () => {
    const record = platform.addAftersale({ afterSaleOrderId: "2000000051234567891", type: "RETURN" }, nowS);
    const push = platform.buildPush(record, { isSafeMode: true });
    expect(push.body).not.toContain("2000000051234567891");
    expect(await (await post(push)).text()).toBe("success");
    expect(await cardOf("2000000051234567891")).toMatchObject({ kind: "return_refund" });
  });

  it("a bad signature or msg_signature is refused (401) and stores nothing", async () => {
    const record = platform.addAftersale({ afterSaleOrderId: "2000000051234567892" }, nowS);
    const plain = platform.buildPush(record);
    const badPlain = await post({ ...plain, query: plain.query.replace(/signature=[0-9a-f]+/, `signature=${"0".repeat(40)}`) });
    const safe = platform.buildPush(record, { isSafeMode: true });
    const badSafe = await post({ ...safe, query: safe.query.replace(/msg_signature=[0-9a-f]+/, `msg_signature=${"0".repeat(40)}`) });
    expect([badPlain.status, badSafe.status]).toEqual([401, 401]);
    expect(await badPlain.text()).not.toBe("success");
    expect(await db.select().from(webhookEvents)).toEqual([]);
    expect(platform.detailFetches).toEqual([]);
  });

  it("a redelivered push is answered `success` without a second detail fetch or event", async () => {
    const record = platform.addAftersale({ afterSaleOrderId: "2000000051234567893" }, nowS);
    const push = platform.buildPush(record);
    await post(push);
    const events = (await db.select().from(webhookEvents)).length;
    // WeChat's retry repeats the body with a new nonce and signature
    const retry = platform.buildPush(record, { createTimeS: record.updateTimeS });
    expect(await (await post(retry)).text()).toBe("success");
    expect(platform.detailFetches).toHaveLength(1);
    expect(await db.select().from(webhookEvents)).toHaveLength(events);
  });

  it("a detail fetch that fails is not `success`, so WeChat retries", async () => {
    const record = platform.addAftersale({ afterSaleOrderId: "2000000051234567894" }, nowS);
    platform.aftersales.delete(record.afterSaleOrderId);
    const response = await post(platform.buildPush(record));
    expect(response.status).toBe(422);
    expect(await response.text()).not.toBe("success");
    platform.aftersales.set(record.afterSaleOrderId, record);
    expect(await (await post(platform.buildPush(record))).text()).toBe("success");
  });

  it("GET URL check echoes echostr only when signed with a connected token", async () => {
    const good = await handleWechatUrlCheck(db, new Request(`http://desk/api/platforms/wechat/push?${platform.buildUrlCheck("echo-4711")}`));
    expect([good.status, await good.text()]).toEqual([200, "echo-4711"]);
    const bad = await handleWechatUrlCheck(db, new Request(`http://desk/api/platforms/wechat/push?${platform.buildUrlCheck("echo-4711").replace(/signature=[0-9a-f]+/, "signature=00")}`));
    expect(bad.status).toBe(401);
  });
});

describe("answers out through the outbox", () => {
  const deliver = () => deliverDueDecisions(db, { ...deps(new Date(now.getTime() + 60_000)), random: () => 0.5 });

  it("approving a return sends acceptapply with address_id and accept_type 1, which the fake accepts", async () => {
    const record = platform.addAftersale({ afterSaleOrderId: "2000000051234567895", type: "RETURN" }, nowS);
    await post(platform.buildPush(record));
    expect((await decideRequest(db, owner, (await cardOf(record.afterSaleOrderId)).id, { decision: "approve" }, now)).ok).toBe(true);
    expect(await deliver()).toMatchObject({ delivered: 1 });
    expect(platform.operations).toEqual([
      { path: "/channels/ec/aftersale/acceptapply", afterSaleOrderId: record.afterSaleOrderId, body: { after_sale_order_id: record.afterSaleOrderId, address_id: "5", accept_type: 1 }, accepted: true },
    ]);
  });

  it("rejecting sends rejectapply with WeChat's own reject_reason_type, the text, and the proof as media ids", async () => {
    const record = platform.addAftersale({ afterSaleOrderId: "2000000051234567896" }, nowS);
    await post(platform.buildPush(record));
    await storeRejectReasons(db, shopId, "refund_only", await wechatAdapter.fetchRejectReasons(deps(), (await getPlatformAppForShop(db, shopId))!, "refund_only"), now);
    const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: "#c0ffee" } }).png().toBuffer();
    await db.insert(evidenceFiles).values({ id: "ev_wx_proof", shopId, name: "聊天截图.png", mimeType: "image/png", bytes: png });
    const cardId = (await cardOf(record.afterSaleOrderId)).id;
    // One of the desk's own codes is not WeChat's reject_reason_type: refused before the desk says 已拒绝, nothing queued
    const wrong = await decideRequest(db, owner, cardId, { decision: "reject", reasonCode: "past_period", message: "已与买家协商取消", evidenceIds: ["ev_wx_proof"] }, now);
    expect(wrong).toMatchObject({ ok: false, code: "rejection_incomplete" });
    expect(await db.select().from(outbox)).toEqual([]);
    // WeChat's own reason type, as the reject dialog offers it
    expect((await decideRequest(db, owner, cardId, { decision: "reject", reasonCode: "6", message: "已与买家协商取消", evidenceIds: ["ev_wx_proof"] }, now)).ok).toBe(true);
    expect(await deliver()).toMatchObject({ delivered: 1 });
    expect(platform.uploads).toEqual([expect.objectContaining({ mimeType: "image/jpeg", width: 40, height: 30 })]);
    expect(platform.operations.at(-1)).toMatchObject({
      path: "/channels/ec/aftersale/rejectapply",
      accepted: true,
      body: { reject_reason: "已与买家协商取消", reject_reason_type: 6, reject_certificates: [platform.uploads[0].mediaId] },
    });
    expect((await db.select().from(outbox))[0].status).toBe("delivered");
    expect(await getNativeRefund(db, shopId, record.afterSaleOrderId)).toMatchObject({ status: "MERCHANT_PROCESSING", platformType: "REFUND" });
  });

  it("WeChat refusing the answer (a business errcode): not delivered, WeChat's words kept on the outbox row", async () => {
    const record = platform.addAftersale({ afterSaleOrderId: "2000000051234567897" }, nowS);
    await post(platform.buildPush(record));
    expect((await decideRequest(db, owner, (await cardOf(record.afterSaleOrderId)).id, { decision: "approve" }, now)).ok).toBe(true);
    platform.failNext(10021068, "当前售后暂不支持直接拒绝", "/channels/ec/aftersale/acceptapply");
    expect(await deliver()).toMatchObject({ delivered: 0 });
    const [row] = await db.select().from(outbox);
    expect(row.status).not.toBe("delivered");
    expect(row.lastError).toContain("当前售后暂不支持直接拒绝");
    expect(record.status).toBe("MERCHANT_PROCESSING");
  });
});
