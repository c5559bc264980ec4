import { describe, expect, it } from "vitest";
import { parseJsonLossless } from "@/lib/platforms/common";
import { exchangeRefuseReasons, refuseReasons, t1ConsumeMessage, t2Modified, t2RefundGet, tokenRefreshBody, topSignExample } from "@/lib/platforms/fixtures/taobao";
import { classifyTopError, readTaobaoAnswer } from "@/lib/platforms/taobao/answer-results";
import { batchRefundInfos, buildTaobaoAnswerParams, checkTaobaoAnswer, measureRefuseMessage, routeTaobaoAnswer, taobaoAnswerTable, tmallAnswerTable, type TaobaoAnswerMethod } from "@/lib/platforms/taobao/answers";
import { mapTaobaoMessage, parseTaobaoRefund, parseTmcMessage, unknownCategoryText } from "@/lib/platforms/taobao/messages";
import { parseTaobaoRefuseReasons, parseTmallExchangeRefuseReasons } from "@/lib/platforms/taobao/refuse-reasons";
import { buildTopCall, parseTaobaoTokenRefresh, signTmcConnect, signTop, TopApiError } from "@/lib/platforms/taobao/top-api";
import type { AnswerAction, AnswerDraft, NativeRefund, OrderFacts } from "@/lib/platforms/types";
import { applyRequestEvents, type RequestEvent } from "@/lib/webhook/event-order";
import { webhookEvent } from "@/lib/webhook/events";
import type { RequestKind } from "@/lib/domain";

const config = { baseUrl: "http://fake-top/router/rest", appKey: "12497914", appSecret: "fixture-secret-taobao", session: "sess" };
const now = new Date("2026-11-20T02:05:00Z");

describe("TOP sign", () => {
  it("matches Taobao's own md5 example (open.taobao.com docId=101617; jellyfrank/taobao_sdk taobao/tests/test_sign.py)", () => {
    expect(signTop({ ...topSignExample.params }, topSignExample.secret)).toBe(topSignExample.sign);
    expect(signTop({ ...topSignExample.params, num_iid: "11223345" }, topSignExample.secret)).not.toBe(topSignExample.sign);
  });

  it("a built call's sign covers every sent parameter but the file", () => {
    const call = buildTopCall(config, "taobao.refund.refuse", { refund_id: "1", refuse_message: "商品无质量问题" }, now, { field: "refuse_proof", name: "p.jpg", mimeType: "image/jpeg", bytes: new Uint8Array([0xff, 0xd8, 0xff, 1]) });
    const body = Buffer.from(call.body as Uint8Array).toString("latin1");
    expect(body).toContain('name="refuse_proof"; filename="p.jpg"');
    const form = buildTopCall(config, "taobao.refund.get", { refund_id: "1" }, now);
    const sent = new URLSearchParams(String(form.body));
    expect(sent.get("timestamp")).toBe("2026-11-20 10:05:00");
    expect(sent.get("sign")).toBe(signTop(Object.fromEntries([...sent].filter(([key]) => key !== "sign")), config.appSecret));
  });

  it("signs TMC CONNECT as UPPER(HEX(MD5(secret+app_key…group_name…timestamp…+secret)))", () => {
    const sign = signTmcConnect("12497914", "s3cret", "default", 1763604130000);
    expect(sign).toMatch(/^[0-9A-F]{32}$/);
    expect(signTmcConnect("12497914", "wrong", "default", 1763604130000)).not.toBe(sign);
  });
});

describe("TMC messages", () => {
  it("T1: the message id, refund id, tid and oid stay exact", () => {
    const message = parseTmcMessage(parseJsonLossless(t1ConsumeMessage) as Record<string, unknown>);
    expect(message).toMatchObject({ messageId: "8104001234567890123", topic: "taobao_refund_RefundCreated", sellerNick: "demo_shop" });
    expect(message.content).toMatchObject({ refund_id: "181784773340365852", tid: "2918463734761365258", oid: "2918463734761365258", refund_fee: "1.00" });
  });
});

const knownFacts: OrderFacts = {
  shippedAt: "2026-11-18T01:30:00.000Z",
  receivedAt: null,
  completedAt: null,
  category: "apparel",
  priorRefund: "none",
  subOrderId: "3900112233445566780",
  unknown: ["received", "prior_refund"],
};

describe("refund.get → our events", () => {
  const message = parseTmcMessage({ id: "1", topic: "taobao_refund_RefundCreated", content: '{"refund_id":231500112233445566}', user_nick: "demo_shop" });
  const t2 = () => parseTaobaoRefund(parseJsonLossless(t2RefundGet));

  it("T2: a return card in fen, China times in UTC, refund_remind_timeout as the platform deadline", () => {
    const mapped = mapTaobaoMessage(message, t2(), { facts: knownFacts, factsReadAt: now, tradeModified: "2026-11-20T02:02:11.000Z" });
    for (const event of mapped.events) expect(webhookEvent.safeParse(event).success).toBe(true);
    expect(mapped.events[0]).toMatchObject({
      type: "request.created",
      occurredAt: "2026-11-20T02:02:10.000Z",
      data: { requestId: "231500112233445566", kind: "return_refund", amountFen: 5990, reasonCode: "size_mismatch", reasonText: "鞋码偏小", platformDeadline: "2026-11-22T02:02:10.000Z", order: { orderId: "3900112233445566778", amountFen: 5990 } },
    });
    expect(mapped.native).toMatchObject({ status: "WAIT_SELLER_AGREE", version: "1763604130000", refundPhase: "aftersale", amountFen: 5990, platformType: "REFUND_AND_RETURN" });
  });

  const orderOf = (facts: OrderFacts | null) => {
    const created = mapTaobaoMessage(message, t2(), { facts, ...(facts ? { factsReadAt: now } : {}) }).events[0];
    return created.type === "request.created" ? created.data.order : null;
  };

  it.each([
    {
      name: "order API failed: every fact unknown, nothing guessed",
      facts: null,
      order: { category: unknownCategoryText, unknownFacts: ["shipped", "received", "completed", "category", "prior_refund"] },
      absent: ["shippedAt", "receivedAt", "completedAt", "priorRefund"],
    },
    {
      name: "shipped, not received or completed yet, prior after-sales unknown",
      facts: knownFacts,
      order: { category: "apparel", shippedAt: "2026-11-18T01:30:00.000Z", completedAt: null, subOrderId: "3900112233445566780", unknownFacts: ["received", "prior_refund"] },
      absent: ["receivedAt", "priorRefund"],
    },
    {
      name: "everything known: 交易成功 with a prior refund closed, the platform's category text verbatim",
      facts: { ...knownFacts, receivedAt: "2026-11-19T12:00:00.000Z", completedAt: "2026-11-19T12:00:00.000Z", priorRefund: "closed" as const, category: "宠物/宠物食品及用品>猫零食", unknown: [] },
      order: { category: "宠物/宠物食品及用品>猫零食", receivedAt: "2026-11-19T12:00:00.000Z", completedAt: "2026-11-19T12:00:00.000Z", priorRefund: "closed" },
      absent: ["unknownFacts"],
    },
  ])("$name", ({ facts, order, absent }) => {
    const mapped = orderOf(facts);
    expect(mapped).toMatchObject(order);
    for (const field of absent) expect(mapped).not.toHaveProperty(field);
    expect(mapped?.category).not.toBe("other");
  });

  it("a later read of the facts becomes an order snapshot keyed by what it says and the trade's modified", () => {
    const read = (facts: OrderFacts, tradeModified: string) => mapTaobaoMessage(message, t2(), { facts, factsReadAt: now, tradeModified }).events.find((event) => event.type === "order.upserted");
    const first = read(knownFacts, "2026-11-20T02:02:11.000Z");
    expect(first).toMatchObject({ occurredAt: now.toISOString(), data: { order: { orderId: "3900112233445566778", shippedAt: "2026-11-18T01:30:00.000Z" } } });
    expect(read(knownFacts, "2026-11-20T02:02:11.000Z")?.id).toBe(first?.id);
    expect(read({ ...knownFacts, completedAt: "2026-11-25T00:00:00.000Z" }, "2026-11-20T02:02:11.000Z")?.id).not.toBe(first?.id);
    expect(read(knownFacts, "2026-11-26T00:00:00.000Z")?.id).not.toBe(first?.id);
    expect(mapTaobaoMessage(message, t2(), { facts: null }).events.some((event) => event.type === "order.upserted")).toBe(false);
  });

  it("a redelivered message maps to the same event ids; a modified refund adds an update keyed by its version", () => {
    const first = mapTaobaoMessage(message, t2(), { facts: null });
    const again = mapTaobaoMessage(message, t2(), { facts: null });
    expect(again.events.map((event) => event.id)).toEqual(first.events.map((event) => event.id));
    const modified = mapTaobaoMessage(message, parseTaobaoRefund(parseJsonLossless(t2Modified)), { facts: null });
    expect(modified.events.map((event) => event.type)).toEqual(["request.created", "request.updated", "deadline.changed"]);
    expect(modified.events[1].id).toContain("1763604190000");
  });

  it("an out-of-order pair (modify before create) converges to the modified amount", () => {
    const created = mapTaobaoMessage(message, t2(), { facts: null }).events as RequestEvent[];
    const modified = mapTaobaoMessage(message, parseTaobaoRefund(parseJsonLossless(t2Modified)), { facts: null }).events as RequestEvent[];
    const inOrder = applyRequestEvents(null, [...created, ...modified]);
    expect(applyRequestEvents(null, [...modified, ...created])).toEqual(inOrder);
    expect(inOrder?.fields.amountFen).toBe(2995);
  });

  it("a CLOSED refund cancels the open card, whatever topic said so", () => {
    const closed = parseTaobaoRefund(parseJsonLossless(t2RefundGet.replace('"WAIT_SELLER_AGREE"', '"CLOSED"')));
    expect(mapTaobaoMessage(message, closed, { facts: null }).events.map((event) => event.type)).toContain("request.cancelled");
  });

  it("a TOP error response is refused with its sub_msg and keeps its codes", () => {
    const body = { error_response: { code: 27, msg: "Invalid session", sub_code: "invalid-sessionkey", sub_msg: "session 过期" } };
    expect(() => parseTaobaoRefund(body)).toThrow(/session 过期/);
    expect(() => parseTaobaoRefund(body)).toThrow(TopApiError);
  });
});

describe("reject reasons", () => {
  it("refund.refusereason.get: ids as text, tips kept; Tmall wants proof with every reason", () => {
    expect(parseTaobaoRefuseReasons(parseJsonLossless(refuseReasons), true)).toEqual([
      { id: "4001", text: "买家已使用商品，影响二次销售", tips: "请上传商品使用痕迹的照片", isEvidenceRequired: true },
      { id: "4002", text: "商品无质量问题", tips: null, isEvidenceRequired: true },
    ]);
    expect(parseTaobaoRefuseReasons(parseJsonLossless(refuseReasons), false).every((reason) => !reason.isEvidenceRequired)).toBe(true);
  });

  it("tmall.exchange.refusereason.get reads result.results.reason", () => {
    expect(parseTmallExchangeRefuseReasons(parseJsonLossless(exchangeRefuseReasons))).toEqual([{ id: "5001", text: "买家退回的商品不是原商品", tips: null, isEvidenceRequired: true }]);
  });
});

const native = (values: Partial<NativeRefund> = {}): NativeRefund => ({
  protocol: "taobao_tmc",
  refundId: "231500112233445566",
  orderId: "3900112233445566778",
  status: "WAIT_SELLER_AGREE",
  platformType: "REFUND",
  kind: "refund_only",
  version: "1763604130000",
  refundPhase: "onsale",
  amountFen: 5990,
  intervention: null,
  ...values,
});

const platformTypeOf: Record<RequestKind, string> = { refund_only: "REFUND", return_refund: "REFUND_AND_RETURN", exchange: "TMALL_EXCHANGE", repair: "REPAIR", entry_reopen: "OTHERS" };

describe("the answer table", () => {
  // Every platform × kind × state × action: the API, or why none (docs/platforms/taobao.md "Answers")
  const cases: { tmall: boolean; kind: RequestKind; status: string; action: AnswerAction; expected: TaobaoAnswerMethod | string }[] = [];
  const expectations: Record<string, TaobaoAnswerMethod | string> = {
    "taobao refund_only WAIT_SELLER_AGREE approve": "taobao.rp.refunds.agree",
    "taobao refund_only WAIT_SELLER_AGREE reject": "taobao.refund.refuse",
    "taobao return_refund WAIT_SELLER_AGREE approve": "taobao.rp.returngoods.agree",
    "taobao return_refund WAIT_SELLER_AGREE reject": "taobao.refund.refuse",
    "taobao return_refund WAIT_SELLER_CONFIRM_GOODS approve": "taobao.rp.refunds.agree",
    "taobao return_refund WAIT_SELLER_CONFIRM_GOODS reject": "taobao.refund.refuse",
    "tmall refund_only WAIT_SELLER_AGREE approve": "taobao.rp.refunds.agree",
    "tmall refund_only WAIT_SELLER_AGREE reject": "taobao.refund.refuse",
    "tmall return_refund WAIT_SELLER_AGREE approve": "taobao.rp.returngoods.agree",
    "tmall return_refund WAIT_SELLER_AGREE reject": "taobao.refund.refuse",
    "tmall return_refund WAIT_SELLER_CONFIRM_GOODS approve": "taobao.rp.refunds.agree",
    "tmall return_refund WAIT_SELLER_CONFIRM_GOODS reject": "taobao.rp.returngoods.refuse",
    "tmall exchange WAIT_SELLER_AGREE approve": "tmall.exchange.agree",
    "tmall exchange WAIT_SELLER_AGREE reject": "tmall.exchange.refuse",
    "tmall exchange WAIT_SELLER_CONFIRM_GOODS approve": "tmall.exchange.returngoods.agree",
    "tmall exchange WAIT_SELLER_CONFIRM_GOODS reject": "tmall.exchange.returngoods.refuse",
  };
  for (const tmall of [false, true]) {
    for (const kind of ["refund_only", "return_refund", "exchange", "repair", "entry_reopen"] as const) {
      for (const status of ["WAIT_SELLER_AGREE", "WAIT_SELLER_CONFIRM_GOODS", "SUCCESS"]) {
        for (const action of ["approve", "reject", "counter_offer"] as const) {
          const label = `${tmall ? "tmall" : "taobao"} ${kind} ${status} ${action}`;
          const notOffered =
            action === "counter_offer"
              ? "counter_offer_not_offered"
              : kind === "entry_reopen"
                ? "entry_reopen_in_backend"
                : kind === "repair" || (kind === "exchange" && !tmall)
                  ? "no_api_for_kind"
                  : "no_api_for_state";
          cases.push({ tmall, kind, status, action, expected: expectations[label] ?? notOffered });
        }
      }
    }
  }

  it.each(cases)("$kind $status $action on tmall=$tmall → $expected", ({ tmall, kind, status, action, expected }) => {
    const route = routeTaobaoAnswer({ kind, status, platformType: platformTypeOf[kind] }, action, tmall);
    expect(route.ok ? route.method : route.notOffered).toBe(expected);
    // The table names every API a state can route to
    const cell = (tmall ? tmallAnswerTable : taobaoAnswerTable)[kind][action];
    if (route.ok) expect("apis" in cell && cell.apis).toContain(route.method);
  });

  it("a non-Tmall exchange (淘宝换货, 补寄) is not offered even on a Tmall app: no refund API stands in for it", () => {
    for (const platformType of ["TAOBAO_EXCHANGE", "RESHIPPING"]) {
      expect(routeTaobaoAnswer({ kind: "exchange", status: "WAIT_SELLER_AGREE", platformType }, "approve", true)).toEqual({ ok: false, notOffered: "no_api_for_kind" });
    }
  });

  it("proof: refund.refuse takes ≤130,000 bytes (required on Tmall only), rp.returngoods.refuse ≤5,000,000, exchanges always", () => {
    const proofOf = (kind: RequestKind, status: string, tmall: boolean) => {
      const route = routeTaobaoAnswer({ kind, status, platformType: platformTypeOf[kind] }, "reject", tmall);
      return route.ok ? route.proof : undefined;
    };
    expect(proofOf("refund_only", "WAIT_SELLER_AGREE", false)).toEqual({ field: "refuse_proof", maxBytes: 130_000, isRequired: false });
    expect(proofOf("refund_only", "WAIT_SELLER_AGREE", true)).toEqual({ field: "refuse_proof", maxBytes: 130_000, isRequired: true });
    expect(proofOf("return_refund", "WAIT_SELLER_CONFIRM_GOODS", true)).toEqual({ field: "refuse_proof", maxBytes: 5_000_000, isRequired: true });
    expect(proofOf("exchange", "WAIT_SELLER_AGREE", true)).toMatchObject({ field: "leave_message_pics", isRequired: true });
  });
});

describe("answer parameters", () => {
  const address = { contactId: "800001", name: "木槿售后", province: "浙江省", city: "杭州市", district: "余杭区", addr: "文一西路 969 号", zip: "311121", phone: "", mobile: "13800000000", isReturnDefault: true };
  const approve = { requestId: "231500112233445566", decision: "approve" as const, amountFen: 5990 };
  const reject = { ...approve, decision: "reject" as const, reasonCode: "4001", message: "商品已使用，影响二次销售。" };
  const context = (isTmall: boolean) => ({ isTmall, reasonId: "4001", address: null, addressId: null });

  it.each([
    { method: "taobao.rp.refunds.agree", tmall: true, values: native(), decision: approve, expected: { refund_infos: "231500112233445566|5990|1763604130000|onsale" } },
    { method: "taobao.rp.refunds.agree", tmall: false, values: native({ refundPhase: undefined }), decision: approve, expected: { refund_infos: "231500112233445566|5990|1763604130000" } },
    { method: "taobao.refund.refuse", tmall: true, values: native(), decision: reject, expected: { refund_id: "231500112233445566", refuse_message: "商品已使用，影响二次销售。", refuse_reason_id: "4001", refund_phase: "onsale", refund_version: "1763604130000" } },
    { method: "taobao.refund.refuse", tmall: false, values: native(), decision: reject, expected: { refund_id: "231500112233445566", refuse_message: "商品已使用，影响二次销售。", refuse_reason_id: "4001" } },
    { method: "taobao.rp.returngoods.refuse", tmall: true, values: native(), decision: reject, expected: { refund_id: "231500112233445566", refund_phase: "onsale", refund_version: "1763604130000", refuse_reason_id: "4001" } },
    { method: "tmall.exchange.refuse", tmall: true, values: native(), decision: reject, expected: { dispute_id: "231500112233445566", seller_refuse_reason_id: "4001", fields: "dispute_id,bizorder_id,modified,status", leave_message: "商品已使用，影响二次销售。" } },
    { method: "tmall.exchange.returngoods.refuse", tmall: true, values: native(), decision: reject, expected: { dispute_id: "231500112233445566", seller_refuse_reason_id: "4001", leave_message: "商品已使用，影响二次销售。" } },
    { method: "tmall.exchange.returngoods.agree", tmall: true, values: native(), decision: approve, expected: { dispute_id: "231500112233445566", fields: "dispute_id,bizorder_id,modified,status" } },
  ] as const)("$method on tmall=$tmall", ({ method, tmall, values, decision, expected }) => {
    expect(buildTaobaoAnswerParams(method, values, decision, context(tmall))).toEqual(expected);
  });

  it("agreeing a return: Tmall sends the address id, phase, version and a remark; Taobao the address itself", () => {
    expect(buildTaobaoAnswerParams("taobao.rp.returngoods.agree", native(), approve, { ...context(true), addressId: "800001" })).toMatchObject({ seller_address_id: "800001", refund_phase: "onsale", remark: expect.any(String) });
    expect(buildTaobaoAnswerParams("taobao.rp.returngoods.agree", native(), approve, { ...context(false), address })).toEqual({
      refund_id: "231500112233445566",
      seller_address_id: "800001",
      name: "木槿售后",
      address: "浙江省杭州市余杭区文一西路 969 号",
      post: "311121",
      mobile: "13800000000",
    });
    expect(() => buildTaobaoAnswerParams("taobao.rp.returngoods.agree", native(), approve, context(false))).toThrow(/address/);
    expect(buildTaobaoAnswerParams("tmall.exchange.agree", native(), approve, { ...context(true), addressId: "800001" })).toMatchObject({ dispute_id: "231500112233445566", address_id: "800001" });
  });

  it("a refusal without the platform's reason id is never built", () => {
    expect(() => buildTaobaoAnswerParams("taobao.refund.refuse", native(), reject, { ...context(false), reasonId: null })).toThrow(/reason/);
  });

  it("batches within 20 refunds / ¥6,000 on Taobao and 30 / ¥10,000 on Tmall", () => {
    const item = (n: number, amountFen: number) => ({ refundId: String(n), amountFen, version: "1", phase: "onsale" });
    expect(batchRefundInfos(Array.from({ length: 21 }, (_, n) => item(n, 100)), false)).toHaveLength(2);
    expect(batchRefundInfos(Array.from({ length: 21 }, (_, n) => item(n, 100)), true)).toHaveLength(1);
    expect(batchRefundInfos([item(1, 400_000), item(2, 200_000), item(3, 1)], false)).toEqual(["1|400000|1|onsale,2|200000|1|onsale", "3|1|1|onsale"]);
    expect(() => batchRefundInfos([item(1, 600_001)], false)).toThrow();
  });
});

describe("refuse_message length as TOP counts it", () => {
  it.each([
    { message: "好", ok: false, chars: 1 },
    { message: " 好 ", ok: false, chars: 1 },
    { message: "👍", ok: false, chars: 1 },
    { message: "好的", ok: true, chars: 2 },
    { message: "商".repeat(200), ok: true, chars: 200 },
    { message: "商".repeat(201), ok: false, chars: 201 },
    { message: `${"商".repeat(199)}👍`, ok: false, chars: 201 },
  ])("$message.length units → ok=$ok", ({ message, ok, chars }) => {
    expect(measureRefuseMessage(message)).toEqual({ ok, chars });
  });
});

describe("checkTaobaoAnswer", () => {
  const reasons = parseTaobaoRefuseReasons(parseJsonLossless(refuseReasons), true);
  const jpg = { name: "p.jpg", type: "image/jpeg", sizeBytes: 800_000 };
  const draft = (values: Partial<AnswerDraft>): AnswerDraft => ({ kind: "refund_only", action: "reject", native: native(), message: "商品已使用，影响二次销售。", reasonCode: "4001", reasons, proof: [jpg], ...values });

  it.each([
    { name: "a Tmall refusal with proof and a platform reason", tmall: true, values: {}, problems: [] },
    { name: "an 800 kB photo is fine: it is converted", tmall: true, values: { proof: [{ ...jpg, sizeBytes: 800_000 }] }, problems: [] },
    { name: "Tmall without proof", tmall: true, values: { proof: [] }, problems: [{ code: "proof_required" }] },
    { name: "Taobao without proof", tmall: false, values: { proof: [] }, problems: [] },
    { name: "a PDF cannot be converted", tmall: true, values: { proof: [{ name: "发票.pdf", type: "application/pdf", sizeBytes: 10_000 }] }, problems: [{ code: "proof_type", fileName: "发票.pdf", type: "application/pdf" }] },
    { name: "a reason that is not the platform's", tmall: false, values: { reasonCode: "goods_intact_used" }, problems: [{ code: "reason_not_platform", reasonCode: "goods_intact_used" }] },
    { name: "no reason at all", tmall: false, values: { reasonCode: null }, problems: [{ code: "reason_not_platform", reasonCode: "" }] },
    { name: "a one-character message", tmall: false, values: { message: "否" }, problems: [{ code: "message_length", min: 2, max: 200, chars: 1 }] },
    { name: "Tmall 维修", tmall: true, values: { kind: "repair" as const, native: native({ kind: "repair", platformType: "REPAIR" }) }, problems: [{ code: "answer_not_offered", reason: "no_api_for_kind" }] },
    { name: "Taobao 换货", tmall: false, values: { kind: "exchange" as const, native: native({ kind: "exchange", platformType: "TAOBAO_EXCHANGE" }) }, problems: [{ code: "answer_not_offered", reason: "no_api_for_kind" }] },
    { name: "a refund already closed", tmall: false, values: { action: "approve" as const, native: native({ status: "CLOSED" }) }, problems: [{ code: "answer_not_offered", reason: "no_api_for_state" }] },
    { name: "a counter-offer", tmall: true, values: { action: "counter_offer" as const }, problems: [{ code: "answer_not_offered", reason: "counter_offer_not_offered" }] },
    { name: "approving needs nothing more", tmall: true, values: { action: "approve" as const, proof: [] }, problems: [] },
  ])("$name", ({ tmall, values, problems }) => {
    expect(checkTaobaoAnswer(draft(values), { isTmall: tmall })).toEqual(problems);
  });
});

describe("reading an answer", () => {
  const error = (code: number, subCode?: string, subMsg?: string) => ({ error_response: { code, msg: "m", ...(subCode ? { sub_code: subCode } : {}), ...(subMsg ? { sub_msg: subMsg } : {}) } });

  it.each([
    { name: "isv.* is TOP's refusal, in its words", body: error(15, "isv.refund-status-error", "退款状态已变化"), outcome: { refused: true, message: "退款状态已变化", code: "isv.refund-status-error" } },
    { name: "isp.* is transient", body: error(15, "isp.top-remote-connection-timeout", "远程服务调用超时"), outcome: { refused: false } },
    { name: "an expired session is transient (refreshed, then retried)", body: error(27, "invalid-sessionkey", "SessionKey非法"), outcome: { refused: false } },
    { name: "throttling is transient", body: error(7, undefined, "App Call Limited"), outcome: { refused: false } },
    { name: "invalid arguments (41) are refused", body: error(41, undefined, "Invalid Arguments"), outcome: { refused: true } },
    { name: "OP_FAILURE_UE carries the refund's own message", body: { rp_refunds_agree_response: { msg_code: "OP_FAILURE_UE", results: { refund_mapping_result: [{ refund_id: "231500112233445566", succ: false, message: "退款金额不符" }] } } }, outcome: { refused: true, message: "退款金额不符", code: "OP_FAILURE_UE" } },
  ])("$name", ({ body, outcome }) => {
    expect(readTaobaoAnswer(body, "taobao.rp.refunds.agree", "231500112233445566")).toMatchObject({ ok: false, ...outcome });
  });

  it.each([
    { method: "taobao.rp.refunds.agree", ok: { rp_refunds_agree_response: { msg_code: "OP_SUCC" } }, failed: { rp_refunds_agree_response: { msg_code: "OP_FAILURE_UE", message: "失败" } } },
    { method: "taobao.refund.refuse", ok: { refund_refuse_response: { is_success: true } }, failed: { refund_refuse_response: { is_success: false } } },
    { method: "taobao.rp.returngoods.agree", ok: { rp_returngoods_agree_response: { is_success: true } }, failed: { rp_returngoods_agree_response: { is_success: false } } },
    { method: "taobao.rp.returngoods.refuse", ok: { rp_returngoods_refuse_response: { result: true } }, failed: { rp_returngoods_refuse_response: { result: false } } },
    { method: "tmall.exchange.agree", ok: { tmall_exchange_agree_response: { result: { success: true } } }, failed: { tmall_exchange_agree_response: { result: { success: false, msg_code: "X", message: "换货状态不允许" } } } },
  ])("$method: success is null, is_success/result false is refused", ({ method, ok, failed }) => {
    expect(readTaobaoAnswer(ok, method, "231500112233445566")).toBeNull();
    expect(readTaobaoAnswer(failed, method, "231500112233445566")).toMatchObject({ ok: false, refused: true });
  });

  it("SOME_OP_SUCC counts as done when our refund succeeded", () => {
    const body = { rp_refunds_agree_response: { msg_code: "SOME_OP_SUCC", results: { refund_mapping_result: [{ refund_id: "231500112233445566", succ: true }, { refund_id: "9", succ: false }] } } };
    expect(readTaobaoAnswer(body, "taobao.rp.refunds.agree", "231500112233445566")).toBeNull();
  });

  it("classifyTopError keeps TOP's words for the agents", () => {
    expect(classifyTopError(new TopApiError("taobao.refund.refuse", 15, "isv.invalid-parameter", "refuse_message 长度不对", "Remote service error"))).toEqual({ ok: false, refused: true, message: "refuse_message 长度不对", code: "isv.invalid-parameter" });
  });
});

describe("token refresh", () => {
  it("reads token_result (a JSON string): expire_time and refresh_token_valid_time in ms win over the seconds", () => {
    const grant = parseTaobaoTokenRefresh(parseJsonLossless(tokenRefreshBody), now);
    expect(grant).toEqual({
      accessToken: "6201e00fhjd21471fe4fef96067d40e9d8c65ca4756aaef373548309",
      accessTokenExpiresAt: new Date(1522420640120),
      refreshToken: "62029004ZZ3ec19727d202f832c6f8ea274ee7a48288c9d373548309",
      refreshTokenExpiresAt: new Date(1514644640120),
    });
  });

  it("without the ms times, expires_in and re_expires_in count from now", () => {
    const body = { top_auth_token_refresh_response: { token_result: JSON.stringify({ access_token: "a", expires_in: 86400, refresh_token: "r", re_expires_in: 3600 }) } };
    expect(parseTaobaoTokenRefresh(body, now)).toEqual({ accessToken: "a", accessTokenExpiresAt: new Date(now.getTime() + 86_400_000), refreshToken: "r", refreshTokenExpiresAt: new Date(now.getTime() + 3_600_000) });
    expect(() => parseTaobaoTokenRefresh({ top_auth_token_refresh_response: { token_result: "{}" } }, now)).toThrow(/access_token/);
  });
});
