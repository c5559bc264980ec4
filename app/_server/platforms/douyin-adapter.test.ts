import sharp from "sharp";
import { makeNoisyPng } from "@/app/_server/platforms/test-photos";
import { beforeEach, describe, expect, it } from "vitest";
import { buildPlatformApp } from "@/db/factories";
import type { PlatformApp } from "@/db/queries/platforms";
import type { AnswerInput, ProofImage } from "@/app/_server/platforms/adapter";
import { douyinAdapter, douyinProofTarget } from "@/app/_server/platforms/douyin-adapter";
import type { NativeRefund, OutboundDecision, PlatformRejectReason } from "@/lib/platforms/types";
import { FakeDouyin, type FakeAftersale } from "@/scripts/fake-platforms/douyin";

const now = new Date("2026-11-20T02:00:00.000Z");
const nowS = Math.floor(now.getTime() / 1000);
const shop = { appKey: "7123456789012345678", appSecret: "unit-secret-douyin", shopId: "10437917" };

let platform: FakeDouyin;
const deps = () => ({ fetch: platform.fetch, now: () => now, timeoutMs: 1_000 });

function makeApp(changes: Partial<PlatformApp> = {}): PlatformApp {
  const app = { shopId: "shop_dy", protocol: "douyin_push", appKey: shop.appKey, appSecret: shop.appSecret, platformShopId: shop.shopId, apiBaseUrl: "http://fake-douyin" } as const;
  return buildPlatformApp({ ...app, settings: { returnAddressId: "700001" }, updatedAt: now, ...changes });
}

/** The native state a push of `record` leaves (what answers.ts loads from the database). */
function nativeOf(record: FakeAftersale): NativeRefund {
  return {
    protocol: "douyin_push",
    refundId: record.aftersaleId,
    orderId: record.orderId,
    status: String(record.status),
    platformType: String(record.type),
    kind: null,
    version: String(record.updateTimeS),
    updateTime: `${new Date((record.updateTimeS + 8 * 3600) * 1000).toISOString().slice(0, 19)}+08:00`,
    intervention: null,
  };
}

let sequence = 0;
function addRecord(values: Partial<FakeAftersale>): FakeAftersale {
  return platform.addAftersale({ aftersaleId: `73015001002003${String(++sequence).padStart(5, "0")}`, applyTimeS: nowS - 3600, ...values }, nowS);
}

const reasonOf = (code: number, text: string, isEvidenceRequired = false): PlatformRejectReason => ({ id: String(code), text, tips: null, isEvidenceRequired });

function input(record: FakeAftersale, decision: Partial<OutboundDecision> & Pick<OutboundDecision, "decision">, extra: Partial<AnswerInput> = {}): AnswerInput {
  return {
    native: nativeOf(record),
    decision: { requestId: record.aftersaleId, amountFen: record.refundAmountFen, ...decision },
    proof: [],
    reason: decision.decision === "reject" ? reasonOf(2, "商品无质量问题") : null,
    ...extra,
  };
}

async function photo(width = 1600, height = 1200): Promise<ProofImage> {
  return { name: "破损照片.png", mimeType: "image/png", bytes: await makeNoisyPng(width, height, 88172645) };
}

beforeEach(() => {
  platform = new FakeDouyin(shop);
});

describe("douyinAdapter.answer: every cell of the answer table against the fake 抖店", () => {
  it.each([
    { type: 0, status: 6, decision: "approve", operate: 101 },
    { type: 0, status: 6, decision: "reject", operate: 102 },
    { type: 0, status: 11, decision: "approve", operate: 111 },
    { type: 0, status: 11, decision: "reject", operate: 112 },
    { type: 1, status: 6, decision: "approve", operate: 201 },
    { type: 1, status: 6, decision: "reject", operate: 202 },
    { type: 2, status: 6, decision: "approve", operate: 401 },
    { type: 3, status: 6, decision: "approve", operate: 301 },
    { type: 3, status: 6, decision: "reject", operate: 302 },
    { type: 3, status: 11, decision: "reject", operate: 312 },
  ] as const)("aftersale_type $type, status $status: $decision → operate $operate, accepted", async ({ type, status, decision, operate }) => {
    const record = addRecord({ type, status });
    const outcome = await douyinAdapter.answer(deps(), makeApp(), input(record, { decision, ...(decision === "reject" ? { reasonCode: "2", message: "照片显示商品完好" } : {}) }));
    expect(outcome).toEqual({ ok: true, detail: "1 call(s)" });
    expect(platform.operations).toEqual([expect.objectContaining({ type: operate, aftersaleId: record.aftersaleId, accepted: true })]);
    expect(platform.operations[0].item.update_time).toBe(record.updateTimeS - 1);
  });

  it.each([
    { name: "未发货仅退款 cannot be refused", type: 2, status: 6, decision: "reject", code: "unshipped_refund_cannot_reject" },
    { name: "换货二次同意 needs the reship's logistics", type: 3, status: 11, decision: "approve", code: "needs_logistics" },
    { name: "补寄 has no public operate code", type: 7, status: 6, decision: "approve", code: "no_api_for_kind" },
    { name: "维修 has no public operate code", type: 8, status: 6, decision: "reject", code: "no_api_for_kind" },
    { name: "a state without an operate code", type: 1, status: 12, decision: "approve", code: "no_api_for_state" },
  ] as const)("$name: refused before any call", async ({ type, status, decision, code }) => {
    const record = addRecord({ type, status });
    const outcome = await douyinAdapter.answer(deps(), makeApp(), input(record, { decision, ...(decision === "reject" ? { reasonCode: "2", message: "不同意" } : {}) }));
    expect(outcome).toMatchObject({ ok: false, refused: true, code });
    expect(platform.calls).toEqual([]);
  });

  it("agreeing a return sends the shop's return address as an int64; without one it is refused, not sent", async () => {
    const record = addRecord({ type: 0 });
    expect(await douyinAdapter.answer(deps(), makeApp({ settings: {} }), input(record, { decision: "approve" }))).toMatchObject({ ok: false, refused: true, message: expect.stringMatching(/退货地址/) });
    expect(platform.calls).toEqual([]);
    expect(await douyinAdapter.answer(deps(), makeApp(), input(record, { decision: "approve" }))).toMatchObject({ ok: true });
    expect(platform.operations[0].item.logistics).toEqual({ receiver_address_id: 700001 });
  });
});

describe("rejections", () => {
  it("reject_reason_code is the platform's code, reason its text, remark the agent's message", async () => {
    const record = addRecord({ type: 1 });
    await douyinAdapter.answer(deps(), makeApp(), input(record, { decision: "reject", reasonCode: "3", message: "已超过七天售后期。" }, { reason: reasonOf(3, "已超出售后期") }));
    expect(platform.operations[0]).toMatchObject({ type: 202, accepted: true, rejectReasonCode: 3, reason: "已超出售后期", item: expect.objectContaining({ remark: "已超过七天售后期。" }) });
  });

  it("a reason not cached is read from /afterSale/rejectReasonCodeList; one not listed is refused", async () => {
    const record = addRecord({ type: 1 });
    expect(await douyinAdapter.answer(deps(), makeApp(), input(record, { decision: "reject", reasonCode: "4", message: "已与买家协商" }, { reason: null }))).toMatchObject({ ok: true });
    expect(platform.operations[0]).toMatchObject({ rejectReasonCode: 4, reason: "已与买家协商一致" });
    const other = addRecord({ type: 1 });
    expect(await douyinAdapter.answer(deps(), makeApp(), input(other, { decision: "reject", reasonCode: "past_period", message: "超期" }, { reason: null }))).toMatchObject({ ok: false, refused: true });
    expect(platform.operations).toHaveLength(1);
  });

  it("proof reaches the platform as material-centre URLs in evidence[{type:1,url,desc}], shrunk to our JPEG target", async () => {
    const record = addRecord({ type: 1 });
    const proof = await photo();
    expect(proof.bytes.byteLength).toBeGreaterThan(douyinProofTarget.maxBytes);
    const outcome = await douyinAdapter.answer(deps(), makeApp(), input(record, { decision: "reject", reasonCode: "1", message: "商品已拆封使用" }, { reason: reasonOf(1, "商品已使用，影响二次销售", true), proof: [proof, await photo(200, 150)] }));
    expect(outcome).toMatchObject({ ok: true });
    expect(platform.calls).toEqual(["open.binaryupload", "material.uploadImageSync", "material.queryMaterialDetail", "open.binaryupload", "material.uploadImageSync", "material.queryMaterialDetail", "afterSale.operate"]);
    const urls = [...platform.materials.values()].map((material) => material.url);
    expect(platform.operations[0]).toMatchObject({ type: 202, accepted: true, evidenceUrls: urls });
    expect(platform.operations[0].item.evidence).toEqual([
      { type: 1, url: urls[0], desc: "凭证1" },
      { type: 1, url: urls[1], desc: "凭证2" },
    ]);
    for (const upload of platform.uploads) {
      expect(upload.bytes.byteLength).toBeLessThanOrEqual(douyinProofTarget.maxBytes);
      expect((await sharp(upload.bytes).metadata()).format).toBe("jpeg");
    }
  });

  it("evidence_need=Y without proof is refused before any call", async () => {
    const record = addRecord({ type: 1 });
    const outcome = await douyinAdapter.answer(deps(), makeApp(), input(record, { decision: "reject", reasonCode: "8", message: "其他原因" }, { reason: reasonOf(8, "其他", true) }));
    expect(outcome).toMatchObject({ ok: false, refused: true, message: expect.stringMatching(/需要上传凭证/) });
    expect(platform.calls).toEqual([]);
  });

  it.each([
    { name: "the upload API answers 503", arrange: () => platform.failures.set("open.binaryupload", { httpStatus: 503 }), outcome: { ok: false, refused: false } },
    { name: "the material is still under audit", arrange: () => (platform.materialAudit = 1), outcome: { ok: false, refused: false, error: expect.stringMatching(/审核中/) } },
    { name: "the material was rejected by the audit", arrange: () => (platform.materialAudit = 4), outcome: { ok: false, refused: true, message: expect.stringMatching(/未通过/) } },
  ])("proof never dropped: $name → no operate call", async ({ arrange, outcome }) => {
    arrange();
    const record = addRecord({ type: 1 });
    const result = await douyinAdapter.answer(deps(), makeApp(), input(record, { decision: "reject", reasonCode: "2", message: "商品完好" }, { proof: [await photo(200, 150)] }));
    expect(result).toMatchObject(outcome);
    expect(platform.calls).not.toContain("afterSale.operate");
  });
});

describe("how an answer ends", () => {
  it("a business error is refused with the platform's sub_msg (operateRefusal)", async () => {
    platform.operateRefusal = { code: 50002, msg: "业务处理失败", sub_msg: "暂不支持通过OPEN处理，请登录抖店后台人工审核售后单" };
    const record = addRecord({ type: 1 });
    const outcome = await douyinAdapter.answer(deps(), makeApp(), input(record, { decision: "approve" }));
    expect(outcome).toEqual({ ok: false, refused: true, message: "暂不支持通过OPEN处理，请登录抖店后台人工审核售后单", code: "50002:isv.business-failed:11005" });
    expect(platform.operations).toEqual([expect.objectContaining({ type: 201, accepted: false })]);
  });

  it("a stale update_time is the platform refusing (the buyer changed the request)", async () => {
    const record = addRecord({ type: 1 });
    const stale = input(record, { decision: "approve" });
    record.updateTimeS += 30;
    expect(await douyinAdapter.answer(deps(), makeApp(), stale)).toMatchObject({ ok: false, refused: true, message: "售后单已更新，请刷新后重试" });
  });

  it.each([
    { name: "HTTP 503", failure: { httpStatus: 503 } },
    { name: "throttled (60000)", failure: { code: 60000, msg: "触发限流，请稍后重试", sub_code: "", sub_msg: "" } },
    { name: "service error (20000 isp.service-error)", failure: { code: 20000, msg: "系统错误", sub_code: "isp.service-error:10002", sub_msg: "返回内容为空" } },
  ])("$name is transient (retried)", async ({ failure }) => {
    platform.failures.set("afterSale.operate", failure);
    const record = addRecord({ type: 1 });
    expect(await douyinAdapter.answer(deps(), makeApp(), input(record, { decision: "approve" }))).toMatchObject({ ok: false, refused: false });
  });

  it("an expired access token is transient (token upkeep refreshes it)", async () => {
    platform.requiredAccessToken = "fresh-token";
    const record = addRecord({ type: 1 });
    expect(await douyinAdapter.answer(deps(), makeApp({ accessToken: "old-token" }), input(record, { decision: "approve" }))).toMatchObject({ ok: false, refused: false, error: expect.stringMatching(/access_token已过期/) });
    expect(await douyinAdapter.answer(deps(), makeApp({ accessToken: "fresh-token" }), input(record, { decision: "approve" }))).toMatchObject({ ok: true });
  });
});

describe("order facts, reject reasons and tokens", () => {
  it("fetchOrderFacts reads the sub-order from the detail, then its times, category names and earlier refunds", async () => {
    const record = addRecord({ type: 1, shipTimeS: nowS - 86_400, logisticsReceiptTimeS: nowS - 7200, cids: [30000, 30100] });
    addRecord({ type: 1, status: 28, orderId: record.orderId, skuOrderId: record.skuOrderId });
    const facts = await douyinAdapter.fetchOrderFacts(deps(), makeApp(), nativeOf(record));
    expect(facts).toEqual({
      shippedAt: "2026-11-19T02:00:00.000Z",
      receivedAt: "2026-11-20T00:00:00.000Z",
      completedAt: null,
      category: "apparel",
      priorRefund: "closed",
      subOrderId: record.skuOrderId,
      title: "赣南脐橙 5斤装",
      amountFen: 3990,
      unknown: [],
    });
    expect(platform.calls).toEqual(expect.arrayContaining(["afterSale.Detail", "order.orderDetail", "afterSale.List", "shop.getShopCategory"]));
  });

  it("an order API that fails leaves only its own facts unknown", async () => {
    platform.failures.set("order.orderDetail", { httpStatus: 502 });
    const record = addRecord({ type: 1 });
    const facts = await douyinAdapter.fetchOrderFacts(deps(), makeApp(), nativeOf(record));
    expect(facts).toMatchObject({ priorRefund: "none", unknown: ["shipped", "received", "completed", "category"] });
  });

  it("fetchRejectReasons: the shop's list with evidence_need", async () => {
    const reasons = await douyinAdapter.fetchRejectReasons(deps(), makeApp(), "refund_only");
    expect(reasons.map((reason) => [reason.id, reason.isEvidenceRequired])).toEqual([
      ["1", true],
      ["2", false],
      ["3", false],
      ["4", false],
      ["5", false],
      ["8", true],
    ]);
  });

  it("refreshToken: /token/refresh with grant_type refresh_token → a new access and refresh token", async () => {
    platform.refreshTokens.add("refresh-1");
    const grant = await douyinAdapter.refreshToken(deps(), makeApp({ refreshToken: "refresh-1" }));
    expect(grant).toEqual({
      accessToken: expect.stringMatching(/^fake-access-/),
      accessTokenExpiresAt: new Date("2026-11-27T02:00:00.000Z"),
      refreshToken: expect.stringMatching(/^fake-refresh-/),
      refreshTokenExpiresAt: new Date("2026-12-04T02:00:00.000Z"),
    });
    await expect(douyinAdapter.refreshToken(deps(), makeApp({ refreshToken: "refresh-1" }))).rejects.toThrow(/token不存在/);
    await expect(douyinAdapter.refreshToken(deps(), makeApp())).rejects.toThrow(/refresh_token/);
  });
});
