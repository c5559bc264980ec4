import fs from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { logins, signIn } from "./helpers";

test("owner sees the demo's 30 days, switches range and exports a CSV Excel reads as UTF-8", async ({ page }) => {
  await signIn(page, logins.owner);
  await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "数据" }).click();
  await expect(page.getByRole("heading", { name: "数据看板" })).toBeVisible();
  await expect(page.getByRole("link", { name: "近 30 天" })).toHaveAttribute("aria-current", "page");

  // The demo seeds 30 days of decided history across both of merchant A's shops
  const received = Number((await page.getByTestId("figure-received").locator("dd").first().textContent())?.replaceAll(",", ""));
  expect(received).toBeGreaterThan(1000);
  await expect(page.getByRole("region", { name: "日期" }).getByRole("row")).toHaveCount(30 + 1);
  await expect(page.getByRole("region", { name: "店铺" })).toContainText("木槿旗舰店（天猫）");
  await expect(page.getByRole("region", { name: "店铺" })).not.toContainText("北岸数码");
  await expect(page.getByRole("region", { name: "客服" })).toContainText("赵强");
  await expect(page.getByTestId("figure-returnFreightFen")).toContainText("暂无数据");
  await expect(page.getByTestId("staffing-sentences")).toContainText(/需要 \d+ 人才能保持 ≥ 95/);

  await page.getByRole("link", { name: "近 7 天" }).click();
  await expect(page).toHaveURL(/range=7/);
  await expect(page.getByRole("link", { name: "近 7 天" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByRole("region", { name: "日期" }).getByRole("row")).toHaveCount(7 + 1);
  const weekReceived = Number((await page.getByTestId("figure-received").locator("dd").first().textContent())?.replaceAll(",", ""));
  expect(weekReceived).toBeGreaterThan(0);
  expect(weekReceived).toBeLessThan(received);

  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "导出表格: 店铺" }).click();
  const file = await (await download).path();
  const bytes = fs.readFileSync(file);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = bytes.toString("utf8");
  expect(text).toContain("木槿旗舰店（天猫）");
  expect(text.split("\r\n")[0]).toContain("3分钟响应率-全天(%)");

  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical");
  expect(serious.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(" ")).slice(0, 3).join(", ")}`)).toEqual([]);
});

test("an agent sees their own figures and shop totals, never another agent's", async ({ page }) => {
  await signIn(page, logins.wangfang);
  await page.goto("/metrics");
  await expect(page.getByTestId("own-figures")).toBeVisible();
  const agents = page.getByRole("region", { name: "客服" });
  await expect(agents).toContainText("王芳");
  for (const other of ["赵强", "李雷", "陈静"]) await expect(agents).not.toContainText(other);

  // The API enforces it too: only her row, and nobody else's name or id anywhere in the answer
  const response = await page.request.get("/api/metrics?range=30");
  expect(response.status()).toBe(200);
  const report = await response.json();
  expect(report.breakdowns.agent.map((row: { key: string }) => row.key)).toEqual([report.viewer.userId]);
  const body = JSON.stringify(report);
  for (const other of ["赵强", "李雷", "陈静"]) expect(body).not.toContain(other);
  const csv = await (await page.request.get("/api/metrics/export?table=agent&range=30")).text();
  expect(csv).toContain("王芳");
  for (const other of ["赵强", "李雷", "陈静"]) expect(csv).not.toContain(other);
});

test("a shop of another merchant answers 404, a bad range 400, no session 401", async ({ page, playwright }) => {
  await signIn(page, logins.ownerB);
  const own = await (await page.request.get("/api/metrics")).json();
  const shopB = own.breakdowns.shop[0].key;
  await page.context().clearCookies();
  await signIn(page, logins.owner);
  expect((await page.request.get(`/api/metrics?shop=${shopB}`)).status()).toBe(404);
  expect((await page.request.get("/api/metrics?range=14")).status()).toBe(400);
  expect((await page.request.get("/api/metrics/export?table=nope")).status()).toBe(400);
  const anonymous = await playwright.request.newContext({ baseURL: page.url() });
  expect((await anonymous.get("/api/metrics")).status()).toBe(401);
  await anonymous.dispose();
});
