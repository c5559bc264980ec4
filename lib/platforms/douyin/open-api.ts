import { createHmac } from "node:crypto";
import { PlatformMessageError } from "@/lib/platforms/common";
import type { PlatformCall } from "@/lib/platforms/types";

// The Douyin open API (docs/platforms/douyin.md): signing a call and reading its answer

export type DouyinApiConfig = { baseUrl: string; appKey: string; appSecret: string; accessToken: string | null };

/** A 64-bit integer parameter written as raw JSON digits (Douyin's int64 ids can exceed 2^53). */
export class DouyinInt64 {
  constructor(readonly digits: string) {
    if (!/^\d{1,20}$/.test(digits)) throw new PlatformMessageError(`"${digits}" is not an integer id`);
  }
}

/** Go's json.Marshal of a map: keys sorted at every level, no HTML escaping (the sign covers this exact text). */
export function marshalDouyinParams(value: unknown): string {
  if (value instanceof DouyinInt64) return value.digits;
  if (Array.isArray(value)) return `[${value.map(marshalDouyinParams).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, item]) => item !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${marshalDouyinParams(item)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** sign = hex HMAC-SHA256(key: secret, secret + "app_key"…"method"…"param_json"…"timestamp"…"v2" + secret). */
export function signDouyinApi(appKey: string, appSecret: string, method: string, timestampS: number, paramJson: string): string {
  const pattern = `${appSecret}app_key${appKey}method${method}param_json${paramJson}timestamp${timestampS}v2${appSecret}`;
  return createHmac("sha256", appSecret).update(pattern).digest("hex");
}

/**
 * A signed call to `/afterSale/Detail`, `/afterSale/operate`, … (path → method "afterSale.operate"). The
 * x-open-no-old-err-code header asks for the current error codes (10000 = success), as zsmhub/doudian-sdk does.
 */
export function buildDouyinApiCall(config: DouyinApiConfig, path: string, params: unknown, timestampS: number): PlatformCall {
  const method = path.replace(/^\//, "").replaceAll("/", ".");
  const paramJson = marshalDouyinParams(params);
  const query = new URLSearchParams({
    app_key: config.appKey,
    method,
    timestamp: String(timestampS),
    v: "2",
    sign_method: "hmac-sha256",
    sign: signDouyinApi(config.appKey, config.appSecret, method, timestampS, paramJson),
    ...(config.accessToken ? { access_token: config.accessToken } : {}),
  });
  return {
    method: "POST",
    url: `${config.baseUrl.replace(/\/$/, "")}${path}?${query}`,
    headers: { "content-type": "application/json", "x-open-no-old-err-code": "1" },
    body: paramJson,
    apiMethod: method,
  };
}

/**
 * What one open-API answer says. Codes from Douyin's 平台基础错误码汇总 (docs/platforms/douyin.md): 10000 success;
 * 20000/20001 service unavailable or timed out, 60000 throttled, and an expired, missing or replaced access
 * token are worth retrying; every other code is the platform refusing (its sub_msg says why).
 */
export type DouyinApiResult =
  | { ok: true; data: Record<string, unknown> }
  | { ok: false; transient: boolean; code: string; message: string };

const transientCodes = new Set([20000, 20001, 60000]);
const tokenSubCodes = new Set(["isv.access-token-expired", "isv.access-token-no-existed", "isv.access-token-missing"]);

export function readDouyinResponse(body: unknown): DouyinApiResult {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return { ok: false, transient: true, code: "", message: "抖店的回答不是 JSON 对象" };
  const record = body as Record<string, unknown>;
  const code = Number(record.code);
  const text = (value: unknown) => (typeof value === "string" ? value : "");
  if (code === 10000) {
    const data = record.data;
    return { ok: true, data: typeof data === "object" && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>) : { items: data } };
  }
  const subCode = text(record.sub_code);
  const message = (text(record.sub_msg) || text(record.msg) || `错误码 ${String(record.code)}`).slice(0, 300);
  const transient = transientCodes.has(code) || tokenSubCodes.has(subCode) || subCode.startsWith("isp.");
  return { ok: false, transient, code: subCode ? `${String(record.code)}:${subCode}` : String(record.code), message };
}
