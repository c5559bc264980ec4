import { expect, test } from "@playwright/test";
import { demoPassword, logins, signIn } from "./helpers";

test("a logged-out visitor is sent to the login page, and API calls get 401 JSON", async ({ page, request }) => {
  await page.goto("/inbox");
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole("heading", { name: "登录售后台" })).toBeVisible();
  const response = await request.get("/api/requests");
  expect(response.status()).toBe(401);
  expect(await response.json()).toEqual({ error: { code: "unauthenticated", message: "Sign in first" } });
});

test("a wrong password and an unknown email get the same message", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("邮箱").fill(logins.zhaoqiang);
  await page.getByLabel("密码").fill("wrong-password");
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.locator("form").getByRole("alert")).toHaveText("邮箱或密码不正确");
  await page.getByLabel("邮箱").fill("nobody@nowhere.demo");
  await page.getByLabel("密码").fill(demoPassword);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.locator("form").getByRole("alert")).toHaveText("邮箱或密码不正确");
});

test("sign in, switch to English and back, sign out", async ({ page }) => {
  await signIn(page, logins.wangfang);
  await expect(page.getByTestId("current-user")).toHaveText("王芳 · 客服");
  await expect(page.getByRole("heading", { name: "售后卡片" })).toBeVisible();
  await page.getByRole("button", { name: "切换语言" }).click();
  await expect(page.getByRole("heading", { name: "Requests" })).toBeVisible();
  await expect(page.getByRole("tab", { name: "Pending" })).toBeVisible();
  await page.reload();
  await expect(page.getByRole("heading", { name: "Requests" })).toBeVisible();
  await page.getByRole("button", { name: "Switch language" }).click();
  await expect(page.getByRole("heading", { name: "售后卡片" })).toBeVisible();
  await page.getByRole("button", { name: "退出登录" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto("/inbox");
  await expect(page).toHaveURL(/\/login$/);
});

test("repeated failures for one account are slowed down, whether or not the account exists", async ({ page }) => {
  await page.goto("/login");
  const alert = page.locator("form").getByRole("alert");
  // Five failures lock the account (the fifth starts the lock): the sixth try is refused
  for (let attempt = 1; attempt <= 5; attempt++) {
    await page.getByLabel("邮箱").fill("ghost@nowhere.demo");
    await page.getByLabel("密码").fill(`guess-${attempt}`);
    await page.getByRole("button", { name: "登录" }).click();
    await expect(alert).toHaveText("邮箱或密码不正确");
    await expect(page.getByRole("button", { name: "登录" })).toBeEnabled();
  }
  await page.getByRole("button", { name: "登录" }).click();
  await expect(alert).toHaveText("失败次数过多，请稍后再试");
});
