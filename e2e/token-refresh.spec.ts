import { expect, test } from "@playwright/test";
import { eq } from "drizzle-orm";
import { openDb } from "@/db/client";
import { createShop } from "@/db/factories";
import { getPlatformAppForShop, upsertPlatformApp } from "@/db/queries/platforms";
import { users } from "@/db/schema";
import { hourMs } from "@/lib/time";
import { FakeDouyin } from "@/scripts/fake-platforms/douyin";
import { e2eDatabasePath } from "../playwright.config";
import { logins, signIn } from "./helpers";

// docs/platforms/tokens.md: a Douyin token one hour from expiry is refreshed by the server's own upkeep loop (every
// 60 s), with nobody acting, through the fake 抖店's /token/refresh; the owner's 平台连接 then shows the new expiry.
const db = openDb(e2eDatabasePath);
const suffix = `${Date.now()}`.slice(-6);

test("a Douyin token 1 hour from expiry is refreshed without anyone acting, and 平台连接 shows it", async ({ page }) => {
  test.setTimeout(150_000);
  const app = { appKey: `71234567890${suffix}55`, appSecret: "e2e-secret-douyin-token", shopId: `1055${suffix}` };
  const platform = new FakeDouyin(app);
  platform.refreshTokens.add(`e2e-refresh-${suffix}`);
  const { server, baseUrl } = await platform.listen();
  try {
    const [owner] = await db.select().from(users).where(eq(users.email, logins.owner));
    const shopName = `令牌续期抖店 ${suffix}`;
    const shopId = await createShop(db, { merchantId: owner.merchantId, platform: "douyin", name: shopName });
    const oldExpiry = new Date(Date.now() + hourMs);
    await upsertPlatformApp(
      db,
      { shopId, protocol: "douyin_push", appKey: app.appKey, appSecret: app.appSecret, platformShopId: app.shopId, apiBaseUrl: baseUrl, accessToken: `e2e-access-${suffix}`, refreshToken: `e2e-refresh-${suffix}`, accessTokenExpiresAt: oldExpiry, settings: {} },
      new Date(),
    );

    // The upkeep runs every 60 s in the server: within about a minute the token is new and lives 7 days
    await expect
      .poll(async () => (await getPlatformAppForShop(db, shopId))?.accessTokenExpiresAt?.getTime() ?? 0, { timeout: 90_000, intervals: [2_000] })
      .toBeGreaterThan(Date.now() + 6 * 24 * hourMs);
    const refreshed = (await getPlatformAppForShop(db, shopId))!;
    expect(refreshed.tokenRefreshedAt).not.toBeNull();
    expect(refreshed.refreshToken).not.toBe(`e2e-refresh-${suffix}`);
    expect(platform.refreshTokens.has(refreshed.refreshToken!)).toBe(true);

    await signIn(page, logins.owner);
    await page.goto("/settings");
    const card = page.getByTestId(`platform-app-${shopId}`);
    // Seven days from the refresh, a few seconds ago: the page says 6 天后 and the new expiry's Beijing time
    const beijing = new Date(refreshed.accessTokenExpiresAt!.getTime() + 8 * hourMs).toISOString();
    await expect(card.getByTestId("token-expiry")).toContainText(`${beijing.slice(0, 10).replaceAll("-", "/")} ${beijing.slice(11, 16)}（6 天后）`);
    await expect(card.getByTestId("token-refreshed-at")).not.toHaveText("暂无");
    await expect(card.getByTestId("connection-status")).toHaveText("连接正常");
  } finally {
    server.close();
  }
});
