import { describe, expect, it } from "vitest";
import { PlatformMessageError, parseJsonLossless } from "@/lib/platforms/common";
import { buildDouyinOperateParams, checkDouyinAnswer, douyinAnswerTable, getDouyinOperate, getDouyinUpdateTimeS, readDouyinOperateAnswer } from "@/lib/platforms/douyin/answers";
import { getDouyinOrderRef, mapDouyinMessage, parseDouyinDetail } from "@/lib/platforms/douyin/messages";
import { DouyinInt64, buildDouyinApiCall, marshalDouyinParams, readDouyinResponse, signDouyinApi } from "@/lib/platforms/douyin/open-api";
import { getDouyinKind, parseDouyinPush, signDouyinPush, verifyDouyinPush } from "@/lib/platforms/douyin/push";
import { getDouyinOrderFacts, parseDouyinAftersaleList, parseDouyinOrderDetail } from "@/lib/platforms/douyin-order";
import { arbitrateBody, d1AftersaleListBody, d1Body, d1DetailBody, d1OrderDetailBody, d2Body, d3Body, douyinApp, modifiedBeforeCreatedBody } from "@/lib/platforms/fixtures/douyin";
import type { AnswerDraft, NativeRefund, OrderFacts } from "@/lib/platforms/types";
import { applyRequestEvents, type RequestEvent } from "@/lib/webhook/event-order";
import { webhookEvent } from "@/lib/webhook/events";

const receivedAt = new Date("2026-11-20T02:10:00Z");
const detail = parseDouyinDetail(parseJsonLossless(d1DetailBody));

function mapOne(body: string, options: { withDetail?: boolean; facts?: OrderFacts } = {}) {
  const [message] = parseDouyinPush(body);
  return mapDouyinMessage(message, options.withDetail === false ? null : detail, { receivedAt, facts: options.facts });
}

// No public known-answer vector exists for either signature: Douyin's guides give the algorithm and sample
// parameters but no resulting sign, and the SDKs read (zsmhub/doudian-sdk utils/sign_util.go, message/doudian_sign.go;
// minibear2021/doudian doudian/core.py; westng/doudian-sdk tests/Utils/SignUtilTest.php) test only the length or
// nothing. These vectors were computed independently of this code with the openssl command line:
//   printf '%s' "$app_key$body$app_secret" | openssl dgst -md5
//   printf '%s' "${secret}app_key${key}method${method}param_json${json}timestamp${ts}v2${secret}" | openssl dgst -sha256 -hmac "$secret"
// and again with Python's hashlib/hmac. The API inputs are the sample parameters of Douyin's API调用指南
// (app_key 3409409348479354011, method product.getGoodsCategory, param_json {"cid":"12","page":"1"}) with
// 2020-09-15 14:48:13 +08:00 as Unix seconds and an invented secret (the guide publishes none).
describe("known-answer vectors", () => {
  it.each([
    { body: '[{"tag":"200","msg_id":"7301122334455667788","data":"{\\"aftersale_id\\":7301500100200300401}"}]', sign: "6e82ab10b5ad762e15a18838ebeaaae6" },
    { body: '[{"tag":"200","msg_id":"7301122334455667788","data":"{\\"aftersale_id\\":7301500100200300401,\\"note\\":\\"橙子\\"}"}]', sign: "964e89aa8bf4ea33a6e1d0ffc797839c" },
  ])("push event-sign = md5(app_key + body + app_secret), UTF-8: $sign", ({ body, sign }) => {
    expect(signDouyinPush("7123456789012345678", body, "fixture-secret-douyin")).toBe(sign);
    expect(verifyDouyinPush("7123456789012345678", "fixture-secret-douyin", body, sign)).toBe(true);
  });

  it.each([
    { method: "product.getGoodsCategory", timestamp: 1600152493, paramJson: '{"cid":"12","page":"1"}', sign: "4ba5d1ff8ea1cdd1958c8e505191c9434b196127bc1e0349018b27c43aa53a5f" },
    {
      method: "afterSale.operate",
      timestamp: 1763604130,
      paramJson: '{"items":[{"aftersale_id":"7301500100200300401","reason":"商品无质量问题"}],"type":202}',
      sign: "d6493cd43abb5dfb5fd38a912f80a14ba750e11c819ec9a800f68a67e92f24df",
    },
  ])("API sign = hmac-sha256 over the param string: $method", ({ method, timestamp, paramJson, sign }) => {
    expect(signDouyinApi("3409409348479354011", "app-secret-for-test", method, timestamp, paramJson)).toBe(sign);
  });
});

describe("Douyin push signature", () => {
  it("accepts an uppercase sign, refuses a changed body or secret", () => {
    const sign = signDouyinPush(douyinApp.appKey, d1Body, douyinApp.appSecret);
    expect(verifyDouyinPush(douyinApp.appKey, douyinApp.appSecret, d1Body, sign.toUpperCase())).toBe(true);
    expect(verifyDouyinPush(douyinApp.appKey, douyinApp.appSecret, `${d1Body} `, sign)).toBe(false);
    expect(verifyDouyinPush(douyinApp.appKey, "wrong-secret", d1Body, sign)).toBe(false);
  });
});

describe("Douyin push parsing", () => {
  it("keeps the 19-digit ids of D1 exact", () => {
    const [message] = parseDouyinPush(d1Body);
    expect(message).toMatchObject({ tag: 200, msgId: "7301122334455667788", data: { aftersale_id: "7301500100200300401", p_id: "6920112233445566778", shop_id: 10437917 } });
  });

  it("accepts fudiwei's msgId and object data, refuses a body that is not an array", () => {
    const [message] = parseDouyinPush('[{"tag":"209","msgId":"1","data":{"aftersale_id":7301500100200300402,"status_deadline":1764208930}}]');
    expect(message.data.aftersale_id).toBe("7301500100200300402");
    expect(() => parseDouyinPush('{"tag":"200"}')).toThrow(PlatformMessageError);
    expect(() => parseDouyinPush('[{"tag":"200","msg_id":"1","data":"{oops"}]')).toThrow(PlatformMessageError);
  });
});

describe("Douyin messages → our events", () => {
  const facts = getDouyinOrderFacts({
    aftersaleId: "7301500100200300401",
    aftersaleType: 1,
    skuOrderId: "6920112233445566779",
    order: parseDouyinOrderDetail(parseJsonLossless(d1OrderDetailBody)),
    aftersales: parseDouyinAftersaleList(parseJsonLossless(d1AftersaleListBody)).items,
    categoryNames: ["生鲜", "水果", "橙子"],
  });

  it("D1 (200) + detail + order facts → request.created the contract accepts, with the sub-order's facts", () => {
    const mapped = mapOne(d1Body, { facts });
    expect(mapped.events).toHaveLength(1);
    const [event] = mapped.events;
    expect(webhookEvent.safeParse(event).success).toBe(true);
    expect(event).toMatchObject({
      // The version is update_time (2026 in the ⚑ sample), not apply_time (2025): key = (refund id, status, version)
      id: "evt_dy_7301500100200300401_6_200_1795140130",
      type: "request.created",
      occurredAt: "2025-11-20T02:02:10.000Z",
      data: {
        requestId: "7301500100200300401",
        kind: "refund_only",
        reasonCode: "quality_issue",
        reasonText: "橙子有两个坏了",
        evidence: ["https://p3-aio.ecombdimg.com/obj/evidence/1.jpg"],
        amountFen: 8900,
        platformDeadline: "2025-11-22T02:02:10.000Z",
      },
    });
    expect(event.type === "request.created" && event.data.order).toEqual({
      orderId: "6920112233445566778",
      title: "赣南脐橙 5斤装",
      amountFen: 8900,
      supportedKinds: ["refund_only", "return_refund"],
      category: "fresh_food",
      shippedAt: "2025-11-17T17:20:00.000Z",
      receivedAt: "2025-11-18T21:06:40.000Z",
      completedAt: null,
      priorRefund: "closed",
      subOrderId: "6920112233445566779",
    });
    expect(mapped.native).toMatchObject({ refundId: "7301500100200300401", status: "6", platformType: "1", updateTime: "2026-11-20T10:02:10+08:00" });
  });

  it("without order facts (the order API failed) every fact is unknown: left out and listed, never guessed", () => {
    const [event] = mapOne(d1Body).events;
    const order = event.type === "request.created" ? event.data.order : null;
    expect(order).toMatchObject({ unknownFacts: ["shipped", "received", "completed", "category", "prior_refund"], subOrderId: "6920112233445566779" });
    expect(order).not.toHaveProperty("shippedAt");
    expect(order).not.toHaveProperty("completedAt");
    expect(order).not.toHaveProperty("priorRefund");
    expect(webhookEvent.safeParse(event).success).toBe(true);
  });

  it("未发货仅退款 (aftersale_type 2) without the order API still knows: not shipped, so not received or completed", () => {
    const body = d1Body.replace('\\"aftersale_type\\":1', '\\"aftersale_type\\":2');
    const [event] = mapOne(body).events;
    expect(event.type === "request.created" && event.data.order).toMatchObject({ shippedAt: null, receivedAt: null, completedAt: null, unknownFacts: ["category", "prior_refund"] });
  });

  it("a created message without its detail is refused (so the platform redelivers it)", () => {
    expect(() => mapOne(d1Body, { withDetail: false })).toThrow(/needs the after-sales detail/);
  });

  it("a redelivered message maps to the same event id", () => {
    expect(mapOne(d1Body).events[0].id).toBe(mapOne(d1Body).events[0].id);
  });

  it("D2 (204 refused) only moves the native state; D3 (209) → deadline.changed", () => {
    const refused = mapOne(d2Body, { withDetail: false });
    expect(refused.events).toEqual([]);
    expect(refused.native).toMatchObject({ status: "27", updateTime: "2026-11-20T10:06:40+08:00" });
    const deadline = mapOne(d3Body, { withDetail: false });
    expect(deadline.events).toEqual([
      expect.objectContaining({ type: "deadline.changed", data: { requestId: "7301500100200300402", platformDeadline: "2025-11-27T02:02:10.000Z" } }),
    ]);
  });

  it("an out-of-order pair (208 before 200) converges to the modified amount and reason", () => {
    const created = mapOne(d1Body).events[0] as RequestEvent;
    const modified = mapOne(modifiedBeforeCreatedBody).events[0] as RequestEvent;
    expect(modified.type).toBe("request.updated");
    expect(applyRequestEvents(null, [modified, created])).toEqual(applyRequestEvents(null, [created, modified]));
    expect(applyRequestEvents(null, [created, modified])?.fields).toMatchObject({ amountFen: 7900, reasonCode: "not_as_described" });
  });

  it("arbitration (212) becomes the intervention state and raises no proposal (no documented field carries one)", () => {
    const mapped = mapOne(arbitrateBody, { withDetail: false });
    expect(mapped.native?.intervention).toBe("cs_handling");
    expect(mapped.events).toEqual([]);
  });

  it("aftersale_type → kinds: 补寄 is an exchange, 价保 and cancellations make no card", () => {
    expect([0, 1, 2, 3, 7, 8].map(getDouyinKind)).toEqual(["return_refund", "refund_only", "refund_only", "exchange", "exchange", "repair"]);
    expect([4, 5, 6].map(getDouyinKind)).toEqual([null, null, null]);
  });

  it("the order ref of a created message is the push's p_id and s_id (aftersale_type 0 stays 0)", () => {
    const [message] = parseDouyinPush(d1Body.replace('\\"aftersale_type\\":1', '\\"aftersale_type\\":0'));
    expect(getDouyinOrderRef(message, detail)).toEqual({ orderId: "6920112233445566778", aftersaleId: "7301500100200300401", aftersaleType: 0, skuOrderId: "6920112233445566779" });
  });
});

const native = (platformType: string, status: string): NativeRefund => ({
  protocol: "douyin_push",
  refundId: "7301500100200300401",
  orderId: "6920112233445566778",
  status,
  platformType,
  kind: null,
  version: "1795140130",
  updateTime: "2026-11-20T10:02:10+08:00",
  intervention: null,
});

describe("the answer table: /afterSale/operate type per aftersale_type, status and decision", () => {
  it.each([
    { type: "0", status: "6", action: "approve", expected: { ok: true, type: 101, needsReturnAddress: true } },
    { type: "0", status: "6", action: "reject", expected: { ok: true, type: 102, needsReturnAddress: false } },
    { type: "0", status: "11", action: "approve", expected: { ok: true, type: 111, needsReturnAddress: false } },
    { type: "0", status: "11", action: "reject", expected: { ok: true, type: 112, needsReturnAddress: false } },
    { type: "1", status: "6", action: "approve", expected: { ok: true, type: 201, needsReturnAddress: false } },
    { type: "1", status: "6", action: "reject", expected: { ok: true, type: 202, needsReturnAddress: false } },
    { type: "2", status: "6", action: "approve", expected: { ok: true, type: 401, needsReturnAddress: false } },
    { type: "2", status: "6", action: "reject", expected: { ok: false, reason: "unshipped_refund_cannot_reject" } },
    { type: "3", status: "6", action: "approve", expected: { ok: true, type: 301, needsReturnAddress: true } },
    { type: "3", status: "6", action: "reject", expected: { ok: true, type: 302, needsReturnAddress: false } },
    { type: "3", status: "11", action: "approve", expected: { ok: false, reason: "needs_logistics" } },
    { type: "3", status: "11", action: "reject", expected: { ok: true, type: 312, needsReturnAddress: false } },
    { type: "7", status: "6", action: "approve", expected: { ok: false, reason: "no_api_for_kind" } },
    { type: "8", status: "6", action: "reject", expected: { ok: false, reason: "no_api_for_kind" } },
    { type: "1", status: "12", action: "approve", expected: { ok: false, reason: "no_api_for_state" } },
    { type: "0", status: "7", action: "reject", expected: { ok: false, reason: "no_api_for_state" } },
  ] as const)("type $type, status $status, $action", ({ type, status, action, expected }) => {
    expect(getDouyinOperate(native(type, status), action)).toEqual(expected);
  });

  it("counter offers, 维修 and 重开入口 are never offered by the table", () => {
    for (const kind of Object.keys(douyinAnswerTable) as (keyof typeof douyinAnswerTable)[]) expect(douyinAnswerTable[kind].counter_offer).toEqual({ notOffered: "counter_offer_not_offered" });
    expect(douyinAnswerTable.repair.approve).toEqual({ notOffered: "no_api_for_kind" });
    expect(douyinAnswerTable.entry_reopen.reject).toEqual({ notOffered: "entry_reopen_in_backend" });
  });
});

describe("checkDouyinAnswer", () => {
  const reasons = [
    { id: "2", text: "商品无质量问题", tips: null, isEvidenceRequired: false },
    { id: "8", text: "其他", tips: "请上传凭证", isEvidenceRequired: true },
  ];
  const draft = (changes: Partial<AnswerDraft>): AnswerDraft => ({
    kind: "refund_only",
    action: "reject",
    native: native("1", "6"),
    message: "照片显示果品完好",
    reasonCode: "2",
    reasons,
    proof: [],
    ...changes,
  });

  it.each([
    { name: "a complete rejection", changes: {}, problems: [] },
    { name: "未发货仅退款 cannot be refused", changes: { native: native("2", "6") }, problems: [{ code: "answer_not_offered", reason: "unshipped_refund_cannot_reject" }] },
    { name: "an empty remark", changes: { message: "  " }, problems: [{ code: "message_length", min: 1, max: 200, chars: 0 }] },
    { name: "201 code points (emoji count once)", changes: { message: "😀".repeat(201) }, problems: [{ code: "message_length", min: 1, max: 200, chars: 201 }] },
    { name: "200 code points pass", changes: { message: "😀".repeat(200) }, problems: [] },
    { name: "a reason not in the platform's list", changes: { reasonCode: "past_period" }, problems: [{ code: "reason_not_platform", reasonCode: "past_period" }] },
    { name: "evidence_need=Y without proof", changes: { reasonCode: "8" }, problems: [{ code: "proof_required" }] },
    { name: "evidence_need=Y with proof", changes: { reasonCode: "8", proof: [{ name: "a.jpg", type: "image/jpeg", sizeBytes: 900_000 }] }, problems: [] },
    { name: "proof that is not an image", changes: { proof: [{ name: "a.pdf", type: "application/pdf", sizeBytes: 10 }] }, problems: [{ code: "proof_type", fileName: "a.pdf", type: "application/pdf" }] },
    { name: "approving needs nothing more", changes: { action: "approve" as const, message: "" }, problems: [] },
    { name: "no native state yet: the table alone decides", changes: { native: null }, problems: [] },
  ])("$name", ({ changes, problems }) => {
    expect(checkDouyinAnswer(draft(changes))).toEqual(problems);
  });
});

describe("/afterSale/operate params", () => {
  const rejection = { reasonCode: "8", reasonText: "其他", remark: "照片显示果品完好", evidence: [{ url: "https://p3-aio.ecombdimg.com/obj/m/1.jpg", desc: "凭证1" }] };

  it("agreeing a return carries the address as an int64 and update_time as Unix seconds", () => {
    const params = buildDouyinOperateParams(native("0", "6"), 101, { returnAddressId: "7000000000000000001" });
    expect(marshalDouyinParams(params)).toBe('{"items":[{"aftersale_id":"7301500100200300401","logistics":{"receiver_address_id":7000000000000000001},"update_time":1795140130}],"type":101}');
  });

  it("a rejection carries the platform's reason code and text, our remark and the evidence URLs", () => {
    expect(buildDouyinOperateParams(native("1", "6"), 202, { rejection })).toEqual({
      type: 202,
      items: [
        {
          aftersale_id: "7301500100200300401",
          update_time: 1795140130,
          reject_reason_code: 8,
          reason: "其他",
          remark: "照片显示果品完好",
          evidence: [{ type: 1, url: "https://p3-aio.ecombdimg.com/obj/m/1.jpg", desc: "凭证1" }],
        },
      ],
    });
  });

  it("update_time: the push's RFC 3339 string, else the version, else none", () => {
    expect(getDouyinUpdateTimeS(native("1", "6"))).toBe(1795140130);
    expect(getDouyinUpdateTimeS({ ...native("1", "6"), updateTime: undefined, version: "1763604130" })).toBe(1763604130);
    expect(getDouyinUpdateTimeS({ ...native("1", "6"), updateTime: undefined, version: "", isPartial: true })).toBeNull();
  });

  it("signs API calls over the sorted param_json with raw int64 digits", () => {
    const call = buildDouyinApiCall({ baseUrl: "http://fake/", appKey: "k", appSecret: "s", accessToken: "t" }, "/afterSale/operate", { type: 201, items: [{ update_time: 1, aftersale_id: "7301500100200300401", id: new DouyinInt64("7301500100200300401") }] }, 1763604130);
    expect(call.body).toBe('{"items":[{"aftersale_id":"7301500100200300401","id":7301500100200300401,"update_time":1}],"type":201}');
    expect(call.headers["x-open-no-old-err-code"]).toBe("1");
    const url = new URL(call.url);
    expect([url.pathname, url.searchParams.get("method"), url.searchParams.get("access_token")]).toEqual(["/afterSale/operate", "afterSale.operate", "t"]);
    expect(url.searchParams.get("sign")).toBe(signDouyinApi("k", "s", "afterSale.operate", 1763604130, String(call.body)));
  });
});

describe("reading the open API's answers", () => {
  it.each([
    { body: { code: 10000, msg: "success", data: { a: 1 } }, expected: { ok: true, data: { a: 1 } } },
    { body: { code: 50002, msg: "业务处理失败", sub_code: "isv.business-failed:11001", sub_msg: "暂不支持通过OPEN处理" }, expected: { ok: false, transient: false, code: "50002:isv.business-failed:11001", message: "暂不支持通过OPEN处理" } },
    { body: { code: 40004, msg: "非法的参数", sub_code: "isv.parameter-invalid:11000", sub_msg: "参数错误" }, expected: { ok: false, transient: false, code: "40004:isv.parameter-invalid:11000", message: "参数错误" } },
    { body: { code: 40003, msg: "非法的参数", sub_code: "isv.access-token-expired", sub_msg: "access_token已过期" }, expected: { ok: false, transient: true, code: "40003:isv.access-token-expired", message: "access_token已过期" } },
    { body: { code: 20000, msg: "系统错误", sub_code: "isp.service-error:10002", sub_msg: "返回内容为空" }, expected: { ok: false, transient: true, code: "20000:isp.service-error:10002", message: "返回内容为空" } },
    { body: { code: 60000, msg: "触发限流，请稍后重试" }, expected: { ok: false, transient: true, code: "60000", message: "触发限流，请稍后重试" } },
    { body: { code: 30001, msg: "操作权限不足", sub_code: "dop.authorization-no-existed", sub_msg: "店铺授权已失效，请重新授权" }, expected: { ok: false, transient: false, code: "30001:dop.authorization-no-existed", message: "店铺授权已失效，请重新授权" } },
  ])("code $body.code", ({ body, expected }) => {
    expect(readDouyinResponse(body)).toEqual(expected);
  });

  it("operate: a failed item is a refusal even under code 10000", () => {
    expect(readDouyinOperateAnswer({ code: 10000, data: { items: [{ aftersale_id: 1, status_code: 0, status_msg: "success" }] } })).toEqual({ ok: true });
    expect(readDouyinOperateAnswer({ code: 10000, data: { items: [{ aftersale_id: 1, status_code: 11005, status_msg: "操作失败" }] } })).toEqual({ ok: false, transient: false, code: "11005", message: "操作失败" });
  });
});
