import { expect, test } from "@playwright/test";
import { eq } from "drizzle-orm";
import { openDb } from "@/db/client";
import { createShop } from "@/db/factories";
import { getPlatformAppForShop, storeTokenGrant, upsertPlatformApp } from "@/db/queries/platforms";
import { users } from "@/db/schema";
import { dayMs, hourMs } from "@/lib/time";
import { e2eDatabasePath } from "../playwright.config";
import { logins, signIn, unique } from "./helpers";

// Token upkeep (docs/platforms/tokens.md): the owner's 平台连接 shows each shop's connection health, flags a failing
// one with a banner, takes a refresh token and expiry on the form, and refreshes on 立即刷新. Each test makes its
// own shop. The refresh calls themselves are the platform adapters'; here the upkeep's store is played by the test.
const db = openDb(e2eDatabasePath);

/** "HH:mm" of an instant on a Beijing clock, as the card shows it. */
const beijingClock = (instant: Date) => new Date(instant.getTime() + 8 * hourMs).toISOString().slice(11, 16);

async function createOwnDouyinShop(name: string, token: { accessTokenExpiresAt: Date | null; refreshToken: string | null }) {
  const [owner] = await db.select().from(users).where(eq(users.email, logins.owner));
  const shopId = await createShop(db, { merchantId: owner.merchantId, platform: "douyin", name });
  await upsertPlatformApp(
    db,
    {
      shopId,
      protocol: "douyin_push",
      appKey: "7123456789012345678",
      appSecret: `e2e-douyin-secret-${unique()}`,
      platformShopId: unique().slice(0, 12),
      // Nothing listens there: no platform call of this test may succeed by accident
      apiBaseUrl: "http://127.0.0.1:9",
      accessToken: "e2e-access-token-old",
      ...token,
      settings: {},
    },
    new Date(),
  );
  return shopId;
}

test("an expired token flags the shop with a banner; once a new token is stored the page shows its expiry and the flag is gone", async ({ page }) => {
  const shopName = `e2e 令牌过期 ${unique().slice(-6)}`;
  const shopId = await createOwnDouyinShop(shopName, { accessTokenExpiresAt: new Date(Date.now() - hourMs), refreshToken: "e2e-refresh-token-old" });
  await signIn(page, logins.owner);
  // The owner is alerted on every page, not only on the settings page, and the alert leads there
  await page.goto("/inbox");
  const alert = page.getByTestId("connection-alert");
  await expect(alert).toContainText(/\d+ 家店铺的平台连接异常/);
  await alert.getByRole("link", { name: "查看平台连接" }).click();
  await expect(page).toHaveURL(/\/settings$/);
  await expect(page.getByTestId("connection-alert")).toHaveCount(0);
  const banner = page.getByTestId("connection-health-banner");
  await expect(banner).toContainText(shopName);
  await expect(banner).toContainText("令牌已过期");
  const card = page.getByTestId(`platform-app-${shopId}`);
  await expect(card.getByTestId("connection-status")).toHaveText("连接异常");
  await expect(card.getByTestId("token-expiry")).toContainText("已过期 1 小时");

  // What the upkeep stores after a successful refresh
  const expiresAt = new Date(Date.now() + 7 * dayMs + hourMs);
  await storeTokenGrant(db, shopId, { accessToken: "e2e-access-token-new", accessTokenExpiresAt: expiresAt, refreshToken: "e2e-refresh-token-new" }, new Date());
  await page.reload();
  await expect(card.getByTestId("connection-status")).toHaveText("连接正常");
  await expect(card.getByTestId("token-expiry")).toContainText("7 天后");
  await expect(card.getByTestId("token-expiry")).toContainText(beijingClock(expiresAt));
  await expect(card.getByTestId("token-refreshed-at")).not.toHaveText("暂无");
  await expect(page.getByTestId("connection-health-banner").getByText(shopName)).toHaveCount(0);
  expect(await page.content()).not.toContain("e2e-refresh-token-new");
});

test("agents are not alerted about the owner's platform connections", async ({ page }) => {
  await createOwnDouyinShop(`e2e 代理不提示 ${unique().slice(-6)}`, { accessTokenExpiresAt: new Date(Date.now() - hourMs), refreshToken: null });
  await signIn(page, logins.wangfang);
  await page.goto("/inbox");
  await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
  await expect(page.getByTestId("connection-alert")).toHaveCount(0);
});

test("立即刷新 without a stored refresh token tells the owner why, in Chinese, and keeps the old token", async ({ page }) => {
  const shopName = `e2e 立即刷新 ${unique().slice(-6)}`;
  const shopId = await createOwnDouyinShop(shopName, { accessTokenExpiresAt: new Date(Date.now() + hourMs), refreshToken: null });
  await signIn(page, logins.owner);
  await page.goto("/settings");
  const card = page.getByTestId(`platform-app-${shopId}`);
  await card.getByRole("button", { name: "立即刷新" }).click();
  await expect(page.getByText(`${shopName} 的令牌刷新失败`)).toBeVisible();
  await expect(card.getByTestId("last-error")).toContainText("令牌刷新失败：没有保存刷新令牌");
  await expect(card.getByTestId("connection-status")).toHaveText("连接异常");
  expect((await getPlatformAppForShop(db, shopId))?.accessToken).toBe("e2e-access-token-old");
});

test("the owner's form takes a refresh token and the token's expiry (Beijing time); the refresh token shows masked", async ({ page }) => {
  const shopName = `e2e 令牌表单 ${unique().slice(-6)}`;
  const shopId = await createOwnDouyinShop(shopName, { accessTokenExpiresAt: null, refreshToken: null });
  const refreshToken = `e2e-refresh-${unique()}`;
  await signIn(page, logins.owner);
  await page.goto("/settings");
  const card = page.getByTestId(`platform-app-${shopId}`);
  await expect(card.getByTestId("token-expiry")).toContainText("未记录到期时间");

  const expiresAt = new Date(Math.floor((Date.now() + 30 * dayMs) / 60_000) * 60_000);
  const beijingLocal = new Date(expiresAt.getTime() + 8 * hourMs).toISOString().slice(0, 16);
  await card.getByLabel("Refresh Token").fill(refreshToken);
  await card.getByLabel(/^令牌到期时间/).fill(beijingLocal);
  await card.getByRole("button", { name: "保存凭证" }).click();
  await expect(page.getByText(`${shopName} 的平台凭证已保存`)).toBeVisible();
  await expect(card.getByTestId("stored-refreshToken")).toHaveText(`已保存 ••••${refreshToken.slice(-4)}`);
  await expect(card.getByTestId("token-expiry")).toContainText(beijingClock(expiresAt));
  await expect.poll(async () => (await getPlatformAppForShop(db, shopId))?.accessTokenExpiresAt?.toISOString()).toBe(expiresAt.toISOString());
  expect((await getPlatformAppForShop(db, shopId))?.refreshToken).toBe(refreshToken);
  expect(await page.content()).not.toContain(refreshToken);
});
