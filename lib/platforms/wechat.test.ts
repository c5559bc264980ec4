import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { PlatformMessageError } from "@/lib/platforms/common";
import type { NativeRefund } from "@/lib/platforms/types";
import { getPolicyProfile } from "@/lib/policy/profiles";
import { decryptWechat, defaultWechatRejectReasonTypes, encryptWechat, mapWechatUpdate, openWechatPush, parseWechatAftersaleUpdate, parseWechatDetail, planWechatAnswer, signWechatMessage } from "@/lib/platforms/wechat";
import { webhookEvent } from "@/lib/webhook/events";

// W1–W3 are PLATFORMS.md §3's samples (shape from the SDK test sample [9], values ⚑).
const w1 =
  '{"ToUserName":"gh_abc123","FromUserName":"OpenID","CreateTime":1763604130,"MsgType":"event","Event":"channels_ec_aftersale_update","finder_shop_aftersale_status_update":{"status":"MERCHANT_PROCESSING","after_sale_order_id":"2000000051234567890","order_id":"3723456789012345678"}}';
const w3 =
  '{"errcode":0,"errmsg":"ok","after_sale_order":{"after_sale_order_id":"2000000051234567890","type":"RETURN","status":"MERCHANT_PROCESSING","reason":"QUALITY_ISSUE","details":{"desc":"拉链坏了","receive_product":true},"refund_info":{"amount":12900},"update_time":1763604130,"deadline":172800}}';
const settings = { token: "fixture-token", aesKey: "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", appId: "wx1234567890abcdef" };
const query = { timestamp: "1763604130", nonce: "1320562453" };
const plainSignature = createHash("sha1").update([settings.token, query.timestamp, query.nonce].sort().join("")).digest("hex");

describe("WeChat 小店 push", () => {
  it("plain mode: signature = SHA1(sort(token, timestamp, nonce)); a bad one is refused", () => {
    expect(openWechatPush(settings, { ...query, signature: plainSignature }, w1).Event).toBe("channels_ec_aftersale_update");
    expect(() => openWechatPush(settings, { ...query, signature: "0".repeat(40) }, w1)).toThrow(PlatformMessageError);
  });

  it("safe mode (W2): msg_signature over Encrypt, AES-CBC opens to W1", () => {
    const encrypted = encryptWechat(settings.aesKey, w1, settings.appId, Buffer.alloc(16, 7));
    expect(decryptWechat(settings.aesKey, encrypted, settings.appId)).toBe(w1);
    const body = JSON.stringify({ ToUserName: "gh_abc123", Encrypt: encrypted });
    const msgSignature = signWechatMessage(settings.token, query.timestamp, query.nonce, encrypted);
    const event = openWechatPush(settings, { ...query, encrypt_type: "aes", msg_signature: msgSignature }, body);
    expect(parseWechatAftersaleUpdate(event)).toMatchObject({ afterSaleOrderId: "2000000051234567890", status: "MERCHANT_PROCESSING" });
    expect(() => openWechatPush(settings, { ...query, encrypt_type: "aes", msg_signature: "0".repeat(40) }, body)).toThrow(/msg_signature/);
    expect(() => decryptWechat(settings.aesKey, encrypted, "wx-other")).toThrow(/another appid/);
  });

  it("W1 + W3 → a return card whose platform deadline is update_time + deadline seconds", () => {
    const update = parseWechatAftersaleUpdate(JSON.parse(w1) as Record<string, unknown>)!;
    const mapped = mapWechatUpdate(update, parseWechatDetail(JSON.parse(w3)), {});
    for (const event of mapped.events) expect(webhookEvent.safeParse(event).success).toBe(true);
    expect(mapped.events[0]).toMatchObject({ type: "request.created", data: { kind: "return_refund", amountFen: 12900, reasonCode: "quality_issue", reasonText: "拉链坏了", platformDeadline: "2025-11-22T02:02:10.000Z" } });
    expect(mapWechatUpdate(update, parseWechatDetail(JSON.parse(w3)), {}).events.map((event) => event.id)).toEqual(mapped.events.map((event) => event.id));
  });

  it("answers: accept a return with the address (accept_type 1), reject with reason type and text", () => {
    const native: NativeRefund = { protocol: "wechat_ec", refundId: "2000000051234567890", orderId: "3723456789012345678", status: "MERCHANT_PROCESSING", platformType: "RETURN", kind: "return_refund", version: "1763604130", intervention: null };
    const config = { baseUrl: "https://api.weixin.qq.com", accessToken: "tok" };
    const accept = planWechatAnswer(config, native, { requestId: native.refundId, decision: "approve", amountFen: 12900 }, { returnAddressId: "5" });
    expect(accept.ok && JSON.parse(String(accept.calls[0].body))).toEqual({ after_sale_order_id: "2000000051234567890", address_id: "5", accept_type: 1 });
    const reject = planWechatAnswer(config, native, { requestId: native.refundId, decision: "reject", amountFen: 12900, reasonCode: "no_quality_issue", message: "商品无质量问题" }, {});
    expect(reject.ok && reject.calls[0].url).toContain("/channels/ec/aftersale/rejectapply");
    expect(reject.ok && JSON.parse(String(reject.calls[0].body))).toMatchObject({ reject_reason_type: 2, reject_reason: "商品无质量问题" });
  });
});

describe("WeChat profile ↔ adapter", () => {
  it("every reject reason the desk offers on WeChat has a reject_reason_type", () => {
    for (const reason of getPolicyProfile("wechat").rejectReasons) expect(defaultWechatRejectReasonTypes[reason.code]).toBeDefined();
  });
});
