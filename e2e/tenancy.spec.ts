import { expect, request as playwrightRequest, test } from "@playwright/test";
import { baseURL, createAgent, logins, seedCard, signIn, signInApi } from "./helpers";

test("another merchant's request is not found, by page and by API, and cannot be decided", async ({ page }) => {
  const card = await seedCard({ shop: "tmall" });
  await signIn(page, logins.ownerB);
  const response = await page.goto(`/requests/${card.id}`);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "找不到该页面或卡片" })).toBeVisible();
  const api = await page.request.get(`/api/requests/${card.id}`);
  expect(api.status()).toBe(404);
  const missing = await page.request.get(`/api/requests/req_00000000000000000000`);
  expect(await api.json()).toEqual({ error: { code: "not_found", message: `No request ${card.id}` } });
  expect(missing.status()).toBe(404);
  const decide = await page.request.post(`/api/requests/${card.id}/decision`, { data: { decision: "approve" }, headers: { origin: baseURL } });
  expect(decide.status()).toBe(404);
  const list = await (await page.request.get("/api/requests?status=all&limit=200")).json();
  expect(list.items.every((item: { platform: string }) => item.platform === "taobao")).toBe(true);
});

test("an agent limited to the Douyin shop cannot open or decide a Tmall card", async ({ page }) => {
  const card = await seedCard({ shop: "tmall" });
  await signIn(page, logins.lilei);
  const response = await page.goto(`/requests/${card.id}`);
  expect(response?.status()).toBe(404);
  const decide = await page.request.post(`/api/requests/${card.id}/decision`, { data: { decision: "approve" }, headers: { origin: baseURL } });
  expect(decide.status()).toBe(404);
  await expect(page.getByRole("link", { name: "团队" })).toHaveCount(0);
  expect((await page.goto("/team"))?.status()).toBe(404);

  const owner = await playwrightRequest.newContext({ baseURL });
  await signInApi(owner, logins.owner);
  expect((await (await owner.get(`/api/requests/${card.id}`)).json()).card.status).toBe("pending");
  await owner.dispose();
});

test("the owner sees the merchant's users and the shops each may work", async ({ page }) => {
  await signIn(page, logins.owner);
  await page.getByRole("link", { name: "团队" }).click();
  const row = page.getByRole("row").filter({ hasText: "李雷" });
  await expect(row).toContainText("木槿鲜生（抖音）");
  await expect(row).not.toContainText("木槿旗舰店（天猫）");
  await expect(page.getByRole("row").filter({ hasText: "周航" })).toHaveCount(0);
});

test("an owner can sign an agent out everywhere; another merchant's owner cannot", async ({ page, browser }) => {
  const member = await createAgent("孙悟净");
  const agentContext = await browser.newContext();
  const agent = await agentContext.newPage();
  await signIn(agent, member.email);
  expect((await agent.request.get("/api/requests?limit=1")).status()).toBe(200);

  const ownerB = await playwrightRequest.newContext({ baseURL });
  await signInApi(ownerB, logins.ownerB);
  const foreign = await ownerB.delete(`/api/team/${member.id}/sessions`, { headers: { origin: baseURL } });
  expect(foreign.status()).toBe(404);
  expect((await agent.request.get("/api/requests?limit=1")).status()).toBe(200);

  await signIn(page, logins.owner);
  await page.getByRole("link", { name: "团队" }).click();
  await page.getByRole("button", { name: "让 孙悟净 在所有设备下线" }).click();
  await expect(page.getByText("孙悟净 已下线（1 个会话）")).toBeVisible();
  expect((await agent.request.get("/api/requests?limit=1")).status()).toBe(401);
  await agent.goto("/inbox");
  await expect(agent).toHaveURL(/\/login$/);
  await ownerB.dispose();
  await agentContext.close();
});
