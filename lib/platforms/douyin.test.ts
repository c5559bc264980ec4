import { describe, expect, it } from "vitest";
import { PlatformMessageError } from "@/lib/platforms/common";
import {
  buildDouyinApiCall,
  buildDouyinOperateParams,
  getDouyinKind,
  mapDouyinMessage,
  parseDouyinDetail,
  parseDouyinPush,
  signDouyinApi,
  signDouyinPush,
  verifyDouyinPush,
} from "@/lib/platforms/douyin";
import { arbitrateBody, d1Body, d1DetailBody, d2Body, d3Body, douyinApp, modifiedBeforeCreatedBody } from "@/lib/platforms/fixtures/douyin";
import { parseJsonLossless } from "@/lib/platforms/common";
import type { NativeRefund } from "@/lib/platforms/types";
import { applyRequestEvents, type RequestEvent } from "@/lib/webhook/event-order";
import { webhookEvent } from "@/lib/webhook/events";

const receivedAt = new Date("2026-11-20T02:10:00Z");
const settings = { defaultCategory: "fresh_food" as const, returnAddressId: "700001" };
const detail = parseDouyinDetail(parseJsonLossless(d1DetailBody));

function mapOne(body: string, withDetail = true) {
  const [message] = parseDouyinPush(body);
  return mapDouyinMessage(message, withDetail ? detail : null, { receivedAt, settings });
}

describe("Douyin push signature", () => {
  it("is lowercase hex MD5(app_key + raw body + app_secret) over the exact bytes", () => {
    const sign = signDouyinPush(douyinApp.appKey, d1Body, douyinApp.appSecret);
    expect(sign).toMatch(/^[0-9a-f]{32}$/);
    expect(verifyDouyinPush(douyinApp.appKey, douyinApp.appSecret, d1Body, sign)).toBe(true);
    expect(verifyDouyinPush(douyinApp.appKey, douyinApp.appSecret, d1Body, sign.toUpperCase())).toBe(true);
    expect(verifyDouyinPush(douyinApp.appKey, douyinApp.appSecret, `${d1Body} `, sign)).toBe(false);
    expect(verifyDouyinPush(douyinApp.appKey, "wrong-secret", d1Body, sign)).toBe(false);
  });
});

describe("Douyin push parsing", () => {
  it("keeps the 19-digit ids of D1 exact", () => {
    const [message] = parseDouyinPush(d1Body);
    expect(message.tag).toBe(200);
    expect(message.msgId).toBe("7301122334455667788");
    expect(message.data.aftersale_id).toBe("7301500100200300401");
    expect(message.data.p_id).toBe("6920112233445566778");
    expect(message.data.shop_id).toBe(10437917);
  });

  it("accepts [6]'s msgId and object data, refuses a body that is not an array", () => {
    const [message] = parseDouyinPush('[{"tag":"209","msgId":"1","data":{"aftersale_id":7301500100200300402,"status_deadline":1764208930}}]');
    expect(message.data.aftersale_id).toBe("7301500100200300402");
    expect(() => parseDouyinPush('{"tag":"200"}')).toThrow(PlatformMessageError);
    expect(() => parseDouyinPush('[{"tag":"200","msg_id":"1","data":"{oops"}]')).toThrow(PlatformMessageError);
  });
});

describe("Douyin messages → our events", () => {
  it("D1 (200) + detail → request.created the contract accepts, amounts in fen, times in UTC", () => {
    const mapped = mapOne(d1Body);
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
        order: { orderId: "6920112233445566778", title: "赣南脐橙 5斤装", amountFen: 8900, category: "fresh_food" },
        reasonCode: "quality_issue",
        reasonText: "橙子有两个坏了",
        evidence: ["https://p3-aio.ecombdimg.com/obj/evidence/1.jpg"],
        amountFen: 8900,
        platformDeadline: "2025-11-22T02:02:10.000Z",
      },
    });
    expect(mapped.native).toMatchObject({ refundId: "7301500100200300401", status: "6", platformType: "1", updateTime: "2026-11-20T10:02:10+08:00" });
  });

  it("a created message without its detail is refused (so the platform redelivers it)", () => {
    expect(() => mapOne(d1Body, false)).toThrow(/needs the after-sales detail/);
  });

  it("a redelivered message maps to the same event id", () => {
    expect(mapOne(d1Body).events[0].id).toBe(mapOne(d1Body).events[0].id);
  });

  it("D2 (204 refused) only moves the native state; D3 (209) → deadline.changed", () => {
    const refused = mapOne(d2Body, false);
    expect(refused.events).toEqual([]);
    expect(refused.native).toMatchObject({ status: "27", updateTime: "2026-11-20T10:06:40+08:00" });
    const deadline = mapOne(d3Body, false);
    expect(deadline.events).toEqual([
      expect.objectContaining({ type: "deadline.changed", data: { requestId: "7301500100200300402", platformDeadline: "2025-11-27T02:02:10.000Z" } }),
    ]);
  });

  it("an out-of-order pair (208 before 200) converges to the modified amount and reason", () => {
    const created = mapOne(d1Body).events[0] as RequestEvent;
    const modified = mapOne(modifiedBeforeCreatedBody).events[0] as RequestEvent;
    expect(modified.type).toBe("request.updated");
    const inOrder = applyRequestEvents(null, [created, modified]);
    const reversed = applyRequestEvents(null, [modified, created]);
    expect(reversed).toEqual(inOrder);
    expect(inOrder?.fields).toMatchObject({ amountFen: 7900, reasonCode: "not_as_described" });
  });

  it("arbitration (212) becomes the intervention state", () => {
    expect(mapOne(arbitrateBody, false).native?.intervention).toBe("cs_handling");
  });

  it("aftersale_type → kinds: 补寄 is an exchange, 价保 and cancellations make no card", () => {
    expect([0, 1, 2, 3, 7, 8].map(getDouyinKind)).toEqual(["return_refund", "refund_only", "refund_only", "exchange", "exchange", "repair"]);
    expect([4, 5, 6].map(getDouyinKind)).toEqual([null, null, null]);
  });
});

describe("Douyin answers", () => {
  const native = (status: string, platformType: string): NativeRefund => ({
    protocol: "douyin_push",
    refundId: "7301500100200300401",
    orderId: "6920112233445566778",
    status,
    platformType,
    kind: null,
    version: "1",
    updateTime: "2026-11-20T10:02:10+08:00",
    intervention: null,
  });
  const approve = { requestId: "7301500100200300401", decision: "approve" as const, amountFen: 8900 };
  const reject = { ...approve, decision: "reject" as const, reasonCode: "no_quality_issue", message: "照片显示果品完好" };

  it("picks the type code by aftersale_type and status", () => {
    expect(buildDouyinOperateParams(native("6", "1"), approve, settings)).toEqual({
      ok: true,
      params: { type: 201, items: [{ aftersale_id: "7301500100200300401", update_time: "2026-11-20T10:02:10+08:00" }] },
    });
    expect(buildDouyinOperateParams(native("6", "0"), approve, settings)).toMatchObject({ ok: true, params: { type: 101, items: [{ logistics: { receiver_address_id: "700001" } }] } });
    expect(buildDouyinOperateParams(native("11", "0"), approve, settings)).toMatchObject({ params: { type: 111 } });
    expect(buildDouyinOperateParams(native("6", "2"), approve, settings)).toMatchObject({ params: { type: 401 } });
    expect(buildDouyinOperateParams(native("6", "2"), reject, settings)).toMatchObject({ ok: false, error: expect.stringMatching(/ship the order/) });
    expect(buildDouyinOperateParams(native("6", "7"), approve, settings)).toMatchObject({ ok: false });
    expect(buildDouyinOperateParams(native("6", "0"), approve, {})).toMatchObject({ ok: false, error: expect.stringMatching(/address/) });
  });

  it("a rejection carries the reason code, reason and remark", () => {
    expect(buildDouyinOperateParams(native("6", "1"), reject, settings)).toMatchObject({
      params: { type: 202, items: [{ reject_reason_code: 2, reason: "no_quality_issue", remark: "照片显示果品完好" }] },
    });
    expect(buildDouyinOperateParams(native("6", "1"), { ...reject, reasonCode: "made_up" }, settings)).toMatchObject({ ok: false });
  });

  it("signs API calls over the sorted param_json, ids as strings", () => {
    const call = buildDouyinApiCall({ baseUrl: "http://fake/", appKey: "k", appSecret: "s", accessToken: "t" }, "/afterSale/operate", { type: 201, items: [{ update_time: "x", aftersale_id: "7301500100200300401" }] }, 1763604130);
    expect(call.body).toBe('{"items":[{"aftersale_id":"7301500100200300401","update_time":"x"}],"type":201}');
    const url = new URL(call.url);
    expect(url.pathname).toBe("/afterSale/operate");
    expect(url.searchParams.get("method")).toBe("afterSale.operate");
    expect(url.searchParams.get("sign")).toBe(signDouyinApi("k", "s", "afterSale.operate", 1763604130, String(call.body)));
  });
});
