import { describe, expect, it } from "vitest";
import { buildPlatformAppValues, maskSecret, parseExpiryInput, platformAppBody, toPlatformAppView, type PlatformAppValues } from "@/lib/platforms/connection";

const parse = (body: unknown) => platformAppBody.parse(body);
const douyin = { protocol: "douyin_push", appKey: "7123456789012345678", appSecret: "douyin-app-secret-0001", platformShopId: "10437917" } as const;
const wechat = { protocol: "wechat_ec", appId: "wx0123456789abcdef", appSecret: "wechat-app-secret-0001", token: "pushToken42", encodingAesKey: "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG" } as const;

describe("platformAppBody", () => {
  it.each([
    [{ ...douyin, appKey: "abc" }, "appKey"],
    [{ ...douyin, platformShopId: "shop-1" }, "platformShopId"],
    [{ ...douyin, apiBaseUrl: "ftp://x" }, "apiBaseUrl"],
    [{ ...douyin, appSecret: "12345" }, "appSecret"],
    [{ ...wechat, appId: "0123456789abcdef" }, "appId"],
    [{ ...wechat, token: "a b" }, "token"],
    [{ ...wechat, encodingAesKey: "tooShort" }, "encodingAesKey"],
    [{ protocol: "taobao_tmc", appKey: "12497914", platformShopId: "木槿旗舰店", consumerEnabled: true, tmcGroup: "my group" }, "tmcGroup"],
    [{ protocol: "taobao_tmc", appKey: "12497914", platformShopId: "木槿旗舰店", consumerEnabled: true, tmcUrl: "http://mc.api.taobao.com/" }, "tmcUrl"],
    [{ protocol: "jd" }, "protocol"],
  ])("refuses %j at %s", (body, path) => {
    const parsed = platformAppBody.safeParse(body);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0].path.join(".")).toBe(path);
  });

  it("blank optional fields count as absent; the TMC group defaults to default", () => {
    expect(parse({ protocol: "taobao_tmc", appKey: "12497914", appSecret: "  ", platformShopId: "木槿旗舰店", consumerEnabled: false, tmcGroup: "", apiBaseUrl: "" })).toEqual({
      protocol: "taobao_tmc",
      appKey: "12497914",
      platformShopId: "木槿旗舰店",
      consumerEnabled: false,
      tmcGroup: "default",
    });
  });
});

describe("buildPlatformAppValues", () => {
  it("a Douyin shop: the production API by default, no consumer", () => {
    expect(buildPlatformAppValues("douyin", parse({ ...douyin, returnAddressId: "700001" }), null)).toEqual({
      ok: true,
      values: {
        protocol: "douyin_push",
        appKey: douyin.appKey,
        appSecret: douyin.appSecret,
        platformShopId: "10437917",
        apiBaseUrl: "https://openapi-fxg.jinritemai.com",
        accessToken: null,
        refreshToken: null,
        accessTokenExpiresAt: null,
        refreshTokenExpiresAt: null,
        consumerEnabled: false,
        settings: { returnAddressId: "700001" },
      },
    });
  });

  it("the protocol must be the shop's platform's", () => {
    expect(buildPlatformAppValues("tmall", parse(douyin), null)).toMatchObject({ ok: false, field: "protocol" });
  });

  it("the first save needs the secret; a later blank one keeps the stored secret and the settings the form does not show", () => {
    expect(buildPlatformAppValues("douyin", parse({ ...douyin, appSecret: "" }), null)).toMatchObject({ ok: false, field: "appSecret" });
    const stored: PlatformAppValues = {
      protocol: "douyin_push",
      appKey: douyin.appKey,
      appSecret: "stored-secret-000",
      platformShopId: "10437917",
      apiBaseUrl: "http://127.0.0.1:4011",
      accessToken: "stored-token-0000",
      refreshToken: null,
      accessTokenExpiresAt: null,
      refreshTokenExpiresAt: null,
      consumerEnabled: false,
      settings: { defaultCategory: "fresh_food", rejectReasonIds: { other: "8" } },
    };
    const built = buildPlatformAppValues("douyin", parse({ ...douyin, appSecret: undefined, apiBaseUrl: "http://127.0.0.1:4011" }), stored);
    expect(built).toMatchObject({ ok: true, values: { appSecret: "stored-secret-000", accessToken: "stored-token-0000", settings: { defaultCategory: "fresh_food", rejectReasonIds: { other: "8" } } } });
  });

  it("a Tmall shop: isTmall follows the shop, TMC group and consumer switch kept", () => {
    const body = parse({ protocol: "taobao_tmc", appKey: "12497914", appSecret: "taobao-secret-01", platformShopId: "木槿旗舰店", consumerEnabled: true, tmcGroup: "desk", accessToken: "session-key-0001" });
    expect(buildPlatformAppValues("tmall", body, null)).toMatchObject({ ok: true, values: { consumerEnabled: true, accessToken: "session-key-0001", apiBaseUrl: "https://eco.taobao.com/router/rest", settings: { tmcGroup: "desk", isTmall: true } } });
    expect(buildPlatformAppValues("taobao", body, null)).toMatchObject({ ok: true, values: { settings: { isTmall: false } } });
  });

  it("a WeChat shop: the appid is the key, the shop id and the appid safe mode checks; Token and AES key required first", () => {
    expect(buildPlatformAppValues("wechat", parse(wechat), null)).toMatchObject({
      ok: true,
      values: { appKey: wechat.appId, platformShopId: wechat.appId, settings: { wechatToken: "pushToken42", wechatAesKey: wechat.encodingAesKey, wechatAppId: wechat.appId } },
    });
    expect(buildPlatformAppValues("wechat", parse({ ...wechat, token: "" }), null)).toMatchObject({ ok: false, field: "token" });
    expect(buildPlatformAppValues("wechat", parse({ ...wechat, encodingAesKey: undefined }), null)).toMatchObject({ ok: false, field: "encodingAesKey" });
  });
});

describe("the view never carries a secret", () => {
  it("masks to the last 4 characters (nothing of a short one)", () => {
    expect([maskSecret("douyin-app-secret-0001"), maskSecret("short"), maskSecret(null)]).toEqual(["••••0001", "••••", null]);
    const built = buildPlatformAppValues("wechat", parse({ ...wechat, accessToken: "access-token-9876" }), null);
    if (!built.ok) throw new Error(built.message);
    const view = toPlatformAppView("shop_1", { ...built.values, updatedAt: new Date("2026-11-23T00:00:00Z") }, new Date("2026-11-23T00:00:00Z"));
    expect(view.secrets).toEqual({ appSecret: "••••0001", accessToken: "••••9876", refreshToken: null, wechatToken: "••••", wechatAesKey: "••••DEFG" });
    expect(JSON.stringify(view)).not.toContain("wechat-app-secret");
    expect(JSON.stringify(view)).not.toContain(wechat.encodingAesKey);
  });
});

// Token upkeep (docs/platforms/tokens.md): the owner's form takes a refresh token and the token's expiry

describe("parseExpiryInput", () => {
  it.each([
    // A datetime-local value is Beijing wall-clock time (UTC+8)
    ["2026-11-23T10:00", "2026-11-23T02:00:00.000Z"],
    ["2026-11-23T10:00:30", "2026-11-23T02:00:30.000Z"],
    ["2026-11-23 07:30", "2026-11-22T23:30:00.000Z"],
    // An instant with its zone is taken as it is
    ["2026-11-23T10:00:00Z", "2026-11-23T10:00:00.000Z"],
    ["2026-11-23T10:00:00+08:00", "2026-11-23T02:00:00.000Z"],
  ])("%s is %s", (input, iso) => {
    expect(parseExpiryInput(input)?.toISOString()).toBe(iso);
  });

  it.each(["2026-02-30T10:00", "2026-11-23T24:00", "2026-11-23T10:60", "2026-11-23", "tomorrow", "1763604130"])("refuses %s", (input) => {
    expect(parseExpiryInput(input)).toBeNull();
  });
});

describe("refresh token and expiry on the form", () => {
  const withTokens = { ...douyin, accessToken: "douyin-access-0001", refreshToken: "douyin-refresh-0001", accessTokenExpiresAt: "2026-11-27T10:00", refreshTokenExpiresAt: "2026-12-07T10:00" };

  it("a Douyin shop stores the refresh token and both expiries (Beijing time → UTC)", () => {
    const built = buildPlatformAppValues("douyin", parse(withTokens), null);
    if (!built.ok) throw new Error(built.message);
    expect(built.values).toMatchObject({ accessToken: "douyin-access-0001", refreshToken: "douyin-refresh-0001" });
    expect(built.values.accessTokenExpiresAt?.toISOString()).toBe("2026-11-27T02:00:00.000Z");
    expect(built.values.refreshTokenExpiresAt?.toISOString()).toBe("2026-12-07T02:00:00.000Z");
  });

  it("refuses an expiry that is not a date and time", () => {
    const parsed = platformAppBody.safeParse({ ...withTokens, accessTokenExpiresAt: "next week" });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0].path.join(".")).toBe("accessTokenExpiresAt");
  });

  it("blank keeps the stored token and expiry; a new token without an expiry clears the old token's expiry", () => {
    const first = buildPlatformAppValues("douyin", parse(withTokens), null);
    if (!first.ok) throw new Error(first.message);
    const kept = buildPlatformAppValues("douyin", parse({ ...douyin, appSecret: "", accessToken: "", refreshToken: "", accessTokenExpiresAt: "", refreshTokenExpiresAt: "" }), first.values);
    expect(kept).toMatchObject({ ok: true, values: { accessToken: "douyin-access-0001", refreshToken: "douyin-refresh-0001", accessTokenExpiresAt: first.values.accessTokenExpiresAt, refreshTokenExpiresAt: first.values.refreshTokenExpiresAt } });
    const newTokens = buildPlatformAppValues("douyin", parse({ ...douyin, accessToken: "douyin-access-0002", refreshToken: "douyin-refresh-0002" }), first.values);
    expect(newTokens).toMatchObject({ ok: true, values: { accessToken: "douyin-access-0002", accessTokenExpiresAt: null, refreshToken: "douyin-refresh-0002", refreshTokenExpiresAt: null } });
  });

  it("a WeChat shop takes an expiry but never a refresh token (stable_token needs the app secret only)", () => {
    const built = buildPlatformAppValues("wechat", parse({ ...wechat, accessToken: "wechat-access-0001", accessTokenExpiresAt: "2026-11-23T12:00", refreshToken: "ignored-refresh" }), null);
    if (!built.ok) throw new Error(built.message);
    expect(built.values).toMatchObject({ refreshToken: null, refreshTokenExpiresAt: null });
    expect(built.values.accessTokenExpiresAt?.toISOString()).toBe("2026-11-23T04:00:00.000Z");
  });

  it("the view masks the refresh token and shows the health with its relative expiry", () => {
    const built = buildPlatformAppValues("douyin", parse(withTokens), null);
    if (!built.ok) throw new Error(built.message);
    const now = new Date("2026-11-27T00:00:00.000Z");
    const view = toPlatformAppView("shop_1", { ...built.values, tokenRefreshedAt: null, lastMessageAt: now, lastAnswerAt: null, lastError: null, lastErrorAt: null, updatedAt: now }, now);
    expect(view.secrets.refreshToken).toBe("••••0001");
    expect(JSON.stringify(view)).not.toContain("douyin-refresh-0001");
    expect(view.health).toEqual({
      checkedAt: "2026-11-27T00:00:00.000Z",
      lastMessageAt: "2026-11-27T00:00:00.000Z",
      lastAnswerAt: null,
      accessTokenExpiresAt: "2026-11-27T02:00:00.000Z",
      accessTokenExpiresIn: { unit: "hours", count: 2, isPast: false },
      refreshTokenExpiresAt: "2026-12-07T02:00:00.000Z",
      tokenRefreshedAt: null,
      lastError: null,
      lastErrorAt: null,
      // Exactly at Douyin's 2-hour margin and never refreshed
      problems: ["token_expiring"],
      isFailing: true,
    });
  });
});
