import sharp from "sharp";
import { makeNoisyPng } from "@/app/_server/platforms/test-photos";
import { beforeEach, describe, expect, it } from "vitest";
import { buildPlatformApp } from "@/db/factories";
import type { PlatformApp } from "@/db/queries/platforms";
import type { ProofImage } from "@/app/_server/platforms/adapter";
import { clearTaobaoCategoryCache, fetchTaobaoRejectReasons, taobaoAdapter } from "@/app/_server/platforms/taobao-adapter";
import type { Decision, RequestKind } from "@/lib/domain";
import type { NativeRefund, PlatformAppSettings } from "@/lib/platforms/types";
import { FakeTaobao, sniffImage, type FakeRefund } from "@/scripts/fake-platforms/taobao";

const now = new Date("2026-11-20T02:05:00.000Z");
const keys = { appKey: "12497914", appSecret: "unit-secret-taobao", sellerNick: "demo_shop" };

let top: FakeTaobao;
const deps = () => ({ fetch: top.fetch, now: () => now, timeoutMs: 5_000 });

function makeApp(settings: PlatformAppSettings, values: Partial<PlatformApp> = {}): PlatformApp {
  const app = { protocol: "taobao_tmc", appKey: keys.appKey, appSecret: keys.appSecret, platformShopId: keys.sellerNick, apiBaseUrl: "http://fake-top/router/rest" } as const;
  return buildPlatformApp({ ...app, accessToken: "sess", refreshToken: "refresh-0", consumerEnabled: true, settings, updatedAt: now, ...values });
}

const makePhoto = (width = 1200, height = 900) => makeNoisyPng(width, height);

const disputeTypes: Record<RequestKind, string> = { refund_only: "REFUND", return_refund: "REFUND_AND_RETURN", exchange: "TMALL_EXCHANGE", repair: "REPAIR", entry_reopen: "OTHERS" };

function nativeOf(refund: FakeRefund, kind: RequestKind): NativeRefund {
  return {
    protocol: "taobao_tmc",
    refundId: refund.refundId,
    orderId: refund.tid,
    status: refund.status,
    platformType: refund.disputeType,
    kind,
    version: String(refund.refundVersion),
    refundPhase: refund.refundPhase,
    amountFen: Math.round(Number(refund.refundFeeYuan) * 100),
    intervention: null,
  };
}

/** The answer calls the fake saw (reads such as the address search left out). */
const answerCalls = () => top.calls.filter((call) => !["taobao.logistics.address.search", "taobao.itemcats.get", "taobao.trade.fullinfo.get"].includes(call.method));

async function answer(options: { tmall: boolean; kind: RequestKind; status?: string; decision: Decision; proof?: ProofImage[]; reasonCode?: string; message?: string; settings?: PlatformAppSettings }) {
  const refund = top.addRefund({ refundId: "231500112233445566", disputeType: disputeTypes[options.kind], status: options.status ?? "WAIT_SELLER_AGREE" });
  const app = makeApp({ isTmall: options.tmall, ...options.settings });
  const isExchange = options.kind === "exchange";
  return taobaoAdapter.answer(deps(), app, {
    native: nativeOf(refund, options.kind),
    decision: {
      requestId: refund.refundId,
      decision: options.decision,
      amountFen: 5990,
      ...(options.decision === "reject" ? { reasonCode: options.reasonCode ?? (isExchange ? "5001" : "4001"), message: options.message ?? "商品已使用，影响二次销售。" } : {}),
    },
    proof: options.proof ?? [],
    reason: null,
  });
}

let smallJpeg: ProofImage;

beforeEach(async () => {
  clearTaobaoCategoryCache();
  smallJpeg ??= { name: "标签.jpg", mimeType: "image/jpeg", bytes: new Uint8Array(await sharp({ create: { width: 64, height: 48, channels: 3, background: "#c08040" } }).jpeg().toBuffer()) };
});

describe("taobaoAdapter.answer: every cell of both answer tables against the fake TOP", () => {
  type Cell = { tmall: boolean; kind: RequestKind; status: string; decision: Decision; expected: string | null };
  const routed: Record<string, string> = {
    "false refund_only WAIT_SELLER_AGREE approve": "taobao.rp.refunds.agree",
    "false refund_only WAIT_SELLER_AGREE reject": "taobao.refund.refuse",
    "false return_refund WAIT_SELLER_AGREE approve": "taobao.rp.returngoods.agree",
    "false return_refund WAIT_SELLER_AGREE reject": "taobao.refund.refuse",
    "false return_refund WAIT_SELLER_CONFIRM_GOODS approve": "taobao.rp.refunds.agree",
    "false return_refund WAIT_SELLER_CONFIRM_GOODS reject": "taobao.refund.refuse",
    "true refund_only WAIT_SELLER_AGREE approve": "taobao.rp.refunds.agree",
    "true refund_only WAIT_SELLER_AGREE reject": "taobao.refund.refuse",
    "true return_refund WAIT_SELLER_AGREE approve": "taobao.rp.returngoods.agree",
    "true return_refund WAIT_SELLER_AGREE reject": "taobao.refund.refuse",
    "true return_refund WAIT_SELLER_CONFIRM_GOODS approve": "taobao.rp.refunds.agree",
    "true return_refund WAIT_SELLER_CONFIRM_GOODS reject": "taobao.rp.returngoods.refuse",
    "true exchange WAIT_SELLER_AGREE approve": "tmall.exchange.agree",
    "true exchange WAIT_SELLER_AGREE reject": "tmall.exchange.refuse",
    "true exchange WAIT_SELLER_CONFIRM_GOODS approve": "tmall.exchange.returngoods.agree",
    "true exchange WAIT_SELLER_CONFIRM_GOODS reject": "tmall.exchange.returngoods.refuse",
  };
  const cells: Cell[] = [];
  for (const tmall of [false, true])
    for (const kind of ["refund_only", "return_refund", "exchange", "repair", "entry_reopen"] as const)
      for (const status of ["WAIT_SELLER_AGREE", "WAIT_SELLER_CONFIRM_GOODS"])
        for (const decision of ["approve", "reject"] as const) cells.push({ tmall, kind, status, decision, expected: routed[`${tmall} ${kind} ${status} ${decision}`] ?? null });

  beforeEach(() => {
    top = new FakeTaobao({ ...keys, isTmall: false });
  });

  it.each(cells)("tmall=$tmall $kind $status $decision → $expected", async ({ tmall, kind, status, decision, expected }) => {
    top = new FakeTaobao({ ...keys, isTmall: tmall });
    const outcome = await answer({ tmall, kind, status, decision, proof: [smallJpeg] });
    if (expected) {
      expect(outcome).toEqual({ ok: true, detail: "1 call(s)" });
      expect(answerCalls().map((call) => [call.method, call.accepted])).toEqual([[expected, true]]);
    } else {
      expect(outcome).toMatchObject({ ok: false, refused: true, code: "answer_not_offered" });
      expect(top.calls).toEqual([]);
    }
  });
});

describe("taobaoAdapter.answer: proof, reasons and the platform's verdict", () => {
  it("an 800 kB photo rejecting a shipped and received Tmall 仅退款 reaches TOP as refuse_proof ≤ 130,000 bytes of JPEG with the platform reason id", async () => {
    top = new FakeTaobao({ ...keys, isTmall: true });
    const photo = await makePhoto();
    expect(photo.byteLength).toBeGreaterThan(800_000);
    // Shipped and received: 交易成功 (the answer does not depend on it, but this is the case agents meet)
    const { tid } = top.addRefund({ refundId: "231500112233445566" });
    const trade = top.trades.get(tid)!;
    Object.assign(trade, { status: "TRADE_FINISHED", endTime: "2026-11-19 09:00:00" });
    Object.assign(trade.orders[0], { status: "TRADE_FINISHED", endTime: "2026-11-19 09:00:00" });
    const facts = await taobaoAdapter.fetchOrderFacts(deps(), makeApp({ isTmall: true }), nativeOf(top.refunds.get("231500112233445566")!, "refund_only"));
    expect(facts).toMatchObject({ shippedAt: "2026-11-18T01:30:00.000Z", receivedAt: "2026-11-19T01:00:00.000Z", completedAt: "2026-11-19T01:00:00.000Z" });
    top.calls.splice(0);
    const outcome = await answer({ tmall: true, kind: "refund_only", decision: "reject", proof: [{ name: "IMG_2041.PNG", mimeType: "image/png", bytes: photo }], reasonCode: "4001" });
    expect(outcome).toMatchObject({ ok: true });
    const [call] = answerCalls();
    expect(call).toMatchObject({ method: "taobao.refund.refuse", accepted: true, params: { refuse_reason_id: "4001", refund_phase: "aftersale", refund_version: "1763604130000" } });
    expect(call.proof?.field).toBe("refuse_proof");
    expect(call.proof!.bytes.byteLength).toBeLessThanOrEqual(130_000);
    expect(sniffImage(call.proof!.bytes)).toBe("jpeg");
    expect(call.proof?.fileName).toBe("IMG_2041.jpg");
    expect(call.proofFiles).toBe(1);
  });

  it("sends exactly the one proof image a rejection carries; two go back to the agents and nothing reaches TOP (none is dropped)", async () => {
    top = new FakeTaobao({ ...keys, isTmall: true });
    const one = await answer({ tmall: true, kind: "refund_only", decision: "reject", proof: [{ name: "签收.png", mimeType: "image/png", bytes: await makePhoto(400, 300) }] });
    expect(one).toMatchObject({ ok: true });
    expect(answerCalls().map((call) => [call.method, call.proofFiles, call.proof?.fileName])).toEqual([["taobao.refund.refuse", 1, "签收.jpg"]]);
    top.calls.splice(0);
    const photo = { name: "p.png", mimeType: "image/png", bytes: await makePhoto(400, 300) };
    const two = await answer({ tmall: true, kind: "refund_only", decision: "reject", proof: [photo, { ...photo, name: "q.png" }] });
    expect(two).toMatchObject({ ok: false, refused: true, code: "proof_too_many" });
    expect(answerCalls()).toEqual([]);
  });

  it("Tmall 拒绝退货 (rp.returngoods.refuse) takes the photo under its own 5,000,000-byte limit", async () => {
    top = new FakeTaobao({ ...keys, isTmall: true });
    const outcome = await answer({ tmall: true, kind: "return_refund", status: "WAIT_SELLER_CONFIRM_GOODS", decision: "reject", proof: [{ name: "p.png", mimeType: "image/png", bytes: await makePhoto() }] });
    expect(outcome).toMatchObject({ ok: true });
    const [call] = answerCalls();
    expect(call).toMatchObject({ method: "taobao.rp.returngoods.refuse", accepted: true });
    expect(call.proof!.bytes.byteLength).toBeLessThanOrEqual(5_000_000);
    expect(call.proof!.bytes.byteLength).toBeGreaterThan(130_000);
    expect(sniffImage(call.proof!.bytes)).toBe("jpeg");
  });

  it("a Tmall 换货 refusal sends the photo as leave_message_pics with seller_refuse_reason_id", async () => {
    top = new FakeTaobao({ ...keys, isTmall: true });
    const outcome = await answer({ tmall: true, kind: "exchange", decision: "reject", proof: [{ name: "p.png", mimeType: "image/png", bytes: await makePhoto(600, 400) }], reasonCode: "5002" });
    expect(outcome).toMatchObject({ ok: true });
    expect(answerCalls()[0]).toMatchObject({ method: "tmall.exchange.refuse", accepted: true, params: { seller_refuse_reason_id: "5002" }, proof: { field: "leave_message_pics" } });
    expect(answerCalls()[0].proof!.bytes.byteLength).toBeLessThanOrEqual(130_000);
  });

  it("approving a Tmall 换货 reaches tmall.exchange.agree with the default return address, and no refund API is called", async () => {
    top = new FakeTaobao({ ...keys, isTmall: true });
    const outcome = await answer({ tmall: true, kind: "exchange", decision: "approve" });
    expect(outcome).toMatchObject({ ok: true });
    expect(top.calls.map((call) => call.method)).toEqual(["taobao.logistics.address.search", "tmall.exchange.agree"]);
    expect(top.calls[1].params).toMatchObject({ dispute_id: "231500112233445566", address_id: "800001" });
    expect(top.calls.some((call) => call.method.startsWith("taobao.rp.") || call.method === "taobao.refund.refuse")).toBe(false);
    expect(top.refunds.get("231500112233445566")?.status).toBe("WAIT_BUYER_RETURN_GOODS");
  });

  it("a configured address id is used as is on Tmall; Taobao reads the address itself for rp.returngoods.agree", async () => {
    top = new FakeTaobao({ ...keys, isTmall: true });
    await answer({ tmall: true, kind: "return_refund", decision: "approve", settings: { returnAddressId: "800001" } });
    expect(top.calls.map((call) => call.method)).toEqual(["taobao.rp.returngoods.agree"]);
    top = new FakeTaobao({ ...keys, isTmall: false });
    await answer({ tmall: false, kind: "return_refund", decision: "approve", settings: { returnAddressId: "800001" } });
    expect(top.calls.map((call) => call.method)).toEqual(["taobao.logistics.address.search", "taobao.rp.returngoods.agree"]);
    expect(top.calls[1]).toMatchObject({ accepted: true, params: { name: "木槿售后", post: "311121", mobile: "13800000000" } });
  });

  it("without any return address the agree goes back to the agents, no answer call made", async () => {
    top = new FakeTaobao({ ...keys, isTmall: true });
    top.addresses.splice(0);
    expect(await answer({ tmall: true, kind: "return_refund", decision: "approve" })).toMatchObject({ ok: false, refused: true, code: "no_return_address" });
    expect(answerCalls()).toEqual([]);
  });

  it.each([
    { name: "Tmall without proof", tmall: true, values: { proof: [] }, code: "proof_required" },
    { name: "a PDF that claims to be an image", tmall: false, values: { proof: [{ name: "x.png", mimeType: "image/png", bytes: new TextEncoder().encode("%PDF-1.4 not an image") }] }, code: "proof_unconvertible" },
    { name: "a one-character message", tmall: false, values: { message: "否" }, code: "message_length" },
  ])("never sent, back to the agents: $name", async ({ tmall, values, code }) => {
    top = new FakeTaobao({ ...keys, isTmall: tmall });
    expect(await answer({ tmall, kind: "refund_only", decision: "reject", ...values })).toMatchObject({ ok: false, refused: true, code });
    expect(top.calls).toEqual([]);
  });

  it("a business error (isv.*) comes back as refused with TOP's words; the fake checks the reason id too", async () => {
    top = new FakeTaobao({ ...keys, isTmall: false });
    top.failNext({ kind: "business", method: "taobao.rp.refunds.agree", subCode: "isv.refund-status-error", subMsg: "退款状态已变化，不能执行此操作" });
    expect(await answer({ tmall: false, kind: "refund_only", decision: "approve" })).toEqual({ ok: false, refused: true, message: "退款状态已变化，不能执行此操作", code: "isv.refund-status-error" });
    top = new FakeTaobao({ ...keys, isTmall: false });
    expect(await answer({ tmall: false, kind: "refund_only", decision: "reject", reasonCode: "9999" })).toMatchObject({ ok: false, refused: true, message: "refuse_reason_id 不在拒绝原因列表里" });
  });

  it.each([
    { name: "an HTTP 502", fault: { kind: "http" as const, status: 502 } },
    { name: "isp.* (remote timeout)", fault: { kind: "isp" as const } },
    { name: "an expired session", fault: { kind: "session" as const } },
  ])("$name is transient (retried), not refused", async ({ fault }) => {
    top = new FakeTaobao({ ...keys, isTmall: false });
    top.failNext(fault);
    expect(await answer({ tmall: false, kind: "refund_only", decision: "approve" })).toMatchObject({ ok: false, refused: false });
    expect(top.refunds.get("231500112233445566")?.status).toBe("WAIT_SELLER_AGREE");
  });
});

describe("order facts, reasons and token", () => {
  it("fetchOrderFacts reads trade.fullinfo.get and the category path once per cid", async () => {
    top = new FakeTaobao({ ...keys, isTmall: false });
    const refund = top.addRefund({ refundId: "231500112233445566" });
    const app = makeApp({});
    const facts = await taobaoAdapter.fetchOrderFacts(deps(), app, nativeOf(refund, "refund_only"));
    expect(facts).toMatchObject({ shippedAt: "2026-11-18T01:30:00.000Z", completedAt: null, category: "apparel", subOrderId: refund.oid, unknown: ["received", "prior_refund"] });
    expect(top.calls.map((call) => call.method)).toEqual(["taobao.trade.fullinfo.get", "taobao.itemcats.get", "taobao.itemcats.get"]);
    await taobaoAdapter.fetchOrderFacts(deps(), app, nativeOf(refund, "refund_only"));
    expect(top.calls.filter((call) => call.method === "taobao.itemcats.get")).toHaveLength(2);
  });

  it("an unmapped category keeps Taobao's own path; unreadable names keep the cid", async () => {
    top = new FakeTaobao({ ...keys, isTmall: false });
    const refund = top.addRefund({ refundId: "231500112233445566" });
    top.trades.get(refund.tid)!.orders[0].cid = "50006004";
    expect((await taobaoAdapter.fetchOrderFacts(deps(), makeApp({}), nativeOf(refund, "refund_only"))).category).toBe("宠物/宠物食品及用品>猫零食");
    clearTaobaoCategoryCache();
    top.failNext({ kind: "isp", method: "taobao.itemcats.get" });
    expect((await taobaoAdapter.fetchOrderFacts(deps(), makeApp({}), nativeOf(refund, "refund_only"))).category).toBe("50006004");
  });

  it("reject reasons come per refund: refund.refusereason.get, or tmall.exchange.refusereason.get for a 天猫换货", async () => {
    top = new FakeTaobao({ ...keys, isTmall: true });
    const refund = top.addRefund({ refundId: "231500112233445566" });
    const reasons = await fetchTaobaoRejectReasons(deps(), makeApp({ isTmall: true }), nativeOf(refund, "refund_only"));
    expect(reasons.map((reason) => [reason.id, reason.isEvidenceRequired])).toEqual([
      ["4001", true],
      ["4002", true],
    ]);
    expect(top.calls[0].params).toMatchObject({ refund_id: "231500112233445566", refund_phase: "aftersale", fields: "reason_id,reason_text,reason_tips" });
    const exchange = top.addRefund({ refundId: "231500112233445599", disputeType: "TMALL_EXCHANGE" });
    expect((await fetchTaobaoRejectReasons(deps(), makeApp({ isTmall: true }), nativeOf(exchange, "exchange"))).map((reason) => reason.id)).toEqual(["5001", "5002"]);
    expect(top.calls[1]).toMatchObject({ method: "tmall.exchange.refusereason.get", params: { dispute_id: "231500112233445599", dispute_type: "2" } });
    await expect(taobaoAdapter.fetchRejectReasons(deps(), makeApp({ isTmall: true }), "refund_only")).rejects.toThrow(/per refund/);
  });

  it("refreshToken swaps refresh_token for a new session through taobao.top.auth.token.refresh", async () => {
    top = new FakeTaobao({ ...keys, isTmall: false });
    const grant = await taobaoAdapter.refreshToken(deps(), makeApp({}));
    expect(grant).toEqual({ accessToken: "sess-1", accessTokenExpiresAt: new Date(now.getTime() + 86_400_000), refreshToken: "refresh-1", refreshTokenExpiresAt: new Date(now.getTime() + 2_592_000_000) });
    expect(top.calls[0].params).not.toHaveProperty("session");
    await expect(taobaoAdapter.refreshToken(deps(), makeApp({}, { refreshToken: "stale" }))).rejects.toThrow(/refresh_token/);
  });
});
