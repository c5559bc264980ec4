import { z } from "zod";
import type { Platform } from "@/lib/domain";
import type { PlatformAppSettings, Protocol } from "@/lib/platforms/types";

// Connect a shop to its platform (issue 11): the credentials each adapter needs, as the owner enters them on the
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

export const platformAppBody = z.discriminatedUnion("protocol", [
  z.object({
    protocol: z.literal("douyin_push"),
    appKey: z.string().trim().regex(/^\d{1,20}$/, "抖店 app_key is digits"),
    appSecret: secret,
    platformShopId: z.string().trim().regex(/^\d{1,20}$/, "抖店 shop_id is digits"),
    accessToken: secret,
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
  consumerEnabled: boolean;
  settings: PlatformAppSettings;
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
  secrets: { appSecret: string | null; accessToken: string | null; wechatToken: string | null; wechatAesKey: string | null };
  updatedAt: string;
};

export function maskSecret(value: string | null | undefined): string | null {
  if (!value) return null;
  return value.length >= 12 ? `••••${value.slice(-4)}` : "••••";
}

export function toPlatformAppView(shopId: string, app: PlatformAppValues & { updatedAt: Date }): PlatformAppView {
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
      wechatToken: maskSecret(app.settings.wechatToken),
      wechatAesKey: maskSecret(app.settings.wechatAesKey),
    },
    updatedAt: app.updatedAt.toISOString(),
  };
}

export type BuildResult = { ok: true; values: PlatformAppValues } | { ok: false; field: string; message: string };

/**
 * The values to store from the owner's form and what is stored now: a blank secret keeps the stored one, settings
 * the form does not show (reject reason ids, default category) are kept, and Tmall follows the shop's platform.
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
  const common = { protocol: body.protocol, appSecret, apiBaseUrl: body.apiBaseUrl ?? defaultApiBaseUrls[body.protocol], accessToken: body.accessToken ?? kept?.accessToken ?? null };
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
