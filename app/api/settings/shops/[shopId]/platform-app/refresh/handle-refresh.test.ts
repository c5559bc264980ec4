import { beforeEach, describe, expect, it } from "vitest";
import type { ClientDeps } from "@/app/_server/platforms/client";
import type { TokenRefreshers } from "@/app/_server/platforms/token-upkeep";
import { type Db } from "@/db/client";
import { openTestDbForTest } from "@/db/test-db";
import { createMerchant, createShop, createUser } from "@/db/factories";
import { getPlatformAppForShop, upsertPlatformApp, type PlatformApp } from "@/db/queries/platforms";
import { getScope, type Scope } from "@/db/queries/users";
import type { RefreshNowResponse } from "@/lib/platforms/connection";
import type { TokenGrant } from "@/lib/platforms/types";
import { handleRefreshNow } from "./handle-refresh";

// POST /api/settings/shops/:shopId/platform-app/refresh (立即刷新): the merchant's own shop only. Owner only is the
// route's withScope({ role: "owner" }); app/api/settings/routes.test.ts checks the agent's 403.

const now = new Date("2026-11-20T02:00:00.000Z");
const day = 86_400_000;
const deps: ClientDeps = { fetch: () => Promise.reject(new Error("no network in this test")), now: () => now, timeoutMs: 1_000 };

let db: Db;
let shopA: string;
let ownerA: Scope;
let ownerB: Scope;
let refreshed: string[];
let answer: () => TokenGrant;
const stub = { refreshToken: async (_deps: ClientDeps, app: PlatformApp) => (refreshed.push(app.shopId), answer()) };
const refreshers: TokenRefreshers = { douyin_push: stub, taobao_tmc: stub, wechat_ec: stub };

const refreshNow = async (scope: Scope, shopId: string) => handleRefreshNow(db, scope, shopId, deps, refreshers);

beforeEach(async () => {
  db = await openTestDbForTest();
  refreshed = [];
  answer = () => ({ accessToken: "new-access-token", accessTokenExpiresAt: new Date(now.getTime() + 7 * day), refreshToken: "new-refresh-token" });
  const merchantA = await createMerchant(db, "A");
  const merchantB = await createMerchant(db, "B");
  shopA = await createShop(db, { merchantId: merchantA, platform: "douyin", name: "A 抖店" });
  await createShop(db, { merchantId: merchantB, platform: "douyin", name: "B 抖店" });
  ownerA = (await getScope(db, await createUser(db, { merchantId: merchantA, name: "A 老板", email: "o@a.test", role: "owner" })))!;
  ownerB = (await getScope(db, await createUser(db, { merchantId: merchantB, name: "B 老板", email: "o@b.test", role: "owner" })))!;
  await upsertPlatformApp(
    db,
    {
      shopId: shopA,
      protocol: "douyin_push",
      appKey: "7123456789012345678",
      appSecret: "unit-secret-douyin",
      platformShopId: "10437917",
      apiBaseUrl: "http://fake-douyin",
      accessToken: "old-access-token",
      refreshToken: "old-refresh-token",
      accessTokenExpiresAt: new Date(now.getTime() + 3 * day),
      settings: {},
    },
    now,
  );
});

describe("立即刷新", () => {
  it("the owner refreshes their shop's token now, even days before it is due; the answer is the app's view", async () => {
    const response = await refreshNow(ownerA, shopA);
    expect(response.status).toBe(200);
    const body = (await response.json()) as RefreshNowResponse;
    expect(body.refreshed).toBe(true);
    expect(body.app.health).toMatchObject({ accessTokenExpiresAt: "2026-11-27T02:00:00.000Z", accessTokenExpiresIn: { unit: "days", count: 7, isPast: false }, tokenRefreshedAt: now.toISOString(), isFailing: false });
    expect(body.app.secrets.refreshToken).toBe("••••oken");
    expect(JSON.stringify(body)).not.toContain("new-refresh-token");
    expect(await getPlatformAppForShop(db, shopA)).toMatchObject({ accessToken: "new-access-token", refreshToken: "new-refresh-token", tokenRefreshedAt: now });
  });

  it("another merchant's owner gets 404 and nothing is refreshed, even with the shop id forged into the scope", async () => {
    for (const scope of [ownerB, { ...ownerB, shopIds: [...ownerB.shopIds, shopA] }]) {
      const response = await refreshNow(scope, shopA);
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: "not_found" } });
    }
    expect(refreshed).toEqual([]);
    expect((await getPlatformAppForShop(db, shopA))?.accessToken).toBe("old-access-token");
  });

  it("a malformed id 400; a shop without a platform app 404", async () => {
    expect((await refreshNow(ownerA, "../x")).status).toBe(400);
    const bare = await createShop(db, { merchantId: ownerA.merchantId, platform: "taobao", name: "A 淘宝" });
    const withBare = (await getScope(db, ownerA.userId))!;
    expect((await refreshNow(withBare, bare)).status).toBe(404);
    expect(refreshed).toEqual([]);
  });

  it("the platform's refusal answers refreshed: false with the error in Chinese, and keeps the old token", async () => {
    answer = () => {
      throw new Error("refresh_token无效");
    };
    const response = await refreshNow(ownerA, shopA);
    expect(response.status).toBe(200);
    const body = (await response.json()) as RefreshNowResponse;
    expect(body.refreshed).toBe(false);
    expect(body.app.health).toMatchObject({ lastError: "令牌刷新失败：refresh_token无效", lastErrorAt: now.toISOString(), problems: ["recent_error"], isFailing: true });
    expect((await getPlatformAppForShop(db, shopA))?.accessToken).toBe("old-access-token");
  });
});
