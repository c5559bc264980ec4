import { describe, expect, it } from "vitest";
import type { RequestKind } from "@/lib/domain";
import {
  buildWechatAnswerCall,
  buildWechatCategoryCall,
  buildWechatImageUploadCall,
  buildWechatRejectReasonsCall,
  buildWechatStableTokenCall,
  classifyWechatError,
  readWechatError,
  readWechatMediaId,
  readWechatRejectReasons,
  readWechatStableToken,
} from "@/lib/platforms/wechat-api";

const config = { baseUrl: "https://api.weixin.qq.com/", accessToken: "ACCESS+TOKEN" };
const json = (body: unknown) => JSON.parse(String(body)) as Record<string, unknown>;

describe("rejectreason/get", () => {
  // WeChat's documented example (getaftersalerejectreason), as SKIT fixes it in
  // ModelSamples/Channels/ECAftersale/Reason/ChannelsECAftersaleRejectReasonGetResponse.json (texts abridged), plus
  // one reason of each other reject_scene (4, 5, 6), values ours.
  const documented = [
    { reject_reason_type: 6, reject_reason_type_text: "买家误操作/已协商取消申请", reject_reason: "亲，这次售后我先帮您取消", reject_scene: 1 },
    { reject_reason_type: 4, reject_reason_type_text: "包裹在买家发起售后时已完成发货/揽收", reject_reason: "亲，您购买的商品已经在运输途中了", reject_scene: 1 },
    { reject_reason_type: 1, reject_reason_type_text: "已在约定时间发货且物流运输正常", reject_reason: "亲，已在约定时间内完成发货", reject_scene: 1 },
    { reject_reason_type: 20, reject_reason_type_text: "买家寄回商品影响二次销售", reject_reason: "亲，商品已经影响了二次销售", reject_scene: 4 },
    { reject_reason_type: 31, reject_reason_type_text: "换货商品已影响二次销售", reject_reason: "", reject_scene: 5 },
    { reject_reason_type: 32, reject_reason_type_text: "寄回商品与发出商品不一致", reject_reason: "亲，寄回的商品不一致", reject_scene: 6 },
    { reject_reason_type: 20, reject_reason_type_text: "买家寄回商品影响二次销售", reject_reason: "亲，换货商品影响二次销售", reject_scene: 6 },
  ];

  it.each([
    ["refund_only", ["6", "4", "1"]],
    ["return_refund", ["20"]],
    ["exchange", ["31", "32", "20"]],
    ["repair", []],
    ["entry_reopen", []],
  ] as [RequestKind, string[]][])("%s gets the reasons of its reject_scene: %j", (kind, ids) => {
    expect(readWechatRejectReasons({ errcode: 0, errmsg: "ok", reason_list: documented }, kind).map((reason) => reason.id)).toEqual(ids);
  });

  it("keeps WeChat's label as text and its default description as the tip; no reason asks for proof", () => {
    expect(readWechatRejectReasons({ errcode: 0, reason_list: documented }, "refund_only")[0]).toEqual({ id: "6", text: "买家误操作/已协商取消申请", tips: "亲，这次售后我先帮您取消", isEvidenceRequired: false });
    expect(readWechatRejectReasons({ errcode: 0, reason_list: documented }, "exchange")[0].tips).toBeNull();
  });

  it("reads the list under reject_reason_list too (what shops see WeChat answer), and reasons without a scene for every kind", () => {
    // The community report's answer: reject_reason_list, no reject_scene
    const reported = { errcode: 0, errmsg: "ok", reject_reason_list: [{ reject_reason_type: 24, reject_reason_type_text: "买家申请售后原因与实际不符", reject_reason: "亲，您申请的售后原因和实际情况不一致" }] };
    expect(readWechatRejectReasons(reported, "return_refund").map((reason) => reason.id)).toEqual(["24"]);
    expect(readWechatRejectReasons(reported, "repair")).toEqual([]);
  });

  it.each([
    ["an errcode", { errcode: 40001, errmsg: "invalid credential" }, /invalid credential/],
    ["no list", { errcode: 0, errmsg: "ok" }, /no reason_list/],
  ])("throws on %s (the cache keeps its last list)", (_name, body, message) => {
    expect(() => readWechatRejectReasons(body, "refund_only")).toThrow(message);
  });

  it("asks with an empty JSON object, the token in the query", () => {
    const call = buildWechatRejectReasonsCall(config);
    expect(call.url).toBe("https://api.weixin.qq.com/channels/ec/aftersale/rejectreason/get?access_token=ACCESS%2BTOKEN");
    expect(json(call.body)).toEqual({});
  });
});

describe("errcodes: transient (retried) or a refusal (back to the agents)", () => {
  it.each([
    [-1, false],
    [40001, false],
    [40014, false],
    [42001, false],
    [45009, false],
    [10021044, false],
    [10021059, false],
    [10020001, true],
    [10021068, true],
    [10020261, true],
    [9700224, true],
  ])("errcode %i → refused %s", (errcode, refused) => {
    const outcome = classifyWechatError({ errcode, errmsg: `message ${errcode}` });
    expect(outcome.refused).toBe(refused);
    if (outcome.refused) expect(outcome).toEqual({ ok: false, refused: true, message: `message ${errcode}`, code: String(errcode) });
    else expect(outcome.error).toContain(String(errcode));
  });

  it.each([
    [{ errcode: 0, errmsg: "ok" }, null],
    [{ errcode: "0" }, null],
    [{ access_token: "x" }, null],
    [{ errcode: 10020001, errmsg: "售后单状态不合法" }, { errcode: 10020001, errmsg: "售后单状态不合法" }],
    [{ errcode: 10020001 }, { errcode: 10020001, errmsg: "errcode 10020001" }],
    ["<html>", { errcode: -1, errmsg: "The answer is not a JSON object" }],
  ])("readWechatError(%j)", (body, error) => {
    expect(readWechatError(body)).toEqual(error);
  });
});

describe("stable_token", () => {
  const now = new Date("2026-11-20T02:00:00.000Z");

  it("asks with client_credential, the appid and secret, force_refresh false; no token in the query", () => {
    const call = buildWechatStableTokenCall({ baseUrl: "https://api.weixin.qq.com" }, { appId: "wx1234567890abcdef", secret: "s3cret" });
    expect(call.url).toBe("https://api.weixin.qq.com/cgi-bin/stable_token");
    expect(json(call.body)).toEqual({ grant_type: "client_credential", appid: "wx1234567890abcdef", secret: "s3cret", force_refresh: false });
  });

  it("expires_in seconds from now; no refresh token", () => {
    expect(readWechatStableToken({ access_token: "ACCESS_TOKEN", expires_in: 7200 }, now)).toEqual({ accessToken: "ACCESS_TOKEN", accessTokenExpiresAt: new Date("2026-11-20T04:00:00.000Z"), refreshToken: null, refreshTokenExpiresAt: null });
  });

  it.each([
    [{ errcode: 40125, errmsg: "invalid appsecret" }, /invalid appsecret/],
    [{ access_token: "", expires_in: 7200 }, /no access_token/],
    [{ access_token: "x" }, /expires_in/],
  ])("throws on %j", (body, message) => {
    expect(() => readWechatStableToken(body, now)).toThrow(message);
  });
});

describe("proof upload (img/upload, upload_type 0, resp_type 0)", () => {
  const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0x0d, 0x0a]);
  const call = buildWechatImageUploadCall(config, { bytes, widthPx: 640, heightPx: 480, fileName: 'pro"of.jpg', mimeType: "image/jpeg" });

  it("puts the type, the answer wanted and the size in the query", () => {
    const url = new URL(call.url);
    expect(url.pathname).toBe("/channels/ec/basics/img/upload");
    expect(Object.fromEntries(url.searchParams)).toEqual({ access_token: "ACCESS+TOKEN", upload_type: "0", resp_type: "0", height: "480", width: "640" });
  });

  it("sends the bytes as the multipart part `media`, boundary in the content type, byte for byte", () => {
    const boundary = /boundary=(.+)$/.exec(call.headers["content-type"])![1];
    const body = Buffer.from(call.body as Uint8Array);
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="media"; filename="pro_of.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`;
    expect(body.subarray(0, head.length).toString()).toBe(head);
    expect(body.subarray(head.length, head.length + bytes.length).equals(Buffer.from(bytes))).toBe(true);
    expect(body.subarray(head.length + bytes.length).toString()).toBe(`\r\n--${boundary}--\r\n`);
  });

  it.each([
    [{ errcode: 0, errmsg: "ok", pic_file: { media_id: "THE_MEDIA_ID", pay_media_id: "THE_PAY_MEDIA_ID", img_url: "xxxxx" } }, "THE_MEDIA_ID"],
    [{ errcode: 0, pic_file: {} }, null],
    [{ errcode: 0 }, null],
  ])("media id of %j (SKIT ChannelsECBasicsImageUploadResponse sample first)", (body, mediaId) => {
    expect(readWechatMediaId(body)).toBe(mediaId);
  });
});

describe("answer calls", () => {
  const afterSaleOrderId = "2000000051234567890";

  it.each([
    ["refund / received return: accept_type 2, no address", { api: "/channels/ec/aftersale/acceptapply", acceptType: 2, needsAddress: false } as const, {}, { after_sale_order_id: afterSaleOrderId, accept_type: 2 }],
    ["return / exchange application: accept_type 1 with address_id", { api: "/channels/ec/aftersale/acceptapply", acceptType: 1, needsAddress: true } as const, { returnAddressId: "5" }, { after_sale_order_id: afterSaleOrderId, address_id: "5", accept_type: 1 }],
    [
      "rejectapply: reason type, text and the proof's media ids",
      { api: "/channels/ec/aftersale/rejectapply", rejectScene: 1 } as const,
      { reasonType: 6, rejectText: "已与买家协商取消", mediaIds: ["m1", "m2"] },
      { after_sale_order_id: afterSaleOrderId, reject_reason: "已与买家协商取消", reject_reason_type: 6, reject_certificates: ["m1", "m2"] },
    ],
    ["rejectapply without proof sends no reject_certificates", { api: "/channels/ec/aftersale/rejectapply", rejectScene: 4 } as const, { reasonType: 20, rejectText: "影响二次销售", mediaIds: [] }, { after_sale_order_id: afterSaleOrderId, reject_reason: "影响二次销售", reject_reason_type: 20 }],
    [
      "rejectexchangereship",
      { api: "/channels/ec/aftersale/rejectexchangereship", rejectScene: 6 } as const,
      { reasonType: 32, rejectText: "寄回商品不一致", mediaIds: ["m3"] },
      { after_sale_order_id: afterSaleOrderId, reject_reason: "寄回商品不一致", reject_reason_type: 32, reject_certificates: ["m3"] },
    ],
  ])("%s", (_name, step, input, body) => {
    const call = buildWechatAnswerCall(config, { afterSaleOrderId, step, ...input });
    expect(new URL(call.url).pathname).toBe(step.api);
    expect(json(call.body)).toEqual(body);
  });

  it("category/detail sends cat_id as a JSON number", () => {
    expect(json(buildWechatCategoryCall(config, "6194").body)).toEqual({ cat_id: 6194 });
  });
});
