import { describe, expect, it } from "vitest";
import { parseJsonLossless } from "@/lib/platforms/common";
import { t1ConsumeMessage, t2Modified, t2RefundGet } from "@/lib/platforms/fixtures/taobao";
import {
  batchRefundInfos,
  buildTopCall,
  mapTaobaoMessage,
  parseTaobaoRefund,
  parseTmcMessage,
  planTaobaoAnswer,
  signTmcConnect,
  signTop,
} from "@/lib/platforms/taobao";
import type { NativeRefund } from "@/lib/platforms/types";
import { applyRequestEvents, type RequestEvent } from "@/lib/webhook/event-order";
import { webhookEvent } from "@/lib/webhook/events";

const config = { baseUrl: "http://fake-top/router/rest", appKey: "12497914", appSecret: "fixture-secret-taobao", session: "sess" };
const now = new Date("2026-11-20T02:05:00Z");

describe("TMC", () => {
  it("signs CONNECT as UPPER(HEX(MD5(secret+app_key…group_name…timestamp…+secret)))", () => {
    const sign = signTmcConnect("12497914", "s3cret", "default", 1763604130000);
    expect(sign).toMatch(/^[0-9A-F]{32}$/);
    expect(signTmcConnect("12497914", "wrong", "default", 1763604130000)).not.toBe(sign);
  });

  it("T1: the message id, refund id, tid and oid stay exact", () => {
    const message = parseTmcMessage(parseJsonLossless(t1ConsumeMessage) as Record<string, unknown>);
    expect(message).toMatchObject({ messageId: "8104001234567890123", topic: "taobao_refund_RefundCreated", sellerNick: "demo_shop" });
    expect(message.content).toMatchObject({ refund_id: "181784773340365852", tid: "2918463734761365258", oid: "2918463734761365258", refund_fee: "1.00" });
  });
});

describe("refund.get → our events", () => {
  const message = parseTmcMessage({ id: "1", topic: "taobao_refund_RefundCreated", content: '{"refund_id":231500112233445566}', user_nick: "demo_shop" });

  it("T2: a return card in fen, China times in UTC, refund_remind_timeout as the platform deadline", () => {
    const detail = parseTaobaoRefund(parseJsonLossless(t2RefundGet));
    const mapped = mapTaobaoMessage(message, detail, { settings: { defaultCategory: "apparel" } });
    for (const event of mapped.events) expect(webhookEvent.safeParse(event).success).toBe(true);
    expect(mapped.events[0]).toMatchObject({
      type: "request.created",
      occurredAt: "2026-11-20T02:02:10.000Z",
      data: { requestId: "231500112233445566", kind: "return_refund", amountFen: 5990, reasonCode: "size_mismatch", reasonText: "鞋码偏小", platformDeadline: "2026-11-22T02:02:10.000Z", order: { orderId: "3900112233445566778", amountFen: 5990 } },
    });
    expect(mapped.native).toMatchObject({ status: "WAIT_SELLER_AGREE", version: "1763604130000", refundPhase: "aftersale", amountFen: 5990 });
  });

  it("a redelivered message maps to the same event ids; a modified refund adds an update keyed by its version", () => {
    const first = mapTaobaoMessage(message, parseTaobaoRefund(parseJsonLossless(t2RefundGet)), { settings: {} });
    const again = mapTaobaoMessage(message, parseTaobaoRefund(parseJsonLossless(t2RefundGet)), { settings: {} });
    expect(again.events.map((event) => event.id)).toEqual(first.events.map((event) => event.id));
    const modified = mapTaobaoMessage(message, parseTaobaoRefund(parseJsonLossless(t2Modified)), { settings: {} });
    expect(modified.events.map((event) => event.type)).toEqual(["request.created", "request.updated", "deadline.changed"]);
    expect(modified.events[1].id).toContain("1763604190000");
  });

  it("an out-of-order pair (modify before create) converges to the modified amount", () => {
    const created = mapTaobaoMessage(message, parseTaobaoRefund(parseJsonLossless(t2RefundGet)), { settings: {} }).events as RequestEvent[];
    const modified = mapTaobaoMessage(message, parseTaobaoRefund(parseJsonLossless(t2Modified)), { settings: {} }).events as RequestEvent[];
    const inOrder = applyRequestEvents(null, [...created, ...modified]);
    expect(applyRequestEvents(null, [...modified, ...created])).toEqual(inOrder);
    expect(inOrder?.fields.amountFen).toBe(2995);
  });

  it("a CLOSED refund cancels the open card, whatever topic said so", () => {
    const closed = parseTaobaoRefund(parseJsonLossless(t2RefundGet.replace('"WAIT_SELLER_AGREE"', '"CLOSED"')));
    expect(mapTaobaoMessage(message, closed, { settings: {} }).events.map((event) => event.type)).toContain("request.cancelled");
  });

  it("a TOP error response is refused with its sub_msg", () => {
    expect(() => parseTaobaoRefund({ error_response: { code: 27, msg: "Invalid session", sub_msg: "session 过期" } })).toThrow(/session 过期/);
  });
});

describe("answers", () => {
  const native: NativeRefund = {
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
  };
  const params = (call: { body?: string | Uint8Array }) => new URLSearchParams(String(call.body));

  it("rp.refunds.agree carries refund_id|amount_fen|version|phase, signed", () => {
    const plan = planTaobaoAnswer(config, native, { requestId: native.refundId, decision: "approve", amountFen: 5990 }, {}, now);
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    const sent = params(plan.calls[0]);
    expect(sent.get("method")).toBe("taobao.rp.refunds.agree");
    expect(sent.get("refund_infos")).toBe("231500112233445566|5990|1763604130000|onsale");
    expect(sent.get("timestamp")).toBe("2026-11-20 10:05:00");
    const signed = Object.fromEntries([...sent].filter(([key]) => key !== "sign"));
    expect(sent.get("sign")).toBe(signTop(signed, config.appSecret));
  });

  it("batches within 20 refunds / ¥6,000 on Taobao and 30 / ¥10,000 on Tmall", () => {
    const item = (n: number, amountFen: number) => ({ refundId: String(n), amountFen, version: "1", phase: "onsale" });
    expect(batchRefundInfos(Array.from({ length: 21 }, (_, n) => item(n, 100)), false)).toHaveLength(2);
    expect(batchRefundInfos(Array.from({ length: 21 }, (_, n) => item(n, 100)), true)).toHaveLength(1);
    expect(batchRefundInfos([item(1, 400_000), item(2, 200_000), item(3, 1)], false)).toEqual(["1|400000|1|onsale,2|200000|1|onsale", "3|1|1|onsale"]);
    expect(() => batchRefundInfos([item(1, 600_001)], false)).toThrow();
  });

  it("agreeing a return sends rp.returngoods.agree with the address (and phase/version on Tmall)", () => {
    const plan = planTaobaoAnswer(config, { ...native, kind: "return_refund" }, { requestId: native.refundId, decision: "approve", amountFen: 5990 }, { returnAddressId: "9001", isTmall: true }, now);
    expect(plan.ok && params(plan.calls[0]).get("method")).toBe("taobao.rp.returngoods.agree");
    expect(plan.ok && Object.fromEntries(params(plan.calls[0]))).toMatchObject({ seller_address_id: "9001", refund_phase: "onsale", refund_version: "1763604130000" });
  });

  it("refuse: 2–200 characters, a reason id, and on Tmall a proof ≤ 130,000 bytes", () => {
    const reject = { requestId: native.refundId, decision: "reject" as const, amountFen: 5990, reasonCode: "no_quality_issue", message: "好" };
    expect(planTaobaoAnswer(config, native, reject, {}, now)).toMatchObject({ ok: false, error: expect.stringMatching(/2–200/) });
    const ok = planTaobaoAnswer(config, native, { ...reject, message: "商品无质量问题" }, {}, now);
    expect(ok.ok && Object.fromEntries(params(ok.calls[0]))).toMatchObject({ method: "taobao.refund.refuse", refuse_message: "商品无质量问题", refuse_reason_id: "102" });
    expect(planTaobaoAnswer(config, native, { ...reject, message: "商品无质量问题" }, { isTmall: true }, now)).toMatchObject({ ok: false, error: expect.stringMatching(/proof/) });
    const big = { field: "refuse_proof", name: "p.png", mimeType: "image/png", bytes: new Uint8Array(130_001) };
    expect(planTaobaoAnswer(config, native, { ...reject, message: "商品无质量问题" }, { isTmall: true }, now, big)).toMatchObject({ ok: false, error: expect.stringMatching(/130000/) });
    const proof = { ...big, bytes: new Uint8Array(130_000) };
    const tmall = planTaobaoAnswer(config, native, { ...reject, message: "商品无质量问题" }, { isTmall: true }, now, proof);
    expect(tmall.ok && tmall.calls[0].headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
  });

  it("a multipart call keeps the file out of the sign", () => {
    const call = buildTopCall(config, "taobao.refund.refuse", { refund_id: "1" }, now, { field: "refuse_proof", name: "p.png", mimeType: "image/png", bytes: new Uint8Array([1, 2, 3]) });
    const body = Buffer.from(call.body as Uint8Array).toString("latin1");
    expect(body).toContain('name="refuse_proof"; filename="p.png"');
    expect(body).toContain('name="sign"');
  });
});
