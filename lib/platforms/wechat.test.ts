import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { PlatformMessageError } from "@/lib/platforms/common";
import type { AnswerDraft, NativeRefund, OrderFacts, PlatformRejectReason } from "@/lib/platforms/types";
import {
  checkWechatAnswer,
  decryptWechat,
  encryptWechat,
  getWechatAnswerStep,
  isWechatAlreadyAnswered,
  mapWechatUpdate,
  openWechatCiphertext,
  openWechatPush,
  parseWechatAftersaleUpdate,
  parseWechatDetail,
  signWechatMessage,
  verifyWechatSignature,
  wechatAnswerTable,
} from "@/lib/platforms/wechat";
import { webhookEvent } from "@/lib/webhook/events";

describe("WeChat message crypto: published known-answer vectors", () => {
  // WeChat's 消息加解密 sample (加解密方案说明), as fixed in fudiwei/DotNetCore.SKIT.FlurlHttpClient.Wechat
  // test/SKIT.FlurlHttpClient.Wechat.Api.UnitTests/TestCase_ToolsWxMsgCryptorTests.cs (TestVerifyAndDecryptEvent)
  // and TestCase_EventVerificationTests.cs (TestVerifyXmlEvent).
  const sample = {
    token: "QDG6eK",
    aesKey: "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
    appId: "wx5823bf96d3bd56c7",
    timestamp: "1409659813",
    nonce: "1372623149",
    msgSignature: "477715d11cdb4164915debcba66cb864d751f3e6",
    encrypted:
      "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==",
    plain:
      "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n<FromUserName><![CDATA[mycreate]]></FromUserName>\n<CreateTime>1409659813</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[hello]]></Content>\n<MsgId>4561255354251345929</MsgId>\n<AgentID>218</AgentID>\n</xml>",
  };

  it("decrypts the sample exactly, with its appid, and its msg_signature verifies", () => {
    expect(openWechatCiphertext(sample.aesKey, sample.encrypted)).toEqual({ message: sample.plain, appId: sample.appId });
    expect(decryptWechat(sample.aesKey, sample.encrypted, sample.appId)).toBe(sample.plain);
    expect(signWechatMessage(sample.token, sample.timestamp, sample.nonce, sample.encrypted)).toBe(sample.msgSignature);
    expect(() => decryptWechat(sample.aesKey, sample.encrypted, "wx0000000000000000")).toThrow(/another appid/);
  });

  it("the second SKIT vector's msg_signature verifies; one changed character does not", () => {
    // Same file, TestVerifyEvent
    const encrypted =
      "Q/jUxIL3/jRaFeTKesIr1QSq2SOEApDqlzcRrRM6Jlk4EbMBns3plPOR/W3gThOEq+zYI42fNSoIUb3cQwt9zyD1aLU/7D3WNLute7LQ9LSHjZEfVmx5zcIR9zvrUWGjhe1whTPH4e1WR6vbOYs8o/bDRF0vX/NcE4XK7P83Y6CzQiJoKbjVCne84s0zcw5eh+ZUDB55eaDHPSoS7kAC8kB00pfBoDF0jyfc8CUKLW97e72vJGyUWjZ0BvYN+R+tFjMgEzg/EN1imuuFnf40DMAcvB6y+C97TuaWjpgfRdowGWzn10JAFNukRfQqjdA0e2bfczJ7+t9w/t8/XSMADJOt1xbnP+I5cRX/r7ueBGmG/6ejP3myO9yTXHdujGvwrXHuWw+J7qD4VoUVjbm2vQ1qQKbrweKssr6O+3XSbanZ5R3n26EpN/gfgX+r6rcGViqsFop9Ai9xMnfJUubB6Q==";
    expect(signWechatMessage("ovAkP0Tb", "1628737717", "1811081856", encrypted)).toBe("8128e41a38892d814e4aa67753425da9dc8ec2b3");
    expect(signWechatMessage("ovAkP0Tb", "1628737717", "1811081857", encrypted)).not.toBe("8128e41a38892d814e4aa67753425da9dc8ec2b3");
  });

  // binarywang/WxJava weixin-java-common/src/test/java/me/chanjar/weixin/common/util/crypto/WxCryptUtilTest.java
  // (testAesEncrypt, testAesEncrypt2): the random prefix "aaaabbbbccccdddd" makes the ciphertext reproducible.
  const wxjava = { aesKey: "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", appId: "wxb11529c136998cb6", random: Buffer.from("aaaabbbbccccdddd") };
  it.each([
    ["我是中文abcd123", "jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg=="],
    [
      "<xml><ToUserName><![CDATA[oia2Tj我是中文jewbmiOUlr6X-1crbLOvLw]]></ToUserName><FromUserName><![CDATA[gh_7f083739789a]]></FromUserName><CreateTime>1407743423</CreateTime><MsgType><![CDATA[video]]></MsgType><Video><MediaId><![CDATA[eYJ1MbwPRJtOvIEabaxHs7TX2D-HV71s79GUxqdUkjm6Gs2Ed1KF3ulAOA9H1xG0]]></MediaId><Title><![CDATA[testCallBackReplyVideo]]></Title><Description><![CDATA[testCallBackReplyVideo]]></Description></Video></xml>",
      "jn1L23DB+6ELqJ+6bruv23M2GmYfkv0xBh2h+XTBOKVKcgDFHle6gqcZ1cZrk3e1qjPQ1F4RsLWzQRG9udbKWesxlkupqcEcW7ZQweImX9+wLMa0GaUzpkycA8+IamDBxn5loLgZpnS7fVAbExOkK5DYHBmv5tptA9tklE/fTIILHR8HLXa5nQvFb3tYPKAlHF3rtTeayNf0QuM+UW/wM9enGIDIJHF7CLHiDNAYxr+r+OrJCmPQyTy8cVWlu9iSvOHPT/77bZqJucQHQ04sq7KZI27OcqpQNSto2OdHCoTccjggX5Z9Mma0nMJBU+jLKJ38YB1fBIz+vBzsYjrTmFQ44YfeEuZ+xRTQwr92vhA9OxchWVINGC50qE/6lmkwWTwGX9wtQpsJKhP+oS7rvTY8+VdzETdfakjkwQ5/Xka042OlUb1/slTwo4RscuQ+RdxSGvDahxAJ6+EAjLt9d8igHngxIbf6YyqqROxuxqIeIch3CssH/LqRs+iAcILvApYZckqmA7FNERspKA5f8GoJ9sv8xmGvZ9Yrf57cExWtnX8aCMMaBropU/1k+hKP5LVdzbWCG0hGwx/dQudYR/eXp3P0XxjlFiy+9DMlaFExWUZQDajPkdPrEeOwofJb",
    ],
  ])("WxJava's vector: %s encrypts to its published ciphertext and decrypts back", (message, expected) => {
    expect(encryptWechat(wxjava.aesKey, message, wxjava.appId, wxjava.random)).toBe(expected);
    expect(decryptWechat(wxjava.aesKey, expected, wxjava.appId)).toBe(message);
  });

  it.each([
    ["a truncated ciphertext", "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo"],
    ["a changed last block", sample.encrypted.slice(0, -6) + "AAAA=="],
  ])("%s is refused as a bad message", (_name, encrypted) => {
    expect(() => decryptWechat(sample.aesKey, encrypted)).toThrow(PlatformMessageError);
  });
});

// W1–W3: the push and detail shapes of the SKIT sample (Events/Channels/EC ChannelsECAftersaleUpdateEvent.json;
// ModelSamples/Channels/ECAftersale/ChannelsECAftersaleGetAftersaleOrderResponse.json), our own values.
const w1 =
  '{"ToUserName":"gh_abc123","FromUserName":"OpenID","CreateTime":1763604130,"MsgType":"event","Event":"channels_ec_aftersale_update","finder_shop_aftersale_status_update":{"status":"MERCHANT_PROCESSING","after_sale_order_id":"2000000051234567890","order_id":"3723456789012345678"}}';
const w3 = {
  errcode: 0,
  errmsg: "ok",
  after_sale_order: {
    after_sale_order_id: "2000000051234567890",
    order_id: "3723456789012345678",
    type: "RETURN",
    status: "MERCHANT_PROCESSING",
    reason: "QUALITY_ISSUE",
    reason_text: "质量问题",
    details: { desc: "拉链坏了", receive_product: true, media_id_list: ["m1", "m2"] },
    product_info: { product_id: "10000012345", sku_id: "20000012345", count: 1 },
    refund_info: { amount: 12900 },
    update_time: 1763604130,
    deadline: 172800,
  },
};
const settings = { token: "fixture-token", aesKey: "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", appId: "wx1234567890abcdef" };
const query = { timestamp: "1763604130", nonce: "1320562453" };
const plainSignature = createHash("sha1").update([settings.token, query.timestamp, query.nonce].sort().join("")).digest("hex");

describe("WeChat 小店 push", () => {
  it("plain mode: signature = SHA1(sort(token, timestamp, nonce)); a bad one is refused", () => {
    expect(verifyWechatSignature(settings.token, query.timestamp, query.nonce, plainSignature)).toBe(true);
    expect(openWechatPush(settings, { ...query, signature: plainSignature }, w1).Event).toBe("channels_ec_aftersale_update");
    expect(() => openWechatPush(settings, { ...query, signature: "0".repeat(40) }, w1)).toThrow(PlatformMessageError);
  });

  it("safe mode (W2): msg_signature over Encrypt, AES-CBC opens to W1", () => {
    const encrypted = encryptWechat(settings.aesKey, w1, settings.appId, Buffer.alloc(16, 7));
    const body = JSON.stringify({ ToUserName: "gh_abc123", Encrypt: encrypted });
    const msgSignature = signWechatMessage(settings.token, query.timestamp, query.nonce, encrypted);
    const event = openWechatPush(settings, { ...query, encrypt_type: "aes", msg_signature: msgSignature }, body);
    expect(parseWechatAftersaleUpdate(event)).toMatchObject({ afterSaleOrderId: "2000000051234567890", status: "MERCHANT_PROCESSING" });
    expect(() => openWechatPush(settings, { ...query, encrypt_type: "aes", msg_signature: "0".repeat(40) }, body)).toThrow(/msg_signature/);
  });
});

describe("getaftersaleorder", () => {
  it("reads SKIT's published detail sample", () => {
    // SKIT ModelSamples/Channels/ECAftersale/ChannelsECAftersaleGetAftersaleOrderResponse.json, abridged
    const skit = {
      errcode: 0,
      after_sale_order: {
        after_sale_order_id: "123456",
        status: "MERCHANT_REFUND_SUCCESS",
        openid: "OPENID",
        order_id: "1768683047558651",
        product_info: { product_id: "3286", sku_id: "4740", count: 1 },
        details: { desc: "1234", receive_product: true, cancel_time: 0, media_id_list: [], tel_number: "" },
        refund_info: { amount: 11, refund_reason: 1 },
        create_time: 1591319454,
        update_time: 1612754444,
        reason: "NO_LONGER_WANT",
        type: "REFUND",
      },
    };
    expect(parseWechatDetail(skit)).toEqual({
      afterSaleOrderId: "123456",
      orderId: "1768683047558651",
      type: "REFUND",
      status: "MERCHANT_REFUND_SUCCESS",
      reason: "NO_LONGER_WANT",
      reasonText: null,
      desc: "1234",
      amountFen: 11,
      productId: "3286",
      skuId: "4740",
      updateTime: "2021-02-08T03:20:44.000Z",
      updateTimeS: 1612754444,
      deadlineS: null,
      buyerMediaCount: 0,
    });
  });

  it.each([
    ["an errcode", { errcode: 10020000, errmsg: "售后单号不存在" }, /售后单号不存在/],
    ["no type", { errcode: 0, after_sale_order: { ...w3.after_sale_order, type: undefined } }, /type or status/],
    ["a negative amount", { errcode: 0, after_sale_order: { ...w3.after_sale_order, refund_info: { amount: -1 } } }, /fen/],
  ])("refuses a detail with %s", (_name, body, message) => {
    expect(() => parseWechatDetail(body)).toThrow(message);
  });
});

const knownFacts: OrderFacts = {
  shippedAt: "2025-11-14T02:02:10.000Z",
  receivedAt: "2025-11-17T02:02:10.000Z",
  completedAt: "2025-11-17T02:02:10.000Z",
  category: "home_textile",
  priorRefund: "none",
  subOrderId: null,
  title: "纯棉四件套 1.8m 床",
  amountFen: 15900,
  unknown: [],
};
const fetchedAt = new Date("2025-11-20T02:05:00.000Z");

describe("mapWechatUpdate", () => {
  const update = parseWechatAftersaleUpdate(JSON.parse(w1) as Record<string, unknown>)!;
  const created = (facts: OrderFacts | null) => {
    const event = mapWechatUpdate(update, parseWechatDetail(w3), { facts, fetchedAt }).events[0];
    if (event.type !== "request.created") throw new Error("expected request.created");
    return event.data;
  };

  it("a new return: the card carries the order's facts; the platform clock is the read time + deadline seconds", () => {
    const mapped = mapWechatUpdate(update, parseWechatDetail(w3), { facts: knownFacts, fetchedAt });
    for (const event of mapped.events) expect(webhookEvent.safeParse(event).success).toBe(true);
    expect(mapped.events.map((event) => event.type)).toEqual(["request.created", "deadline.changed"]);
    expect(created(knownFacts)).toMatchObject({
      kind: "return_refund",
      amountFen: 12900,
      reasonCode: "quality_issue",
      reasonText: "拉链坏了",
      evidence: [],
      platformDeadline: "2025-11-22T02:05:00.000Z",
      order: { orderId: "3723456789012345678", title: "纯棉四件套 1.8m 床", amountFen: 15900, category: "home_textile", shippedAt: knownFacts.shippedAt, receivedAt: knownFacts.receivedAt, completedAt: knownFacts.completedAt, priorRefund: "none", supportedKinds: ["return_refund"] },
    });
    expect(created(knownFacts).order).not.toHaveProperty("unknownFacts");
    expect(mapped.native).toMatchObject({ refundId: "2000000051234567890", status: "MERCHANT_PROCESSING", platformType: "RETURN", kind: "return_refund", version: "1763604130", amountFen: 12900 });
  });

  it("unknown facts are left out (absent = unknown) and listed; null facts stay null (not yet)", () => {
    const facts: OrderFacts = { ...knownFacts, shippedAt: "2025-11-14T02:02:10.000Z", receivedAt: null, completedAt: null, unknown: ["category", "prior_refund"] };
    const order = created(facts).order;
    expect(order).toMatchObject({ shippedAt: facts.shippedAt, receivedAt: null, completedAt: null, unknownFacts: ["category", "prior_refund"] });
    expect(order).not.toHaveProperty("priorRefund");
    const none = created(null).order;
    for (const key of ["shippedAt", "receivedAt", "completedAt", "priorRefund"]) expect(none).not.toHaveProperty(key);
    expect(none).toMatchObject({ unknownFacts: ["shipped", "received", "completed", "category", "prior_refund"], title: "小店商品", amountFen: 12900 });
  });

  it("a reason WeChat added later keeps its reason_text verbatim", () => {
    const detail = parseWechatDetail({ ...w3, after_sale_order: { ...w3.after_sale_order, reason: "10001555", reason_text: "尺码拍错" } });
    const event = mapWechatUpdate(update, detail, { facts: knownFacts, fetchedAt }).events[0];
    expect(event.type === "request.created" && event.data.reasonCode).toBe("尺码拍错");
  });

  it.each([
    ["MERCHANT_REFUND_SUCCESS", ["request.cancelled"]],
    ["USER_CANCELD", ["request.cancelled"]],
    ["MERCHANT_WAIT_RECEIPT", ["deadline.changed"]],
    ["USER_WAIT_RETURN", []],
  ])("a later status %s → %j", (status, types) => {
    const detail = parseWechatDetail({ ...w3, after_sale_order: { ...w3.after_sale_order, status, update_time: 1763609999 } });
    expect(mapWechatUpdate({ ...update, status }, detail, { facts: null, fetchedAt }).events.map((event) => event.type)).toEqual(types);
  });

  it("an after-sale type the desk has no kind for (补寄 RESHIP) is acknowledged with a note, no card", () => {
    const mapped = mapWechatUpdate(update, parseWechatDetail({ ...w3, after_sale_order: { ...w3.after_sale_order, type: "RESHIP" } }), { facts: null, fetchedAt });
    expect(mapped.events).toEqual([]);
    expect(mapped.note).toMatch(/RESHIP/);
  });
});

describe("the answer table and the state's answer call", () => {
  const native = (platformType: string, status: string): NativeRefund => ({ protocol: "wechat_ec", refundId: "2000000051234567890", orderId: "37", status, platformType, kind: null, version: "1", intervention: null });

  it.each([
    ["REFUND", "MERCHANT_PROCESSING", "approve", { api: "/channels/ec/aftersale/acceptapply", acceptType: 2 }],
    ["REFUND", "MERCHANT_PROCESSING", "reject", { api: "/channels/ec/aftersale/rejectapply", rejectScene: 1 }],
    ["RETURN", "MERCHANT_PROCESSING", "approve", { api: "/channels/ec/aftersale/acceptapply", acceptType: 1, needsAddress: true }],
    ["RETURN", "MERCHANT_PROCESSING", "reject", { api: "/channels/ec/aftersale/rejectapply", rejectScene: 4 }],
    ["RETURN", "MERCHANT_WAIT_RECEIPT", "approve", { api: "/channels/ec/aftersale/acceptapply", acceptType: 2 }],
    ["RETURN", "MERCHANT_WAIT_RECEIPT", "reject", { api: "/channels/ec/aftersale/rejectapply", rejectScene: 4 }],
    ["EXCHANGE", "MERCHANT_PROCESSING", "approve", { api: "/channels/ec/aftersale/acceptapply", acceptType: 1, needsAddress: true }],
    ["EXCHANGE", "MERCHANT_PROCESSING", "reject", { api: "/channels/ec/aftersale/rejectapply", rejectScene: 5 }],
    ["EXCHANGE", "MERCHANT_WAIT_RECEIPT", "reject", { api: "/channels/ec/aftersale/rejectexchangereship", rejectScene: 6 }],
  ] as const)("%s at %s, %s → %j", (type, status, action, step) => {
    const found = getWechatAnswerStep(native(type, status), action);
    expect(found.ok && found.step).toMatchObject(step);
    expect(isWechatAlreadyAnswered(native(type, status))).toBe(false);
  });

  it.each([
    ["EXCHANGE", "MERCHANT_WAIT_RECEIPT", "approve", "needs_logistics"],
    ["REFUND", "USER_WAIT_RETURN", "approve", "no_api_for_state"],
    ["RETURN", "MERCHANT_REJECT_RETURN", "reject", "no_api_for_state"],
    ["RESHIP", "MERCHANT_PROCESSING", "approve", "no_api_for_kind"],
    ["REFUND", "MERCHANT_PROCESSING", "counter_offer", "counter_offer_not_offered"],
  ] as const)("%s at %s, %s is not offered: %s", (type, status, action, reason) => {
    expect(getWechatAnswerStep(native(type, status), action)).toEqual({ ok: false, reason });
    expect(checkWechatAnswer({ kind: "exchange", action, native: native(type, status), message: "", reasonCode: null, reasons: null, proof: [] })).toEqual([{ code: "answer_not_offered", reason }]);
  });

  it("repair and entry reopen have no WeChat API; no kind takes a counter-offer", () => {
    expect(wechatAnswerTable.repair).toEqual({ approve: { notOffered: "no_api_for_kind" }, reject: { notOffered: "no_api_for_kind" }, counter_offer: { notOffered: "counter_offer_not_offered" } });
    expect(wechatAnswerTable.entry_reopen.approve).toEqual({ notOffered: "entry_reopen_in_backend" });
    for (const row of Object.values(wechatAnswerTable)) expect(row.counter_offer).toEqual({ notOffered: "counter_offer_not_offered" });
    expect(wechatAnswerTable.exchange.reject).toEqual({ apis: ["/channels/ec/aftersale/rejectapply", "/channels/ec/aftersale/rejectexchangereship"] });
  });
});

describe("checkWechatAnswer", () => {
  const reasons: PlatformRejectReason[] = [
    { id: "6", text: "买家误操作/已协商取消申请", tips: "默认描述", isEvidenceRequired: false },
    { id: "99", text: "需要举证的原因", tips: null, isEvidenceRequired: true },
  ];
  const draft = (values: Partial<AnswerDraft>): AnswerDraft => ({ kind: "refund_only", action: "reject", native: null, message: "已与买家协商取消", reasonCode: "6", reasons, proof: [], ...values });

  it.each([
    ["a listed reason and a short text", draft({}), []],
    ["an empty text (WeChat then shows its default description)", draft({ message: "  " }), []],
    ["500 characters", draft({ message: "好".repeat(500) }), []],
    ["501 characters, counted as characters", draft({ message: "好".repeat(500) + "😀" }), [{ code: "message_length", min: 0, max: 500, chars: 501 }]],
    ["a reason not on WeChat's list", draft({ reasonCode: "7" }), [{ code: "reason_not_platform", reasonCode: "7" }]],
    ["one of our own reason codes", draft({ reasonCode: "past_period", reasons: null }), [{ code: "reason_not_platform", reasonCode: "past_period" }]],
    ["no reason at all", draft({ reasonCode: null, reasons: null }), [{ code: "reason_not_platform", reasonCode: "" }]],
    ["a reason that wants proof, without proof", draft({ reasonCode: "99" }), [{ code: "proof_required" }]],
    ["a proof that is not an image", draft({ proof: [{ name: "a.pdf", type: "application/pdf", sizeBytes: 10 }] }), [{ code: "proof_type", fileName: "a.pdf", type: "application/pdf" }]],
    ["an approval (nothing to check)", draft({ action: "approve", reasonCode: null, message: "" }), []],
  ])("%s", (_name, input, problems) => {
    expect(checkWechatAnswer(input)).toEqual(problems);
  });
});
