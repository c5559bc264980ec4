import { PlatformMessageError, toIdString } from "@/lib/platforms/common";
import { readDouyinResponse } from "@/lib/platforms/douyin/open-api";
import type { PlatformRejectReason, TokenGrant } from "@/lib/platforms/types";
import { dayMs } from "@/lib/time";

// Reading Douyin open-API answers beyond the after-sale itself (docs/platforms/douyin.md): the shop's reject
// reasons, a refreshed token, and the two steps that turn a proof image into a URL the platform accepts.
// Field names: zsmhub/doudian-sdk api/{afterSale_rejectReasonCodeList,token_refresh,open_binaryupload,
// material_uploadImageSync,material_queryMaterialDetail}/response.

function readData(body: unknown, api: string): Record<string, unknown> {
  const result = readDouyinResponse(body);
  if (!result.ok) throw new PlatformMessageError(`${api}: ${result.message} (${result.code})`);
  return result.data;
}

function readText(value: unknown): string {
  return typeof value === "string" ? value.trim() : "";
}

/** order_type values a physical-goods shop's reasons carry: -1 通用, 0 普通实物订单, 1 全款预售订单. */
const physicalOrderTypes = new Set([-1, 0, 1]);

/**
 * data.items of /afterSale/rejectReasonCodeList → our reject reasons. The list is one for every kind of request (the
 * API takes no kind), so reasons repeated per order_type or pkg (goods received or not) become one reason, which
 * wants proof if any of its rows says evidence_need=Y. Reasons only for virtual goods and coupons are left out.
 */
export function parseDouyinRejectReasons(body: unknown): PlatformRejectReason[] {
  const data = readData(body, "afterSale/rejectReasonCodeList");
  const items = Array.isArray(data.items) ? data.items : [];
  const reasons = new Map<string, PlatformRejectReason>();
  for (const entry of items) {
    if (typeof entry !== "object" || entry === null) continue;
    const item = entry as Record<string, unknown>;
    const orderType = item.order_type === undefined ? -1 : Number(item.order_type);
    if (!physicalOrderTypes.has(orderType)) continue;
    const id = toIdString(item.reject_reason_code, "reject_reason_code");
    const text = readText(item.reason);
    if (!text) continue;
    const tips = readText(item.evidence_description) || null;
    const isEvidenceRequired = readText(item.evidence_need).toUpperCase() === "Y";
    const known = reasons.get(id);
    reasons.set(id, known ? { ...known, tips: known.tips ?? tips, isEvidenceRequired: known.isEvidenceRequired || isEvidenceRequired } : { id, text: text.slice(0, 200), tips, isEvidenceRequired });
  }
  return [...reasons.values()];
}

/** A refresh token lives 14 days (zsmhub/doudian-sdk token_refresh response: "有效期：14 天"). */
export const douyinRefreshTokenDays = 14;

/**
 * data of /token/refresh → a TokenGrant. expires_in is documented both as seconds left (create_token_request.go,
 * minibear2021/doudian adds it to the clock) and as a Unix time (token_refresh response comment): a value past
 * 2001-09-09 (10^9) is taken as the instant, anything smaller as seconds from now.
 */
export function parseDouyinTokenGrant(body: unknown, now: Date, expectedShopId?: string): TokenGrant {
  const data = readData(body, "token/refresh");
  const accessToken = readText(data.access_token);
  const expiresIn = Number(data.expires_in);
  if (!accessToken || !Number.isSafeInteger(expiresIn) || expiresIn <= 0) throw new PlatformMessageError("token/refresh answered without access_token or expires_in");
  if (expectedShopId && data.shop_id !== undefined && toIdString(data.shop_id, "shop_id") !== expectedShopId) {
    throw new PlatformMessageError(`token/refresh answered for shop ${String(data.shop_id)}, not ${expectedShopId}`);
  }
  const refreshToken = readText(data.refresh_token) || null;
  return {
    accessToken,
    accessTokenExpiresAt: new Date(expiresIn > 1_000_000_000 ? expiresIn * 1000 : now.getTime() + expiresIn * 1000),
    refreshToken,
    refreshTokenExpiresAt: refreshToken ? new Date(now.getTime() + douyinRefreshTokenDays * dayMs) : null,
  };
}

/** data.store_uri of /open/binaryupload: the uploaded bytes, for /material/uploadImageSync's file_uri. */
export function parseDouyinBinaryUpload(body: unknown): string {
  const uri = readText(readData(body, "open/binaryupload").store_uri);
  if (!uri) throw new PlatformMessageError("open/binaryupload answered without store_uri");
  return uri;
}

/** audit_status: 1 待审核, 2 审核中, 3 通过, 4 拒绝; byte_url is given only once it passed. */
export type DouyinMaterial = { materialId: string; auditStatus: number; byteUrl: string | null; rejectReason: string | null };

/** data of /material/uploadImageSync or /material/queryMaterialDetail (material_info in the latter). */
export function parseDouyinMaterial(body: unknown): DouyinMaterial {
  const data = readData(body, "material");
  const info = typeof data.material_info === "object" && data.material_info !== null ? (data.material_info as Record<string, unknown>) : data;
  const byteUrl = readText(info.byte_url);
  return {
    materialId: toIdString(info.material_id, "material_id"),
    auditStatus: Number(info.audit_status ?? 0),
    byteUrl: /^https?:\/\//.test(byteUrl) ? byteUrl : null,
    rejectReason: readText(info.audit_reject_desc) || null,
  };
}
