import { createHash } from "node:crypto";
import { PlatformMessageError, chinaTimeToIso, isoToChinaTime } from "@/lib/platforms/common";
import type { PlatformCall, TokenGrant } from "@/lib/platforms/types";

// The TOP API (docs/platforms/taobao.md): the TMC and TOP md5 signs, router calls, reading TOP's responses and a token refresh

/** CONNECT sign = UPPER(HEX(MD5(secret + "app_key"+key + "group_name"+group + "timestamp"+ms + secret))). */
export function signTmcConnect(appKey: string, appSecret: string, groupName: string, timestampMs: number): string {
  return createHash("md5").update(`${appSecret}app_key${appKey}group_name${groupName}timestamp${timestampMs}${appSecret}`).digest("hex").toUpperCase();
}

/** TOP md5 sign: UPPER(HEX(MD5(secret + sorted key+value pairs + secret))); file parameters are not signed. */
export function signTop(params: Record<string, string>, appSecret: string): string {
  const pairs = Object.keys(params)
    .sort()
    .map((key) => `${key}${params[key]}`)
    .join("");
  return createHash("md5").update(`${appSecret}${pairs}${appSecret}`, "utf8").digest("hex").toUpperCase();
}

export type TopConfig = { baseUrl: string; appKey: string; appSecret: string; session: string | null };
export type TopFile = { field: string; name: string; mimeType: string; bytes: Uint8Array };

/** A signed POST to the TOP router; with a file it is multipart (the file outside the sign), else a form. */
export function buildTopCall(config: TopConfig, method: string, params: Record<string, string>, now: Date, file?: TopFile): PlatformCall {
  const system: Record<string, string> = {
    method,
    app_key: config.appKey,
    timestamp: isoToChinaTime(now),
    format: "json",
    v: "2.0",
    sign_method: "md5",
    simplify: "false",
    ...(config.session ? { session: config.session } : {}),
  };
  const all = { ...system, ...params };
  const signed = { ...all, sign: signTop(all, config.appSecret) };
  if (!file) {
    return { method: "POST", url: config.baseUrl, apiMethod: method, headers: { "content-type": "application/x-www-form-urlencoded;charset=utf-8" }, body: new URLSearchParams(signed).toString() };
  }
  const boundary = `----shouhoutai${createHash("md5").update(file.bytes).digest("hex")}`;
  const parts: Buffer[] = Object.entries(signed).map(([key, value]) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${key}"\r\n\r\n${value}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.name.replace(/["\r\n]/g, "")}"\r\nContent-Type: ${file.mimeType}\r\n\r\n`));
  parts.push(Buffer.from(file.bytes), Buffer.from(`\r\n--${boundary}--\r\n`));
  return { method: "POST", url: config.baseUrl, apiMethod: method, headers: { "content-type": `multipart/form-data; boundary=${boundary}` }, body: new Uint8Array(Buffer.concat(parts)) };
}

/** TOP's error_response (code, msg, sub_code, sub_msg), kept whole so an answer can be classified by it. */
export class TopApiError extends PlatformMessageError {
  override name = "TopApiError";
  constructor(
    readonly method: string,
    readonly code: number | null,
    readonly subCode: string | null,
    readonly subMsg: string | null,
    readonly msg: string | null,
  ) {
    super(`${method}: ${subMsg ?? msg ?? "error"} (${subCode ?? code ?? "?"})`);
  }
}

/** The inner object of `{"<method without taobao.>_response": {…}}`; an error_response throws TopApiError. */
export function readTopResponse(body: unknown, method: string): Record<string, unknown> {
  const root = body as Record<string, unknown> | null;
  if (!root || typeof root !== "object") throw new PlatformMessageError(`${method}: not a TOP response`);
  const error = root.error_response as Record<string, unknown> | undefined;
  if (error && typeof error === "object") {
    const code = Number(error.code);
    throw new TopApiError(method, Number.isFinite(code) ? code : null, topText(error.sub_code), topText(error.sub_msg), topText(error.msg));
  }
  const key = `${method.replace(/^taobao\./, "").replaceAll(".", "_")}_response`;
  const inner = root[key];
  if (!inner || typeof inner !== "object") throw new PlatformMessageError(`${method}: no ${key}`);
  return inner as Record<string, unknown>;
}

/**
 * A list field as TOP sends it with simplify=false: `{"orders":{"order":[…]}}` (the element named as in the SDK's XML
 * tags); a plain array or a lone object is accepted too.
 */
export function readTopList(value: unknown, element: string): Record<string, unknown>[] {
  if (Array.isArray(value)) return value.filter((entry) => entry && typeof entry === "object") as Record<string, unknown>[];
  if (!value || typeof value !== "object") return [];
  const inner = (value as Record<string, unknown>)[element];
  if (Array.isArray(inner)) return inner.filter((entry) => entry && typeof entry === "object") as Record<string, unknown>[];
  return inner && typeof inner === "object" ? [inner as Record<string, unknown>] : [];
}


/** A non-empty string field, else null. */
export const topText = (value: unknown) => (typeof value === "string" && value ? value : null);

/** A TOP time (`yyyy-MM-dd HH:mm:ss`, China time; a bare date is midnight) as an ISO instant, null when absent. */
export function readTopTime(value: unknown, field: string): string | null {
  if (value === undefined || value === null || value === "") return null;
  if (typeof value !== "string") throw new PlatformMessageError(`${field} is not a time`);
  return chinaTimeToIso(value.length === 10 ? `${value} 00:00:00` : value);
}

/**
 * taobao.top.auth.token.refresh's token_result (a JSON string): access_token, expires_in (s), expire_time (ms),
 * refresh_token, re_expires_in (s), refresh_token_valid_time (ms). Times in ms win over the relative seconds.
 */
export function parseTaobaoTokenRefresh(body: unknown, now: Date): TokenGrant {
  const inner = readTopResponse(body, "taobao.top.auth.token.refresh");
  let token: unknown = inner.token_result;
  if (typeof token === "string") {
    try {
      token = JSON.parse(token);
    } catch {
      throw new PlatformMessageError("taobao.top.auth.token.refresh: token_result is not JSON");
    }
  }
  if (!token || typeof token !== "object") throw new PlatformMessageError("taobao.top.auth.token.refresh: no token_result");
  const record = token as Record<string, unknown>;
  const accessToken = topText(record.access_token);
  if (!accessToken) throw new PlatformMessageError("taobao.top.auth.token.refresh: no access_token");
  const number = (value: unknown) => (typeof value === "number" ? value : typeof value === "string" && /^\d+$/.test(value) ? Number(value) : null);
  const at = (ms: number | null, seconds: number | null) => (ms !== null && ms > 0 ? new Date(ms) : seconds !== null ? new Date(now.getTime() + seconds * 1000) : null);
  const accessTokenExpiresAt = at(number(record.expire_time), number(record.expires_in));
  if (!accessTokenExpiresAt) throw new PlatformMessageError("taobao.top.auth.token.refresh: no expires_in");
  return {
    accessToken,
    accessTokenExpiresAt,
    refreshToken: topText(record.refresh_token),
    refreshTokenExpiresAt: at(number(record.refresh_token_valid_time), number(record.re_expires_in)),
  };
}
