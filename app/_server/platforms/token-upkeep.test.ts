import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ClientDeps } from "@/app/_server/platforms/client";
import { refreshDueTokens, refreshPlatformToken, startTokenUpkeep, type TokenRefreshers, type UpkeepState } from "@/app/_server/platforms/token-upkeep";
import { type Db } from "@/db/client";
import { openTestDbForTest } from "@/db/test-db";
import { createMerchant, createShop } from "@/db/factories";
import { getPlatformAppForShop, upsertPlatformApp, type PlatformApp } from "@/db/queries/platforms";
import type { Platform } from "@/lib/domain";
import type { Protocol, TokenGrant } from "@/lib/platforms/types";
import { dayMs, hourMs, minuteMs } from "@/lib/time";

// Token upkeep against a stub adapter (the real refresh calls are the platform adapters'), with an injected clock.

const start = new Date("2026-11-20T02:00:00.000Z");

let db: Db;
let clock: Date;
let calls: { protocol: Protocol; shopId: string; refreshToken: string | null }[];
let answers: Partial<Record<Protocol, (app: PlatformApp) => TokenGrant | Promise<TokenGrant>>>;

const deps: ClientDeps = { fetch: () => Promise.reject(new Error("no network in this test")), now: () => clock, timeoutMs: 1_000 };

/** A stub registry: records each call and answers (or throws) what the test set for the protocol. */
const stub = (protocol: Protocol) => ({
  async refreshToken(_deps: ClientDeps, app: PlatformApp) {
    calls.push({ protocol, shopId: app.shopId, refreshToken: app.refreshToken });
    const answer = answers[protocol];
    if (!answer) throw new Error(`no stub answer for ${protocol}`);
    return answer(app);
  },
});
const refreshers: TokenRefreshers = { douyin_push: stub("douyin_push"), taobao_tmc: stub("taobao_tmc"), wechat_ec: stub("wechat_ec") };

async function connect(platform: Platform, values: { accessTokenExpiresAt: Date | null; refreshToken?: string | null; accessToken?: string }) {
  const merchant = await createMerchant(db, `M ${platform}`);
  const shopId = await createShop(db, { merchantId: merchant, platform, name: `${platform} 店` });
  const protocol: Protocol = platform === "douyin" ? "douyin_push" : platform === "wechat" ? "wechat_ec" : "taobao_tmc";
  await upsertPlatformApp(
    db,
    {
      shopId,
      protocol,
      appKey: protocol === "wechat_ec" ? "wx0123456789abcdef" : "7123456789012345678",
      appSecret: "unit-secret-0001",
      platformShopId: `${platform}-${shopId}`,
      apiBaseUrl: "http://fake-platform",
      accessToken: values.accessToken ?? "old-access-token",
      refreshToken: values.refreshToken === undefined ? "old-refresh-token" : values.refreshToken,
      accessTokenExpiresAt: values.accessTokenExpiresAt,
      settings: {},
    },
    clock,
  );
  return shopId;
}

const appOf = async (shopId: string) => (await getPlatformAppForShop(db, shopId))!;

beforeEach(async () => {
  db = await openTestDbForTest();
  clock = start;
  calls = [];
  answers = {};
});

describe("refreshDueTokens: one round", () => {
  it("a Douyin token 1 hour from expiry is refreshed without anyone acting: token, expiry, refresh token and refresh time stored", async () => {
    const shopId = await connect("douyin", { accessTokenExpiresAt: new Date(start.getTime() + hourMs) });
    answers.douyin_push = () => ({ accessToken: "new-access-token", accessTokenExpiresAt: new Date(start.getTime() + 7 * dayMs), refreshToken: "new-refresh-token", refreshTokenExpiresAt: new Date(start.getTime() + 14 * dayMs) });
    expect(await refreshDueTokens(db, new Map(), deps, refreshers)).toEqual({ refreshed: 1, failed: 0, waiting: 0 });
    expect(calls).toEqual([{ protocol: "douyin_push", shopId, refreshToken: "old-refresh-token" }]);
    expect(await appOf(shopId)).toMatchObject({
      accessToken: "new-access-token",
      accessTokenExpiresAt: new Date(start.getTime() + 7 * dayMs),
      refreshToken: "new-refresh-token",
      refreshTokenExpiresAt: new Date(start.getTime() + 14 * dayMs),
      tokenRefreshedAt: start,
      lastError: null,
    });
    // The next round finds nothing due
    expect(await refreshDueTokens(db, new Map(), deps, refreshers)).toEqual({ refreshed: 0, failed: 0, waiting: 0 });
    expect(calls).toHaveLength(1);
  });

  it.each<[string, Platform, number | null, boolean]>([
    ["Douyin exactly at its 2-hour margin", "douyin", 2 * hourMs, true],
    ["Douyin a minute before its margin", "douyin", 2 * hourMs + minuteMs, false],
    ["Taobao already expired", "taobao", -dayMs, true],
    ["WeChat 1 hour from expiry (its margin is 10 minutes)", "wechat", hourMs, false],
    ["WeChat exactly at its 10-minute margin", "wechat", 10 * minuteMs, true],
    ["Douyin with no expiry recorded", "douyin", null, false],
  ])("%s → refreshed %s", async (_name, platform, expiresInMs, isRefreshed) => {
    const shopId = await connect(platform, { accessTokenExpiresAt: expiresInMs === null ? null : new Date(start.getTime() + expiresInMs), refreshToken: platform === "wechat" ? null : "old-refresh-token" });
    const grant = { accessToken: "new-access-token", accessTokenExpiresAt: new Date(start.getTime() + 2 * hourMs + dayMs) };
    answers = { douyin_push: () => grant, taobao_tmc: () => grant, wechat_ec: () => grant };
    await refreshDueTokens(db, new Map(), deps, refreshers);
    expect(calls.length).toBe(isRefreshed ? 1 : 0);
    expect((await appOf(shopId)).accessToken).toBe(isRefreshed ? "new-access-token" : "old-access-token");
  });

  it("a grant without a refresh token keeps the stored one (WeChat stable_token has none)", async () => {
    const shopId = await connect("douyin", { accessTokenExpiresAt: new Date(start.getTime() + hourMs) });
    answers.douyin_push = () => ({ accessToken: "new-access-token", accessTokenExpiresAt: new Date(start.getTime() + 7 * dayMs) });
    await refreshDueTokens(db, new Map(), deps, refreshers);
    expect(await appOf(shopId)).toMatchObject({ accessToken: "new-access-token", refreshToken: "old-refresh-token" });
  });

  it("a failure records last_error in Chinese with the platform's words, leaves the old token, and is retried with backoff", async () => {
    const shopId = await connect("douyin", { accessTokenExpiresAt: new Date(start.getTime() + hourMs) });
    answers.douyin_push = () => {
      throw new Error('{"code":30002,"msg":"refresh_token已过期"}');
    };
    const state: UpkeepState = new Map();
    expect(await refreshDueTokens(db, state, deps, refreshers)).toEqual({ refreshed: 0, failed: 1, waiting: 0 });
    const failed = await appOf(shopId);
    expect(failed).toMatchObject({ accessToken: "old-access-token", refreshToken: "old-refresh-token", tokenRefreshedAt: null, lastErrorAt: start });
    expect(failed.lastError).toBe('令牌刷新失败：refresh_token已过期（代码 30002）');
    expect(failed.accessTokenExpiresAt).toEqual(new Date(start.getTime() + hourMs));

    // 30 s later: still backing off (1 minute after the first failure), no call
    clock = new Date(start.getTime() + 30_000);
    expect(await refreshDueTokens(db, state, deps, refreshers)).toEqual({ refreshed: 0, failed: 0, waiting: 1 });
    expect(calls).toHaveLength(1);
    // 1 minute later: tried again, fails again; the next wait is 2 minutes
    clock = new Date(start.getTime() + minuteMs);
    expect(await refreshDueTokens(db, state, deps, refreshers)).toMatchObject({ failed: 1 });
    expect(state.get(shopId)).toEqual({ count: 2, lastFailedAt: clock });
    clock = new Date(start.getTime() + 2 * minuteMs);
    expect(await refreshDueTokens(db, state, deps, refreshers)).toMatchObject({ waiting: 1 });
    // The platform recovers: stored, backoff forgotten
    answers.douyin_push = () => ({ accessToken: "new-access-token", accessTokenExpiresAt: new Date(start.getTime() + 7 * dayMs) });
    clock = new Date(start.getTime() + 3 * minuteMs);
    expect(await refreshDueTokens(db, state, deps, refreshers)).toMatchObject({ refreshed: 1 });
    expect(state.size).toBe(0);
    expect(await appOf(shopId)).toMatchObject({ accessToken: "new-access-token", tokenRefreshedAt: clock });
    expect(calls).toHaveLength(3);
  });

  it("one shop's failure does not keep the next shop from its refresh", async () => {
    const failing = await connect("taobao", { accessTokenExpiresAt: new Date(start.getTime() + 30 * minuteMs) });
    const fine = await connect("douyin", { accessTokenExpiresAt: new Date(start.getTime() + hourMs) });
    answers.taobao_tmc = () => {
      throw new TypeError("fetch failed");
    };
    answers.douyin_push = () => ({ accessToken: "new-access-token", accessTokenExpiresAt: new Date(start.getTime() + 7 * dayMs) });
    expect(await refreshDueTokens(db, new Map(), deps, refreshers)).toEqual({ refreshed: 1, failed: 1, waiting: 0 });
    expect((await appOf(failing)).lastError).toBe("令牌刷新失败：连不上平台接口（网络错误）");
    expect((await appOf(fine)).accessToken).toBe("new-access-token");
  });

  it("Douyin or Taobao without a refresh token: no call, the owner is told to re-authorise", async () => {
    const shopId = await connect("douyin", { accessTokenExpiresAt: new Date(start.getTime() + hourMs), refreshToken: null });
    expect(await refreshDueTokens(db, new Map(), deps, refreshers)).toMatchObject({ failed: 1 });
    expect(calls).toEqual([]);
    expect((await appOf(shopId)).lastError).toMatch(/^令牌刷新失败：没有保存刷新令牌/);
  });

  it("a grant with no token or an invalid expiry is a failure, not stored", async () => {
    const shopId = await connect("wechat", { accessTokenExpiresAt: new Date(start.getTime() + 5 * minuteMs), refreshToken: null });
    answers.wechat_ec = () => ({ accessToken: "", accessTokenExpiresAt: new Date(Number.NaN) });
    expect(await refreshDueTokens(db, new Map(), deps, refreshers)).toMatchObject({ failed: 1 });
    expect(await appOf(shopId)).toMatchObject({ accessToken: "old-access-token", tokenRefreshedAt: null, lastError: "令牌刷新失败：平台的答复里没有可用的令牌或到期时间" });
  });
});

describe("refreshPlatformToken", () => {
  it("two refreshes of one shop at once make one platform call (a refresh token may be spent by the first)", async () => {
    const shopId = await connect("douyin", { accessTokenExpiresAt: new Date(start.getTime() + hourMs) });
    let release: (grant: TokenGrant) => void = () => {};
    answers.douyin_push = () => new Promise<TokenGrant>((resolve) => (release = resolve));
    const app = await appOf(shopId);
    const first = refreshPlatformToken(db, app, deps, refreshers);
    const second = refreshPlatformToken(db, app, deps, refreshers);
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    release({ accessToken: "new-access-token", accessTokenExpiresAt: new Date(start.getTime() + 7 * dayMs) });
    const [a, b] = await Promise.all([first, second]);
    expect(a.ok && b.ok).toBe(true);
    expect(calls).toHaveLength(1);
  });
});

describe("startTokenUpkeep: the loop", () => {
  let stop: (() => void) | undefined;
  afterEach(() => stop?.());

  it("refreshes a due token on its own, and keeps going after a failed refresh", async () => {
    const shopId = await connect("douyin", { accessTokenExpiresAt: new Date(start.getTime() + hourMs) });
    let attempts = 0;
    answers.douyin_push = () => {
      attempts++;
      if (attempts === 1) throw new Error("系统繁忙");
      return { accessToken: "new-access-token", accessTokenExpiresAt: new Date(start.getTime() + 7 * dayMs) };
    };
    // Every reading of the clock is a minute later, so the 1-minute backoff after the failure has passed by the next round
    let tick = 0;
    const movingDeps: ClientDeps = { ...deps, now: () => new Date(start.getTime() + tick++ * minuteMs) };
    stop = startTokenUpkeep(() => db, 5, movingDeps, refreshers).stop;
    await vi.waitFor(async () => expect((await appOf(shopId)).accessToken).toBe("new-access-token"), { timeout: 2_000, interval: 10 });
    expect(attempts).toBe(2);
    expect((await appOf(shopId)).lastError).toBe("令牌刷新失败：系统繁忙");
  });
});
