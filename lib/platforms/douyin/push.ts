import { createHash } from "node:crypto";
import type { RequestKind } from "@/lib/domain";
import { PlatformMessageError, digestsEqual, parseJsonLossless, toIdString } from "@/lib/platforms/common";

// Douyin 抖店 message push (docs/platforms/douyin.md "Push", which names the sources of every field): the sign, the
// messages, their tags and ids

export const douyinHeaders = { appId: "app-id", sign: "event-sign" } as const;
export const douyinPushOk = { code: 0, msg: "success" } as const;
export const douyinPushFail = { code: 1, msg: "fail" } as const;

/** event-sign = lowercase hex MD5(app_key + raw body + app_secret). */
export function signDouyinPush(appKey: string, rawBody: string, appSecret: string): string {
  return createHash("md5").update(appKey).update(rawBody).update(appSecret).digest("hex");
}

export function verifyDouyinPush(appKey: string, appSecret: string, rawBody: string, sign: string): boolean {
  return digestsEqual(signDouyinPush(appKey, rawBody, appSecret), sign.trim().toLowerCase());
}

export type DouyinPushMessage = { tag: number; msgId: string; data: Record<string, unknown> };

export function asRecord(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new PlatformMessageError(`${field} is not an object`);
  return value as Record<string, unknown>;
}

export function asInt(value: unknown, field: string): number {
  const number = typeof value === "string" && /^-?\d+$/.test(value) ? Number(value) : value;
  if (typeof number !== "number" || !Number.isSafeInteger(number)) throw new PlatformMessageError(`${field} is not an integer`);
  return number;
}

export function optionalInt(value: unknown, field: string): number | null {
  return value === undefined || value === null ? null : asInt(value, field);
}

/** The push body: a JSON array of {tag, msg_id, data: JSON string}; fudiwei's SDK alone spells msgId and sends data as an object. */
export function parseDouyinPush(rawBody: string): DouyinPushMessage[] {
  let body: unknown;
  try {
    body = parseJsonLossless(rawBody);
  } catch {
    throw new PlatformMessageError("The push body is not JSON");
  }
  if (!Array.isArray(body)) throw new PlatformMessageError("The push body is not a JSON array");
  return body.map((entry, index) => {
    const item = asRecord(entry, `[${index}]`);
    const tag = asInt(item.tag, `[${index}].tag`);
    const msgId = toIdString(item.msg_id ?? item.msgId, `[${index}].msg_id`);
    let data: unknown = item.data;
    if (typeof data === "string") {
      try {
        data = parseJsonLossless(data);
      } catch {
        throw new PlatformMessageError(`[${index}].data is not a JSON string`);
      }
    }
    return { tag, msgId, data: asRecord(data, `[${index}].data`) };
  });
}

/** Tags 200–218 (doudian_refund_*, docs/platforms/douyin.md "Push"); 210 is not an after-sales message. */
export const douyinTags = {
  200: "RefundCreated",
  201: "RefundAgreed",
  202: "ReturnApplyAgreed",
  203: "BuyerReturnGoods",
  204: "RefundRefused",
  205: "ReturnApplyRefused",
  206: "RefundSuccess",
  207: "RefundClosed",
  208: "RefundModified",
  209: "ExpirationChange",
  211: "ExchangeComfirmed",
  212: "ArbitrateApplied",
  213: "ArbitrateSubmiting",
  214: "ArbitrateSubmited",
  215: "ArbitrateCancelled",
  216: "ArbitrateAudited",
  217: "ArbitrateServiceIntervene",
  218: "ArbitrateDiscussUpload",
} as const;

/** arbitrate_status (zsmhub/doudian-sdk afterSale_List request); 0 and 255 mean no intervention is under way. */
export const douyinArbitrateStatuses: Record<number, string> = {
  0: "none",
  1: "cs_handling",
  2: "ruled_for_buyer",
  3: "ruled_for_seller",
  4: "awaiting_seller_evidence",
  5: "awaiting_negotiation",
  6: "ended",
  255: "cancelled",
};

/**
 * aftersale_type → our kinds. 补寄 (7) becomes an exchange: in both the seller ships goods again and no money
 * goes back, which is what the desk's exchange card means; the native type stays 7 so the answer knows.
 * 4/5 (system/user cancelled) and 6 (价保) are not requests a seller decides, so they make no card.
 */
export function getDouyinKind(aftersaleType: number): RequestKind | null {
  const kinds: Partial<Record<number, RequestKind>> = { 0: "return_refund", 1: "refund_only", 2: "refund_only", 3: "exchange", 7: "exchange", 8: "repair" };
  return kinds[aftersaleType] ?? null;
}

export function isDouyinRefundTag(tag: number): boolean {
  return tag in douyinTags;
}

/** Created and modified messages carry no reason text, evidence or order: the detail completes them. */
export function needsDouyinDetail(message: DouyinPushMessage): boolean {
  return message.tag === 200 || message.tag === 208;
}

export function getDouyinAftersaleId(message: DouyinPushMessage): string {
  return toIdString(message.data.aftersale_id, "data.aftersale_id");
}

export function getDouyinShopId(message: DouyinPushMessage): string {
  return toIdString(message.data.shop_id, "data.shop_id");
}
