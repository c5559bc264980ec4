import sharp from "sharp";
import { beforeEach, describe, expect, it } from "vitest";
import { type Db } from "@/db/client";
import { openTestDbForTest } from "@/db/test-db";
import { createMerchant, createShop } from "@/db/factories";
import { getPlatformAppForShop, upsertPlatformApp, type PlatformApp } from "@/db/queries/platforms";
import type { ProofImage } from "@/app/_server/platforms/adapter";
import { fetchWechatOrderFacts, wechatAdapter } from "@/app/_server/platforms/wechat-adapter";
import type { NativeRefund, PlatformAppSettings, PlatformRejectReason } from "@/lib/platforms/types";
import { FakeWechat, type FakeWechatType } from "@/scripts/fake-platforms/wechat";

const now = new Date("2026-11-20T02:00:00.000Z");
const nowS = Math.floor(now.getTime() / 1000);
const keys = { token: "unit-token-wechat", aesKey: "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", appId: "wx1234567890abcdef", accessToken: "unit-access-token", appSecret: "unit-app-secret" };

let db: Db;
let platform: FakeWechat;
let app: PlatformApp;
let shopId: string;

const deps = () => ({ fetch: platform.fetch, now: () => now, timeoutMs: 1_000 });

async function connect(settings: PlatformAppSettings = { returnAddressId: "5", defaultCategory: "other" }) {
  await upsertPlatformApp(db, { shopId, protocol: "wechat_ec", appKey: keys.appId, appSecret: keys.appSecret, platformShopId: keys.appId, apiBaseUrl: "http://fake-wechat", accessToken: keys.accessToken, settings }, now);
  app = (await getPlatformAppForShop(db, shopId))!;
}

beforeEach(async () => {
  db = await openTestDbForTest();
  shopId = await createShop(db, { merchantId: await createMerchant(db, "A"), platform: "wechat", name: "A 微信小店" });
  platform = new FakeWechat(keys);
  await connect();
});

let sequence = 0;
const aftersale = (type: FakeWechatType, status: string) => platform.addAftersale({ afterSaleOrderId: `20000000512345${String(++sequence).padStart(5, "0")}`, type, status }, nowS);
const nativeOf = (record: { afterSaleOrderId: string; orderId: string; type: string; status: string }): NativeRefund => ({
  protocol: "wechat_ec",
  refundId: record.afterSaleOrderId,
  orderId: record.orderId,
  status: record.status,
  platformType: record.type,
  kind: null,
  version: String(nowS),
  intervention: null,
});
const reasonOf = (id: string): PlatformRejectReason => {
  const reason = platform.rejectReasons.find((candidate) => String(candidate.type) === id)!;
  return { id, text: reason.text, tips: reason.defaultText, isEvidenceRequired: false };
};
const approve = (record: Parameters<typeof nativeOf>[0]) => wechatAdapter.answer(deps(), app, { native: nativeOf(record), decision: { requestId: record.afterSaleOrderId, decision: "approve", amountFen: 12900 }, proof: [], reason: null });
const reject = (record: Parameters<typeof nativeOf>[0], reasonId: string, options: { message?: string; proof?: ProofImage[]; withCachedReason?: boolean } = {}) =>
  wechatAdapter.answer(deps(), app, {
    native: nativeOf(record),
    decision: { requestId: record.afterSaleOrderId, decision: "reject", amountFen: 12900, reasonCode: reasonId, message: options.message ?? "商品完好，不支持售后" },
    proof: options.proof ?? [],
    reason: options.withCachedReason === false ? null : reasonOf(reasonId),
  });

/** A noisy photo-like PNG (noise defeats compression): `width × height × 3` bytes and more. */
async function noisyPng(width: number, height: number, seed = 2463534242): Promise<ProofImage> {
  const pixels = Buffer.alloc(width * height * 3);
  let state = seed;
  for (let index = 0; index < pixels.length; index++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    pixels[index] = state & 0xff;
  }
  return { name: `photo-${seed}.png`, mimeType: "image/png", bytes: new Uint8Array(await sharp(pixels, { raw: { width, height, channels: 3 } }).png().toBuffer()) };
}

describe("wechatAdapter.answer: every cell of the answer table against the fake WeChat", () => {
  it.each([
    ["refund_only approve", "REFUND", "MERCHANT_PROCESSING", "/channels/ec/aftersale/acceptapply", { accept_type: 2 }, "MERCHANT_REFUND_SUCCESS"],
    ["return_refund approve (application)", "RETURN", "MERCHANT_PROCESSING", "/channels/ec/aftersale/acceptapply", { accept_type: 1, address_id: "5" }, "USER_WAIT_RETURN"],
    ["return_refund approve (parcel received)", "RETURN", "MERCHANT_WAIT_RECEIPT", "/channels/ec/aftersale/acceptapply", { accept_type: 2 }, "MERCHANT_RETURN_SUCCESS"],
    ["exchange approve (application)", "EXCHANGE", "MERCHANT_PROCESSING", "/channels/ec/aftersale/acceptapply", { accept_type: 1, address_id: "5" }, "USER_WAIT_RETURN"],
  ] as const)("%s → %s", async (_name, type, status, path, body, after) => {
    const record = aftersale(type, status);
    expect(await approve(record)).toEqual({ ok: true, detail: "1 call(s)" });
    expect(platform.operations).toEqual([{ path, afterSaleOrderId: record.afterSaleOrderId, body: { after_sale_order_id: record.afterSaleOrderId, ...body }, accepted: true }]);
    expect(record.status).toBe(after);
  });

  it.each([
    ["refund_only reject", "REFUND", "MERCHANT_PROCESSING", "6", "/channels/ec/aftersale/rejectapply", "MERCHANT_REJECT_REFUND"],
    ["return_refund reject (application)", "RETURN", "MERCHANT_PROCESSING", "20", "/channels/ec/aftersale/rejectapply", "MERCHANT_REJECT_RETURN"],
    ["return_refund reject (parcel received)", "RETURN", "MERCHANT_WAIT_RECEIPT", "16", "/channels/ec/aftersale/rejectapply", "MERCHANT_REJECT_RETURN"],
    ["exchange reject (application)", "EXCHANGE", "MERCHANT_PROCESSING", "31", "/channels/ec/aftersale/rejectapply", "MERCHANT_REJECT_EXCHANGE"],
    ["exchange reject (new goods)", "EXCHANGE", "MERCHANT_WAIT_RECEIPT", "32", "/channels/ec/aftersale/rejectexchangereship", "MERCHANT_REJECT_RESHIP"],
  ] as const)("%s → %s with WeChat's reject_reason_type %s", async (_name, type, status, reasonId, path, after) => {
    const record = aftersale(type, status);
    expect(await reject(record, reasonId)).toMatchObject({ ok: true });
    expect(platform.operations).toEqual([{ path, afterSaleOrderId: record.afterSaleOrderId, body: { after_sale_order_id: record.afterSaleOrderId, reject_reason: "商品完好，不支持售后", reject_reason_type: Number(reasonId) }, accepted: true }]);
    expect(record.status).toBe(after);
  });

  it("exchange approve once the parcel is back needs a waybill the desk lacks: refused before any call", async () => {
    const record = aftersale("EXCHANGE", "MERCHANT_WAIT_RECEIPT");
    expect(await approve(record)).toEqual({ ok: false, refused: true, message: "换货需要填写新商品的快递单号，请在微信小店后台发货" });
    expect(platform.calls).toEqual([]);
  });

  it.each(["approve", "reject"] as const)("补寄 (RESHIP) %s: no WeChat API answers it (the table's no_api_for_kind), refused with the words the card shows and no call made", async (decision) => {
    const record = aftersale("RESHIP", "MERCHANT_PROCESSING");
    const outcome = decision === "approve" ? await approve(record) : await reject(record, "6");
    expect(outcome).toEqual({ ok: false, refused: true, message: "微信小店接口不能处理这类售后，请在微信小店后台处理" });
    expect(platform.calls).toEqual([]);
    expect(record.status).toBe("MERCHANT_PROCESSING");
  });

  it("a state past the seller's answer (a return the buyer is sending back) takes neither answer: no_api_for_state, no call", async () => {
    const record = aftersale("RETURN", "USER_WAIT_RETURN");
    expect(await approve(record)).toEqual({ ok: false, refused: true, message: "售后单当前状态不能通过接口处理，请在微信小店后台查看" });
    expect(await reject(record, "20")).toEqual({ ok: false, refused: true, message: "售后单当前状态不能通过接口处理，请在微信小店后台查看" });
    expect(platform.calls).toEqual([]);
    expect(record.status).toBe("USER_WAIT_RETURN");
  });

  it("approving a return without the shop's address_id is refused before any call", async () => {
    await connect({});
    const record = aftersale("RETURN", "MERCHANT_PROCESSING");
    expect(await approve(record)).toMatchObject({ ok: false, refused: true, message: expect.stringContaining("address_id") });
    expect(platform.calls).toEqual([]);
  });

  it("a reason code that is not WeChat's reject_reason_type is refused before any call", async () => {
    const record = aftersale("REFUND", "MERCHANT_PROCESSING");
    expect(await reject(record, "past_period", { withCachedReason: false })).toMatchObject({ ok: false, refused: true, message: expect.stringContaining("拒绝原因") });
    expect(platform.calls).toEqual([]);
  });

  it("the reason code alone is enough when the list is not cached; an empty text sends WeChat's default description", async () => {
    const record = aftersale("REFUND", "MERCHANT_PROCESSING");
    expect(await reject(record, "6", { withCachedReason: false })).toMatchObject({ ok: true });
    const second = aftersale("REFUND", "MERCHANT_PROCESSING");
    expect(await reject(second, "4", { message: "  " })).toMatchObject({ ok: true });
    expect(platform.operations.map((operation) => operation.body.reject_reason)).toEqual(["商品完好，不支持售后", reasonOf("4").tips]);
  });
});

describe("wechatAdapter.answer: WeChat's errcodes", () => {
  it.each([
    ["a business errcode is a refusal with WeChat's words", 10021068, "当前售后暂不支持直接拒绝，需先使用「售后协商」功能与买家进一步沟通", { ok: false, refused: true, message: "当前售后暂不支持直接拒绝，需先使用「售后协商」功能与买家进一步沟通", code: "10021068" }],
    ["-1 (system busy) is transient", -1, "system error", { ok: false, refused: false, error: "system error (errcode -1)" }],
    ["42001 (token expired) is transient", 42001, "access_token expired", { ok: false, refused: false, error: "access_token expired (errcode 42001)" }],
  ])("%s", async (_name, errcode, errmsg, outcome) => {
    const record = aftersale("REFUND", "MERCHANT_PROCESSING");
    platform.failNext(errcode, errmsg, "/channels/ec/aftersale/rejectapply");
    expect(await reject(record, "6")).toEqual(outcome);
    expect(record.status).toBe("MERCHANT_PROCESSING");
  });

  it("HTTP 502 is transient; the retry then goes through", async () => {
    const record = aftersale("REFUND", "MERCHANT_PROCESSING");
    platform.failNextWithHttp(502);
    expect(await approve(record)).toMatchObject({ ok: false, refused: false, error: expect.stringContaining("HTTP 502") });
    expect(await approve(record)).toMatchObject({ ok: true });
  });

  it("the fake itself refuses a wrong answer (state), which comes back as a refusal", async () => {
    const record = aftersale("RETURN", "MERCHANT_PROCESSING");
    record.status = "MERCHANT_WAIT_RECEIPT";
    // The desk still believes the application stage: accept_type 1 at the receipt stage is WeChat's error
    expect(await wechatAdapter.answer(deps(), app, { native: { ...nativeOf(record), status: "MERCHANT_PROCESSING" }, decision: { requestId: record.afterSaleOrderId, decision: "approve", amountFen: 1 }, proof: [], reason: null })).toMatchObject({ ok: false, refused: true, code: "9700224" });
  });
});

describe("wechatAdapter.answer: proof reaches WeChat as media ids", () => {
  it("each image is shrunk to a JPEG within 2 MB, uploaded, and its media id sent in reject_certificates, in order", async () => {
    const big = await noisyPng(1800, 1400, 7);
    expect(big.bytes.byteLength).toBeGreaterThan(2 * 1024 * 1024);
    const small = await noisyPng(320, 240, 11);
    const record = aftersale("RETURN", "MERCHANT_WAIT_RECEIPT");
    expect(await reject(record, "20", { proof: [big, small] })).toMatchObject({ ok: true });
    expect(platform.uploads).toHaveLength(2);
    for (const upload of platform.uploads) {
      expect(upload.mimeType).toBe("image/jpeg");
      expect(upload.bytes).toBeLessThanOrEqual(2_000_000);
    }
    expect(platform.uploads[1]).toMatchObject({ width: 320, height: 240 });
    expect(platform.operations.at(-1)?.body.reject_certificates).toEqual(platform.uploads.map((upload) => upload.mediaId));
  }, 30_000);

  it("the exchange reship refusal carries the media ids too", async () => {
    const record = aftersale("EXCHANGE", "MERCHANT_WAIT_RECEIPT");
    expect(await reject(record, "32", { proof: [await noisyPng(200, 200, 3)] })).toMatchObject({ ok: true });
    expect(platform.operations.at(-1)).toMatchObject({ path: "/channels/ec/aftersale/rejectexchangereship", body: { reject_certificates: [platform.uploads[0].mediaId] }, accepted: true });
  });

  it("an upload WeChat refuses is a refusal, and the rejection is not sent without its proof", async () => {
    const record = aftersale("REFUND", "MERCHANT_PROCESSING");
    platform.failNext(10020060, "图片大小超出限制(2MB)", "/channels/ec/basics/img/upload");
    expect(await reject(record, "6", { proof: [await noisyPng(64, 64)] })).toEqual({ ok: false, refused: true, message: "图片大小超出限制(2MB)", code: "10020060" });
    expect(platform.operations).toEqual([]);
  });

  it("a proof that is no image is refused with its name, nothing sent", async () => {
    const record = aftersale("REFUND", "MERCHANT_PROCESSING");
    const outcome = await reject(record, "6", { proof: [{ name: "聊天记录.pdf", mimeType: "application/pdf", bytes: new TextEncoder().encode("%PDF-1.4") }] });
    expect(outcome).toMatchObject({ ok: false, refused: true, message: expect.stringContaining("聊天记录.pdf") });
    expect(platform.calls).toEqual([]);
  });
});

describe("wechatAdapter.fetchOrderFacts", () => {
  it("reads the order, the product's category path and the line's earlier after-sales", async () => {
    const earlier = platform.addAftersale({ afterSaleOrderId: "2000000051234500001", orderId: "3700000000000000001", status: "MERCHANT_REFUND_SUCCESS" }, nowS - 86400);
    const record = platform.addAftersale({ afterSaleOrderId: "2000000051234500002", orderId: earlier.orderId }, nowS);
    const facts = await wechatAdapter.fetchOrderFacts(deps(), app, nativeOf(record));
    // The fake made the order with the earlier after-sale: shipped 6 days and received 3 days before that one
    expect(facts).toEqual({
      shippedAt: "2026-11-13T02:00:00.000Z",
      receivedAt: "2026-11-16T02:00:00.000Z",
      completedAt: "2026-11-16T02:00:00.000Z",
      category: "home_textile",
      priorRefund: "succeeded",
      subOrderId: null,
      title: "纯棉四件套 1.8m 床",
      amountFen: 12900,
      unknown: [],
    });
    expect(platform.calls.slice(0, 2)).toEqual(["/channels/ec/aftersale/getaftersaleorder", "/channels/ec/order/get"]);
    // product, category names and the earlier after-sale are read side by side
    expect(platform.calls.slice(2).sort()).toEqual([
      "/channels/ec/aftersale/getaftersaleorder",
      "/channels/ec/category/detail",
      "/channels/ec/category/detail",
      "/channels/ec/category/detail",
      "/channels/ec/product/get",
    ]);
  });

  it("another sku's earlier after-sale does not count for this line", async () => {
    const earlier = platform.addAftersale({ afterSaleOrderId: "2000000051234500003", orderId: "3700000000000000002", skuId: "29999999999", status: "MERCHANT_REFUND_SUCCESS" }, nowS);
    const record = platform.addAftersale({ afterSaleOrderId: "2000000051234500004", orderId: earlier.orderId }, nowS);
    expect((await fetchWechatOrderFacts(deps(), app, { afterSaleOrderId: record.afterSaleOrderId, orderId: record.orderId, productId: record.productId, skuId: record.skuId })).priorRefund).toBe("none");
  });

  it.each([
    ["the order API fails", "/channels/ec/order/get", ["shipped", "received", "completed", "category", "prior_refund"]],
    ["the product API fails", "/channels/ec/product/get", ["category"]],
    ["a category name cannot be read", "/channels/ec/category/detail", []],
  ])("%s: those facts are unknown, never guessed", async (_name, path, unknown) => {
    const record = aftersale("REFUND", "MERCHANT_PROCESSING");
    platform.failNext(10020001, "系统错误", path);
    const facts = await wechatAdapter.fetchOrderFacts(deps(), app, nativeOf(record));
    expect(facts.unknown).toEqual(unknown);
    if (path === "/channels/ec/category/detail") expect(facts.category).toBe("微信类目 1001/1002/1003");
  });

  it("the after-sale itself cannot be read: every fact unknown", async () => {
    const record = aftersale("REFUND", "MERCHANT_PROCESSING");
    platform.aftersales.delete(record.afterSaleOrderId);
    expect((await wechatAdapter.fetchOrderFacts(deps(), app, nativeOf(record))).unknown).toEqual(["shipped", "received", "completed", "category", "prior_refund"]);
  });
});

describe("wechatAdapter.fetchRejectReasons", () => {
  it.each([
    ["refund_only", ["6", "4", "1"]],
    ["return_refund", ["20", "16"]],
    ["exchange", ["31", "32"]],
    ["repair", []],
  ] as const)("%s → WeChat's reasons of that reject_scene: %j", async (kind, ids) => {
    expect((await wechatAdapter.fetchRejectReasons(deps(), app, kind)).map((reason) => reason.id)).toEqual(ids);
  });

  it("the list under reject_reason_list reads the same; an errcode throws (the cache keeps its last list)", async () => {
    platform.reasonListField = "reject_reason_list";
    expect(await wechatAdapter.fetchRejectReasons(deps(), app, "refund_only")).toEqual([
      { id: "6", text: "买家误操作/已协商取消申请", tips: reasonOf("6").tips, isEvidenceRequired: false },
      { id: "4", text: "包裹在买家发起售后时已完成发货/揽收", tips: reasonOf("4").tips, isEvidenceRequired: false },
      { id: "1", text: "已在约定时间发货且物流运输正常", tips: reasonOf("1").tips, isEvidenceRequired: false },
    ]);
    platform.failNext(-1, "system error");
    await expect(wechatAdapter.fetchRejectReasons(deps(), app, "refund_only")).rejects.toThrow(/system error/);
  });
});

describe("wechatAdapter.refreshToken", () => {
  it("stable_token with the app's appid and secret, force_refresh false → a token for expires_in seconds", async () => {
    expect(await wechatAdapter.refreshToken(deps(), app)).toEqual({ accessToken: keys.accessToken, accessTokenExpiresAt: new Date(now.getTime() + 7200_000), refreshToken: null, refreshTokenExpiresAt: null });
    expect(platform.tokenGrants).toEqual([{ appid: keys.appId, forceRefresh: false }]);
  });

  it("a wrong secret is WeChat's 40125, thrown", async () => {
    await upsertPlatformApp(db, { ...app, appSecret: "wrong" }, now);
    await expect(wechatAdapter.refreshToken(deps(), (await getPlatformAppForShop(db, shopId))!)).rejects.toThrow(/40125/);
  });
});
