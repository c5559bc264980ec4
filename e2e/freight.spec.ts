import { expect, test } from "@playwright/test";
import { eq } from "drizzle-orm";
import { openDb } from "@/db/client";
import { createOrder, createRequest } from "@/db/factories";
import { orders, shops } from "@/db/schema";
import { e2eDatabasePath } from "../playwright.config";
import { baseURL, logins, signIn } from "./helpers";

test("the owner opens 退货宝, changes the quote, and the verdict and chart follow", async ({ page }) => {
  await signIn(page, logins.owner);
  await expect(page.getByRole("link", { name: "退货宝" })).toHaveAttribute("href", "/freight");
  await page.goto("/freight");
  await expect(page.getByRole("heading", { name: /退货宝测算/ })).toBeVisible();
  // Other tests may add shops to merchant A: pick the demo Tmall shop by name.
  await page.getByLabel("店铺").selectOption({ label: "木槿旗舰店（天猫）" });
  const verdict = page.getByTestId("freight-verdict");
  // The demo Tmall shop has no quote yet: the verdict uses the estimated premium.
  await expect(verdict).toHaveText(/^按估算保费 ¥\d+\.\d\d\/单/);
  await expect(page.getByText("估", { exact: true }).first()).toBeVisible();
  const chart = page.getByTestId("sensitivity-chart");
  const before = await chart.getAttribute("data-base-premium-fen");

  const quote = page.getByLabel("千牛报价（元/单，可选）");
  await quote.fill("0.50");
  await expect(verdict).toHaveText(/^按当前报价 ¥0\.50\/单，订阅每月约省 ¥[\d,]+$/);
  await expect(chart).toHaveAttribute("data-base-premium-fen", "50");
  await expect(chart.getByText("当前 ¥0.50")).toBeVisible();
  await expect(page.getByTestId("premium")).toHaveText("¥0.50");
  expect(before).not.toBe("50");

  await quote.fill("9");
  await expect(verdict).toHaveText(/^按当前报价 ¥9\.00\/单，订阅每月约多花 ¥[\d,]+，不建议订阅（保本保费 ¥\d+\.\d\d\/单）$/);
  await expect(chart.getByText("当前 ¥9.00")).toBeVisible();
  const savingCell = page.getByRole("table", { name: "敏感性表：每月节省" }).getByRole("row").nth(3).getByRole("cell").nth(2);
  await expect(savingCell).toHaveText(/^-¥/);

  // A changed default can be put back.
  const handling = page.getByLabel("每次理赔的处理成本", { exact: true });
  await handling.fill("2");
  await page.getByRole("button", { name: "恢复默认: 每次理赔的处理成本" }).click();
  await expect(handling).toHaveValue("0");
});

test("the owner saves two scenarios, compares them and exports them as CSV with a BOM", async ({ page }) => {
  await signIn(page, logins.owner);
  await page.goto("/freight");
  const quote = page.getByLabel("千牛报价（元/单，可选）");
  const name = page.getByLabel("方案名称");
  const suffix = Math.random().toString(36).slice(2, 6);
  await quote.fill("1.20");
  await name.fill(`报价1.20-${suffix}`);
  await page.getByRole("button", { name: "保存当前方案" }).click();
  await expect(page.getByText(`报价1.20-${suffix}`)).toBeVisible();
  await quote.fill("3.00");
  await name.fill(`报价3.00-${suffix}`);
  await page.getByRole("button", { name: "保存当前方案" }).click();
  await page.getByRole("checkbox", { name: new RegExp(`报价1.20-${suffix}`) }).check();
  await page.getByRole("checkbox", { name: new RegExp(`报价3.00-${suffix}`) }).check();
  const compare = page.getByRole("table", { name: "方案对比" });
  await expect(compare.getByRole("row").filter({ hasText: "每单保费" })).toContainText("¥1.20");
  await expect(compare.getByRole("row").filter({ hasText: "每单保费" })).toContainText("¥3.00");

  const href = await page.getByRole("link", { name: "导出所选方案表格" }).getAttribute("href");
  const response = await page.request.get(href!);
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toContain("text/csv");
  const bytes = await response.body();
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = bytes.toString("utf8").slice(1).trimEnd().split("\r\n");
  expect(lines[0]).toMatch(/^方案,每月发货单数,/);
  expect(lines.slice(1).map((line) => line.split(",")[0]).sort()).toEqual([`报价1.20-${suffix}`, `报价3.00-${suffix}`]);
});

test("an agent sees the freight on a return card but neither the 退货宝 page (404) nor its API (403)", async ({ page }) => {
  const db = openDb(e2eDatabasePath);
  const [shop] = await db.select().from(shops).where(eq(shops.name, "木槿旗舰店（天猫）"));
  const title = `退货运费测试 ${Math.random().toString(36).slice(2, 8)}`;
  const orderId = await createOrder(db, { shopId: shop.id, platform: "tmall", title, province: "新疆", amountFen: 25_900 });
  await db.update(orders).set({ shippedAt: new Date(Date.now() - 4 * 24 * 60 * 60_000) }).where(eq(orders.id, orderId));
  await createRequest(db, { shopId: shop.id, orderId, platform: "tmall", kind: "return_refund", reasonCode: "size_mismatch", amountFen: 25_900, receivedAt: new Date(Date.now() - 2 * 60 * 60_000) });

  await signIn(page, logins.wangfang);
  // Searched for by its title: among the other specs' return cards it may sit below the list's first screen
  await page.goto(`/inbox?platform=tmall&kind=return_refund&q=${encodeURIComponent(title)}`);
  const card = page.getByRole("article").filter({ hasText: title });
  await expect(card.getByTestId("card-freight")).toHaveText("预计退货运费 ¥18.00（偏远地区）·本店未开通退货宝；开通后赔付 ¥20.00，可全额覆盖");
  await expect(page.getByRole("link", { name: "退货宝" })).toHaveCount(0);

  expect((await page.goto("/freight"))?.status()).toBe(404);
  const api = await page.request.get(`/api/freight/inputs?shop=${shop.id}`);
  expect(api.status()).toBe(403);
  expect(await api.json()).toEqual({ error: { code: "forbidden", message: "Only the shop owner may do this" } });
  const save = await page.request.put(`/api/freight/settings?shop=${shop.id}`, {
    data: { quotedPremiumFen: 1, isFreeReturnPromised: true, isSubscribed: true, overrides: {} },
    headers: { origin: baseURL },
  });
  expect(save.status()).toBe(403);
});
