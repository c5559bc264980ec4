import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { eq } from "drizzle-orm";
import { openDb } from "@/db/client";
import { getPlatformAppForShop, upsertPlatformApp } from "@/db/queries/platforms";
import { requests } from "@/db/schema";
import { FakeDouyin } from "@/scripts/fake-platforms/douyin";
import { FakeWechat } from "@/scripts/fake-platforms/wechat";
import { e2eDatabasePath } from "../playwright.config";
import { baseURL, cardByTitle, createTestShop, logins, openInbox, signIn, signInApi, unique } from "./helpers";

// Connecting a shop to its platform (docs/platforms/README.md): the owner connects it on the settings page; WeChat 小店 pushes make cards;
// a platform intervention shows on the card. Each test makes its own shop, so no other test's app changes.
const db = openDb(e2eDatabasePath);

test("the owner saves a Douyin shop's credentials; the secret shows masked, never in the page", async ({ page }) => {
  const shopName = `e2e 抖店连接 ${unique().slice(-6)}`;
  const shopId = await createTestShop(shopName, { platform: "douyin" });
  const appSecret = `e2e-douyin-secret-${unique()}`;
  const platformShopId = unique().slice(0, 12);
  await signIn(page, logins.owner);
  await page.goto("/settings");
  const card = page.getByTestId(`platform-app-${shopId}`);
  await expect(card.getByText("未连接")).toBeVisible();
  await expect(card.getByText("/api/platforms/douyin/push")).toBeVisible();

  await card.getByLabel("App Key").fill("7123456789012345678");
  await card.getByLabel("App Secret").fill(appSecret);
  await card.getByLabel(/抖店店铺 ID/).fill(platformShopId);
  await card.getByLabel(/退货地址 ID/).fill("700001");
  await card.getByRole("button", { name: "保存凭证" }).click();
  await expect(page.getByText(`${shopName} 的平台凭证已保存`)).toBeVisible();
  await expect(card.getByText("已连接")).toBeVisible();
  await expect(card.getByTestId("stored-appSecret")).toHaveText(`已保存 ••••${appSecret.slice(-4)}`);
  await expect(card.getByLabel("App Secret")).toHaveValue("");

  const stored = await getPlatformAppForShop(db, shopId);
  expect(stored).toMatchObject({ protocol: "douyin_push", appKey: "7123456789012345678", appSecret, platformShopId, apiBaseUrl: "https://openapi-fxg.jinritemai.com", settings: { returnAddressId: "700001" } });

  await page.reload();
  await expect(card.getByTestId("stored-appSecret")).toHaveText(`已保存 ••••${appSecret.slice(-4)}`);
  expect(await page.content()).not.toContain(appSecret);
  // Saving again with the secret left blank keeps it
  await card.getByLabel(/退货地址 ID/).fill("700002");
  await card.getByRole("button", { name: "保存凭证" }).click();
  await expect(page.getByText(`${shopName} 的平台凭证已保存`).first()).toBeVisible();
  await expect.poll(async () => (await getPlatformAppForShop(db, shopId))?.settings.returnAddressId).toBe("700002");
  expect((await getPlatformAppForShop(db, shopId))?.appSecret).toBe(appSecret);

  await page.screenshot({ path: "test-results/platform-connect-settings.png", fullPage: true });
  // The page itself (a success toast fades on its own and is the toaster's)
  const results = await new AxeBuilder({ page }).include("main").analyze();
  const serious = results.violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical");
  expect(serious.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(" ")).slice(0, 3).join(", ")}`)).toEqual([]);
});

test("agents cannot read or save platform credentials (403, page 404); another merchant's shop is 404; a bad body is 422", async ({ page, playwright }) => {
  const shopId = await createTestShop(`e2e 抖店权限 ${unique().slice(-6)}`, { platform: "douyin" });
  const body = { protocol: "douyin_push", appKey: "7123456789012345678", appSecret: "agent-should-not-save", platformShopId: unique().slice(0, 12) };
  const headers = { origin: baseURL };

  const agent = await playwright.request.newContext({ baseURL });
  await signInApi(agent, logins.wangfang);
  expect((await agent.put(`/api/settings/shops/${shopId}/platform-app`, { data: body, headers })).status()).toBe(403);
  const agentRead = await agent.get(`/api/settings/shops/${shopId}/platform-app`);
  expect([agentRead.status(), (await agentRead.json()).error.code]).toEqual([403, "forbidden"]);
  expect(await getPlatformAppForShop(db, shopId)).toBeNull();
  await agent.dispose();

  const ownerB = await playwright.request.newContext({ baseURL });
  await signInApi(ownerB, logins.ownerB);
  const foreign = await ownerB.put(`/api/settings/shops/${shopId}/platform-app`, { data: body, headers });
  expect([foreign.status(), (await foreign.json()).error.code]).toEqual([404, "not_found"]);
  await ownerB.dispose();

  const owner = await playwright.request.newContext({ baseURL });
  await signInApi(owner, logins.owner);
  const wrongProtocol = await owner.put(`/api/settings/shops/${shopId}/platform-app`, { data: { ...body, protocol: "wechat_ec", appId: "wx0123456789abcdef" }, headers });
  expect(wrongProtocol.status()).toBe(422);
  const badKey = await owner.put(`/api/settings/shops/${shopId}/platform-app`, { data: { ...body, appKey: "not-digits" }, headers });
  expect([badKey.status(), (await badKey.json()).error.issues[0].path]).toEqual([422, "appKey"]);
  const saved = await owner.put(`/api/settings/shops/${shopId}/platform-app`, { data: body, headers });
  expect(saved.status()).toBe(200);
  expect(JSON.stringify(await saved.json())).not.toContain(body.appSecret);
  await owner.dispose();

  await signIn(page, logins.wangfang);
  const settings = await page.goto("/settings");
  expect(settings?.status()).toBe(404);
});

test("a WeChat 小店 push in safe mode shows a 微信小店 card; approving it sends acceptapply to the fake WeChat", async ({ page, request }) => {
  const shopId = await createTestShop(`e2e 微信小店 ${unique().slice(-6)}`, { platform: "wechat" });
  const suffix = unique().slice(-10);
  const app = { token: `e2eToken${suffix}`, aesKey: `abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG`, appId: `wx${suffix.padStart(16, "0")}`, accessToken: `e2e-access-${suffix}` };
  const platform = new FakeWechat(app);
  const { server, baseUrl } = await platform.listen();
  try {
    await upsertPlatformApp(
      db,
      { shopId, protocol: "wechat_ec", appKey: app.appId, appSecret: "e2e-wechat-app-secret", platformShopId: app.appId, apiBaseUrl: baseUrl, accessToken: app.accessToken, settings: { wechatToken: app.token, wechatAesKey: app.aesKey, wechatAppId: app.appId } },
      new Date(),
    );
    const title = `微信小店 四件套 ${suffix}`;
    const afterSaleOrderId = `20${unique()}`.padEnd(19, "0").slice(0, 19);
    const nowS = Math.floor(Date.now() / 1000);
    // Applied two hours ago, so the card is overdue and sorts to the top of the open inbox
    const record = platform.addAftersale({ afterSaleOrderId, title, updateTimeS: nowS - 7200 }, nowS);

    const check = await request.get(`/api/platforms/wechat/push?${platform.buildUrlCheck("e2e-echo")}`);
    expect(await check.text()).toBe("e2e-echo");
    const push = platform.buildPush(record, { isSafeMode: true });
    const bad = await request.post(`/api/platforms/wechat/push?${push.query.replace(/msg_signature=[0-9a-f]+/, `msg_signature=${"0".repeat(40)}`)}`, { data: push.body, headers: { "content-type": "application/json" } });
    expect(bad.status()).toBe(401);
    const stored = await request.post(`/api/platforms/wechat/push?${push.query}`, { data: push.body, headers: { "content-type": "application/json" } });
    expect(await stored.text()).toBe("success");
    // WeChat's retry: the same event, encrypted and signed anew
    const retry = platform.buildPush(record, { isSafeMode: true });
    const retried = await request.post(`/api/platforms/wechat/push?${retry.query}`, { data: retry.body, headers: { "content-type": "application/json" } });
    expect(await retried.text()).toBe("success");
    expect(platform.detailFetches).toEqual([afterSaleOrderId]);
    const [card] = await db.select().from(requests).where(eq(requests.platformRequestId, afterSaleOrderId));
    expect(card).toMatchObject({ shopId, platform: "wechat", kind: "refund_only", amountFen: 12900 });

    await signIn(page, logins.owner);
    await openInbox(page, `?q=${encodeURIComponent(title)}`);
    const article = cardByTitle(page, title);
    await expect(article.getByText("微信小店", { exact: true })).toBeVisible();
    await article.getByRole("button", { name: "同意" }).click();
    await expect(article).toHaveCount(0);
    // After the undo window the outbox answers on the platform
    await expect.poll(() => platform.operations.length, { timeout: 20_000 }).toBe(1);
    expect(platform.operations[0]).toMatchObject({ path: "/channels/ec/aftersale/acceptapply", afterSaleOrderId, accepted: true, body: { after_sale_order_id: afterSaleOrderId } });
  } finally {
    server.close();
  }
});

test("a Douyin arbitration push (212) shows 平台介入中 on the card", async ({ page, request }) => {
  const shopId = await createTestShop(`e2e 抖店介入 ${unique().slice(-6)}`, { platform: "douyin" });
  const app = { appKey: unique().slice(0, 18), appSecret: `e2e-secret-${unique()}`, shopId: unique().slice(0, 10) };
  const platform = new FakeDouyin(app);
  const { server, baseUrl } = await platform.listen();
  try {
    await upsertPlatformApp(db, { shopId, protocol: "douyin_push", appKey: app.appKey, appSecret: app.appSecret, platformShopId: app.shopId, apiBaseUrl: baseUrl, settings: {} }, new Date());
    const title = `抖店介入 牛肉干 ${unique().slice(-6)}`;
    const nowS = Math.floor(Date.now() / 1000);
    const record = platform.addAftersale({ aftersaleId: `73${unique()}`.padEnd(19, "1").slice(0, 19), productName: title, applyTimeS: nowS - 7200, updateTimeS: nowS - 7200 }, nowS);
    const created = platform.buildPush(200, record);
    expect(await (await request.post("/api/platforms/douyin/push", { headers: created.headers, data: created.body })).json()).toEqual({ code: 0, msg: "success" });

    await signIn(page, logins.owner);
    await openInbox(page, `?q=${encodeURIComponent(title)}`);
    const article = cardByTitle(page, title);
    await expect(article).toHaveCount(1);
    await expect(article.getByTestId("intervention-badge")).toHaveCount(0);

    record.updateTimeS += 60;
    const arbitration = platform.buildPush(212, record);
    expect(await (await request.post("/api/platforms/douyin/push", { headers: arbitration.headers, data: arbitration.body })).json()).toEqual({ code: 0, msg: "success" });
    await openInbox(page, `?q=${encodeURIComponent(title)}`);
    await expect(article.getByTestId("intervention-badge")).toHaveText("平台介入中");
    await article.screenshot({ path: "test-results/platform-intervention-card.png" });
  } finally {
    server.close();
  }
});
