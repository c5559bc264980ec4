import { z } from "zod";
import type { Platform } from "@/lib/domain";
import { getConnectionProblems, getRelativeTime, toPlatformWords, type ConnectionProblem, type RelativeTime } from "@/lib/platforms/connection-health";
import type { PlatformAppSettings, Protocol } from "@/lib/platforms/types";
import { shanghaiOffsetMs } from "@/lib/time";

// Connect a shop to its platform (docs/platforms/README.md): the credentials each adapter needs, as the owner enters them on the
// settings page. Secrets are write-only: the API shows them masked, and a blank secret on save keeps the stored one.

export function getProtocolForPlatform(platform: Platform): Protocol {
  return platform === "douyin" ? "douyin_push" : platform === "wechat" ? "wechat_ec" : "taobao_tmc";
}

/** The platforms' production API addresses (a local simulator replaces them). */
export const defaultApiBaseUrls: Record<Protocol, string> = {
  douyin_push: "https://openapi-fxg.jinritemai.com",
  taobao_tmc: "https://eco.taobao.com/router/rest",
  wechat_ec: "https://api.weixin.qq.com",
};

/** Where the platform pushes to (Taobao is pulled over TMC instead, so it has none). */
export const pushPaths: Record<Protocol, string | null> = {
  douyin_push: "/api/platforms/douyin/push",
  taobao_tmc: null,
  wechat_ec: "/api/platforms/wechat/push",
};

const blankToUndefined = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);
const secret = z.preprocess(blankToUndefined, z.string().trim().min(6, "At least 6 characters").max(256).optional());
const optionalText = (pattern: RegExp, message: string) => z.preprocess(blankToUndefined, z.string().trim().max(64).regex(pattern, message).optional());
const apiBaseUrl = z.preprocess(blankToUndefined, z.url({ protocol: /^https?$/, error: "An http(s) URL" }).max(500).optional());
const addressId = optionalText(/^[A-Za-z0-9_-]+$/, "Letters, digits, _ and - only");

const localDateTime = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * A token's expiry as the owner types it: "2026-11-23T10:00" (a datetime-local field) is a Beijing wall-clock time;
 * an ISO instant with Z or an offset is taken as it is. null when it is neither or names no real date.
 */
export function parseExpiryInput(value: string): Date | null {
  const local = localDateTime.exec(value);
  if (local) {
    const [year, month, day, hour, minute, second] = local.slice(1).map((part) => Number(part ?? 0));
    const ms = Date.UTC(year, month - 1, day, hour, minute, second);
    const shown = new Date(ms);
    // Date.UTC rolls 2026-02-30 over to March and 24:00 to the next day; a round trip catches both (second 60 too)
    if (shown.getUTCFullYear() !== year || shown.getUTCMonth() !== month - 1 || shown.getUTCDate() !== day || shown.getUTCHours() !== hour || shown.getUTCMinutes() !== minute) return null;
    return new Date(ms - shanghaiOffsetMs);
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) return null;
  const instant = new Date(value);
  return Number.isNaN(instant.getTime()) ? null : instant;
}

const expiry = z.preprocess(
  blankToUndefined,
  z
    .string()
    .trim()
    .max(40)
    .transform((value, ctx) => {
      const instant = parseExpiryInput(value);
      if (!instant) {
        ctx.addIssue({ code: "custom", message: "A date and time like 2026-11-23T10:00 (Beijing time)" });
        return z.NEVER;
      }
      return instant;
    })
    .optional(),
);
/** The refresh token and both expiries, where the platform refreshes with a refresh token (not WeChat). */
const refreshable = { refreshToken: secret, accessTokenExpiresAt: expiry, refreshTokenExpiresAt: expiry };

export const platformAppBody = z.discriminatedUnion("protocol", [
  z.object({
    protocol: z.literal("douyin_push"),
    appKey: z.string().trim().regex(/^\d{1,20}$/, "抖店 app_key is digits"),
    appSecret: secret,
    platformShopId: z.string().trim().regex(/^\d{1,20}$/, "抖店 shop_id is digits"),
    accessToken: secret,
    ...refreshable,
    returnAddressId: addressId,
    apiBaseUrl,
  }),
  z.object({
    protocol: z.literal("taobao_tmc"),
    appKey: z.string().trim().regex(/^\d{1,20}$/, "Taobao app_key is digits"),
    appSecret: secret,
    /** The seller nick: TMC messages name the shop by it. */
    platformShopId: z.string().trim().min(1).max(64),
    accessToken: secret,
    ...refreshable,
    tmcGroup: z.preprocess(blankToUndefined, z.string().trim().regex(/^[A-Za-z0-9_]{1,32}$/, "TMC group: letters, digits and _").default("default")),
    tmcUrl: z.preprocess(blankToUndefined, z.url({ protocol: /^wss?$/, error: "A ws(s) URL" }).max(500).optional()),
    consumerEnabled: z.boolean(),
    returnAddressId: addressId,
    apiBaseUrl,
  }),
  z.object({
    protocol: z.literal("wechat_ec"),
    appId: z.string().trim().regex(/^wx[0-9A-Za-z]{16}$/, "appid looks like wx followed by 16 characters"),
    appSecret: secret,
    // WeChat's rules for the message-push token (3–32 letters or digits) and EncodingAESKey (43 letters or digits)
    token: z.preprocess(blankToUndefined, z.string().trim().regex(/^[A-Za-z0-9]{3,32}$/, "Token: 3–32 letters or digits").optional()),
    encodingAesKey: z.preprocess(blankToUndefined, z.string().trim().regex(/^[A-Za-z0-9]{43}$/, "EncodingAESKey: 43 letters or digits").optional()),
    accessToken: secret,
    accessTokenExpiresAt: expiry,
    returnAddressId: addressId,
    apiBaseUrl,
  }),
]);
export type PlatformAppBody = z.infer<typeof platformAppBody>;

/** The stored app as the upsert takes it (db/schema-platforms.ts platform_apps, without shop id and time). */
export type PlatformAppValues = {
  protocol: Protocol;
  appKey: string;
  appSecret: string;
  platformShopId: string;
  apiBaseUrl: string;
  accessToken: string | null;
  /** Token upkeep (app/_server/platforms/token-upkeep.ts): null expiry = unknown, never refreshed automatically. */
  refreshToken: string | null;
  accessTokenExpiresAt: Date | null;
  refreshTokenExpiresAt: Date | null;
  consumerEnabled: boolean;
  settings: PlatformAppSettings;
};

/** What the desk recorded about the connection (db/schema-platforms.ts platform_apps health columns). */
export type PlatformAppHealthColumns = {
  tokenRefreshedAt: Date | null;
  lastMessageAt: Date | null;
  lastAnswerAt: Date | null;
  lastError: string | null;
  lastErrorAt: Date | null;
};

/** The connection's health as the owner's 平台连接 shows it; instants are ISO, shown in Asia/Shanghai. */
export type ConnectionHealthView = {
  /** The server's clock when the view was made: relative times ("3 小时后") count from it. */
  checkedAt: string;
  lastMessageAt: string | null;
  lastAnswerAt: string | null;
  accessTokenExpiresAt: string | null;
  /** The expiry relative to checkedAt, null without an expiry. */
  accessTokenExpiresIn: RelativeTime | null;
  refreshTokenExpiresAt: string | null;
  tokenRefreshedAt: string | null;
  /** In Chinese with the platform's own words (lib/platforms/connection-health.ts describePlatformError). */
  lastError: string | null;
  lastErrorAt: string | null;
  problems: ConnectionProblem[];
  isFailing: boolean;
};

export type PlatformAppView = {
  shopId: string;
  protocol: Protocol;
  appKey: string;
  platformShopId: string;
  apiBaseUrl: string;
  consumerEnabled: boolean;
  tmcGroup: string | null;
  tmcUrl: string | null;
  returnAddressId: string | null;
  /** Masked: "••••" and the last 4 characters; null when none is stored. */
  secrets: { appSecret: string | null; accessToken: string | null; refreshToken: string | null; wechatToken: string | null; wechatAesKey: string | null };
  health: ConnectionHealthView;
  updatedAt: string;
};

/** POST …/platform-app/refresh (立即刷新): whether the platform gave a new token, and the app as it is now. */
export type RefreshNowResponse = { refreshed: boolean; app: PlatformAppView };

export function maskSecret(value: string | null | undefined): string | null {
  if (!value) return null;
  return value.length >= 12 ? `••••${value.slice(-4)}` : "••••";
}

const toIso = (instant: Date | null | undefined) => instant?.toISOString() ?? null;

export function toConnectionHealthView(app: PlatformAppValues & Partial<PlatformAppHealthColumns>, now: Date): ConnectionHealthView {
  const times = {
    protocol: app.protocol,
    accessTokenExpiresAt: app.accessTokenExpiresAt,
    tokenRefreshedAt: app.tokenRefreshedAt ?? null,
    lastAnswerAt: app.lastAnswerAt ?? null,
    lastErrorAt: app.lastErrorAt ?? null,
  };
  const problems = getConnectionProblems(times, now);
  return {
    checkedAt: now.toISOString(),
    lastMessageAt: toIso(app.lastMessageAt),
    lastAnswerAt: toIso(app.lastAnswerAt),
    accessTokenExpiresAt: toIso(app.accessTokenExpiresAt),
    accessTokenExpiresIn: app.accessTokenExpiresAt ? getRelativeTime(app.accessTokenExpiresAt, now) : null,
    refreshTokenExpiresAt: toIso(app.refreshTokenExpiresAt),
    tokenRefreshedAt: toIso(app.tokenRefreshedAt),
    // A row stored before the words were read out of a platform's JSON shows them too
    lastError: app.lastError ? toPlatformWords(app.lastError) : null,
    lastErrorAt: toIso(app.lastErrorAt),
    problems,
    isFailing: problems.length > 0,
  };
}

export function toPlatformAppView(shopId: string, app: PlatformAppValues & Partial<PlatformAppHealthColumns> & { updatedAt: Date }, now: Date): PlatformAppView {
  return {
    shopId,
    protocol: app.protocol,
    appKey: app.appKey,
    platformShopId: app.platformShopId,
    apiBaseUrl: app.apiBaseUrl,
    consumerEnabled: app.consumerEnabled,
    tmcGroup: app.settings.tmcGroup ?? null,
    tmcUrl: app.settings.tmcUrl ?? null,
    returnAddressId: app.settings.returnAddressId ?? null,
    secrets: {
      appSecret: maskSecret(app.appSecret),
      accessToken: maskSecret(app.accessToken),
      refreshToken: maskSecret(app.refreshToken),
      wechatToken: maskSecret(app.settings.wechatToken),
      wechatAesKey: maskSecret(app.settings.wechatAesKey),
    },
    health: toConnectionHealthView(app, now),
    updatedAt: app.updatedAt.toISOString(),
  };
}

export type BuildResult = { ok: true; values: PlatformAppValues } | { ok: false; field: string; message: string };

/**
 * The values to store from the owner's form and what is stored now: a blank secret keeps the stored one, settings
 * the form does not show (reject reason ids, default category) are kept, and Tmall follows the shop's platform.
 * A blank expiry keeps the stored one, unless a new token is entered: the old expiry was that of the old token.
 */
export function buildPlatformAppValues(platform: Platform, body: PlatformAppBody, existing: PlatformAppValues | null): BuildResult {
  const expected = getProtocolForPlatform(platform);
  if (body.protocol !== expected) return { ok: false, field: "protocol", message: `A ${platform} shop connects over ${expected}` };
  const kept = existing?.protocol === body.protocol ? existing : null;
  const appSecret = body.appSecret ?? kept?.appSecret;
  if (!appSecret) return { ok: false, field: "appSecret", message: "The app secret is required the first time" };
  const settings: PlatformAppSettings = { ...kept?.settings };
  if (body.returnAddressId) settings.returnAddressId = body.returnAddressId;
  else delete settings.returnAddressId;
  const accessTokenExpiresAt = body.accessTokenExpiresAt ?? (body.accessToken ? null : (kept?.accessTokenExpiresAt ?? null));
  const refresh =
    body.protocol === "wechat_ec"
      ? { refreshToken: null, refreshTokenExpiresAt: null }
      : { refreshToken: body.refreshToken ?? kept?.refreshToken ?? null, refreshTokenExpiresAt: body.refreshTokenExpiresAt ?? (body.refreshToken ? null : (kept?.refreshTokenExpiresAt ?? null)) };
  const common = {
    protocol: body.protocol,
    appSecret,
    apiBaseUrl: body.apiBaseUrl ?? defaultApiBaseUrls[body.protocol],
    accessToken: body.accessToken ?? kept?.accessToken ?? null,
    accessTokenExpiresAt,
    ...refresh,
  };
  if (body.protocol === "douyin_push") {
    return { ok: true, values: { ...common, appKey: body.appKey, platformShopId: body.platformShopId, consumerEnabled: false, settings } };
  }
  if (body.protocol === "taobao_tmc") {
    settings.tmcGroup = body.tmcGroup;
    if (body.tmcUrl) settings.tmcUrl = body.tmcUrl;
    else delete settings.tmcUrl;
    settings.isTmall = platform === "tmall";
    return { ok: true, values: { ...common, appKey: body.appKey, platformShopId: body.platformShopId, consumerEnabled: body.consumerEnabled, settings } };
  }
  const wechatToken = body.token ?? kept?.settings.wechatToken;
  const wechatAesKey = body.encodingAesKey ?? kept?.settings.wechatAesKey;
  if (!wechatToken) return { ok: false, field: "token", message: "The message-push Token is required the first time" };
  if (!wechatAesKey) return { ok: false, field: "encodingAesKey", message: "The EncodingAESKey is required the first time" };
  return {
    ok: true,
    // The 小店 appid names the shop: it is the app key, the platform shop id and the appid safe mode checks
    values: { ...common, appKey: body.appId, platformShopId: body.appId, consumerEnabled: false, settings: { ...settings, wechatToken, wechatAesKey, wechatAppId: body.appId } },
  };
}
