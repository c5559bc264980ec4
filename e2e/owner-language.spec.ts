import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { hashPassword } from "better-auth/crypto";
import { eq, inArray } from "drizzle-orm";
import { openDb, transact } from "@/db/client";
import { buildOrder, buildRequest, createMerchant, createShop, createUser } from "@/db/factories";
import { applyRollupChange } from "@/db/queries/metrics/upkeep";
import { accounts, orders, requests, shops } from "@/db/schema";
import { outbox } from "@/db/schema-webhooks";
import type { Platform } from "@/lib/domain";
import { allowedEverywhere, findForeignWords, platformConsoleTerms } from "@/lib/i18n/owner-language";
import { newId } from "@/lib/ids";
import { dayMs, hourMs } from "@/lib/time";
import { e2eDatabasePath } from "../playwright.config";
import { baseURL, demoPassword, signIn } from "./helpers";

// The owner pages in the merchant's language (issue "the desk in an owner's eyes"). A merchant of its own,
// with Chinese shop names, titles and buyers, so other specs' test data (random Latin suffixes) never shows
// up here: every Latin word found is the page's own. Each page's content (<main>, and any dialog open) is
// read as a screen reader would: visible text, sr-only text, aria-label, title, placeholder and alt, with
// <details> opened. Identifiers shown as code (<code>, <kbd>) and the merchant's own data ([data-user-text])
// are not the page's words.

const db = openDb(e2eDatabasePath);

type Seeded = { email: string; shopIds: Record<"tmall" | "douyin", string>; reopenOrder: { id: string; title: string } };

let seeded: Seeded;

async function seedMerchant(): Promise<Seeded> {
  const merchantId = await createMerchant(db, "语言检查商行");
  const shopIds = {
    tmall: await createShop(db, { merchantId, platform: "tmall", name: "语言检查天猫店" }),
    douyin: await createShop(db, { merchantId, platform: "douyin", name: "语言检查抖音店" }),
  };
  await db.update(shops).set({ shipFromProvince: "浙江" }).where(inArray(shops.id, Object.values(shopIds)));
  const email = `yuyan-${newId("usr").slice(4)}@yuyan.demo`;
  const ownerId = await createUser(db, { merchantId, name: "钱多多", email, role: "owner" });
  await db.insert(accounts).values({ id: newId("usr"), accountId: ownerId, providerId: "credential", userId: ownerId, password: await hashPassword(demoPassword) });

  const goods: Record<"tmall" | "douyin", { title: string; category: string }[]> = {
    tmall: [
      { title: "语言检查 羊毛大衣 驼色", category: "apparel" },
      { title: "语言检查 真丝衬衫 白色", category: "apparel" },
    ],
    douyin: [
      { title: "语言检查 赣南脐橙 五斤装", category: "fresh_food" },
      { title: "语言检查 每日坚果 礼盒", category: "food" },
    ],
  };
  const now = Date.now();
  let firstDecided: { requestId: string; shopId: string } | null = null;
  // Platform request numbers are digits, as the platforms' are (the deliveries table shows them)
  let platformRequestNumber = 2_600_000_000_000 + Math.floor(Math.random() * 1e9) * 1000;
  // Two weeks of cards answered by the owner (two of tomorrow's weekday: a staffing forecast), one rejected a day
  for (let daysBack = 1; daysBack <= 14; daysBack++) {
    for (const platform of ["tmall", "douyin"] as const) {
      for (let index = 0; index < 4; index++) {
        const good = goods[platform][index % 2];
        const receivedAt = new Date(now - daysBack * dayMs - (2 + index) * hourMs);
        // 40 to 130 s a card: every one within 3 minutes, so the staffing forecast can reach its target
        const decidedAt = new Date(receivedAt.getTime() + (40 + index * 30) * 1000);
        const isRejected = index === 3;
        const order = buildOrder({ shopId: shopIds[platform], platform, title: good.title, category: good.category, amountFen: 19_900, buyerNick: "语言检查买家", province: "江苏", completedAt: new Date(receivedAt.getTime() - 3 * dayMs) });
        platformRequestNumber += 1;
        const request = buildRequest({ shopId: shopIds[platform], orderId: order.id, platform, kind: "refund_only", reasonCode: "quality_issue", claim: "收到就坏了", amountFen: 19_900, receivedAt, platformRequestId: String(platformRequestNumber) });
        const decided = {
          status: isRejected ? ("rejected" as const) : ("approved" as const),
          decision: isRejected ? ("reject" as const) : ("approve" as const),
          decidedAt,
          decidedBy: ownerId,
          rejectReasonCode: isRejected ? "no_quality_issue" : null,
          rejectMessage: isRejected ? "商品无质量问题" : null,
        };
        await transact(db, async (tx) => {
          tx.insert(orders).values({ ...order, shippedAt: new Date(receivedAt.getTime() - 5 * dayMs) }).run();
          tx.insert(requests).values({ ...request, ...decided }).run();
          await applyRollupChange(tx, null, { shopId: shopIds[platform], platform: platform as Platform, kind: "refund_only", receivedAt, amountFen: 19_900, rejectEvidenceCount: 0, ...decided });
        });
        firstDecided ??= { requestId: request.id, shopId: shopIds[platform] };
      }
    }
  }
  // A delivery that never got through, as the outbox keeps it: the settings page must say it in words
  await db.insert(outbox).values({
    shopId: firstDecided!.shopId,
    requestId: firstDecided!.requestId,
    idempotencyKey: newId("req"),
    payload: "{}",
    status: "dead",
    attempts: 12,
    nextAttemptAt: new Date(now),
    lastError: "TypeError: fetch failed",
    lastAttemptAt: new Date(now),
  });
  // An order whose after-sales entry may be opened (交易成功 100 days ago, no refund)
  const reopen = buildOrder({ shopId: shopIds.tmall, platform: "tmall", title: "语言检查 针织开衫 燕麦色", category: "apparel", amountFen: 19_900, buyerNick: "语言检查买家", completedAt: new Date(now - 100 * dayMs), priorRefund: "none" });
  await db.insert(orders).values(reopen);
  return { email, shopIds, reopenOrder: { id: reopen.id, title: reopen.title! } };
}

test.beforeAll(async () => {
  seeded = await seedMerchant();
});

/** Every word the page's content shows or announces, with the merchant's own data and code left out. */
async function readPageWords(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    for (const details of document.querySelectorAll("details")) details.open = true;
    const roots = [...document.querySelectorAll("main, [role=dialog], [role=alertdialog]")];
    const isSkipped = (element: Element) => Boolean(element.closest("code, kbd, script, style, [data-user-text], [aria-hidden=true]"));
    const isRendered = (element: Element) => element.getClientRects().length > 0;
    const words: string[] = [];
    for (const root of roots) {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const parent = node.parentElement;
        const text = node.textContent?.trim();
        if (!parent || !text || isSkipped(parent) || !isRendered(parent)) continue;
        words.push(text);
      }
      for (const element of root.querySelectorAll("[aria-label], [title], [placeholder], [alt]")) {
        if (isSkipped(element)) continue;
        for (const name of ["aria-label", "title", "placeholder", "alt"]) {
          const value = element.getAttribute(name)?.trim();
          if (value) words.push(value);
        }
      }
    }
    return words;
  });
}

async function expectChineseOnly(page: Page, where: string, allowed: readonly string[] = allowedEverywhere) {
  const words = await readPageWords(page);
  expect(words.length, `${where}: read nothing`).toBeGreaterThan(3);
  const foreign = words.flatMap((text) => findForeignWords(text, allowed).map((word) => `${word}  ←  ${text.slice(0, 80)}`));
  expect(foreign, where).toEqual([]);
}

async function open(page: Page, path: string) {
  await page.goto(path);
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
}

test("every owner page speaks Chinese in zh-CN: no English, file names, settings or symbols", async ({ page }) => {
  await signIn(page, seeded.email);
  for (const path of ["/metrics", "/metrics?range=7", "/team"]) {
    await open(page, path);
    await expectChineseOnly(page, path);
  }

  await open(page, "/metrics?range=custom&from=2026-11-10&to=2026-11-01");
  await expect(page.getByTestId("range-problem")).toBeVisible();
  await expectChineseOnly(page, "metrics with a refused range");

  await open(page, `/freight?shop=${seeded.shopIds.tmall}`);
  await expect(page.getByTestId("freight-verdict")).toBeVisible();
  await expectChineseOnly(page, "/freight");

  await open(page, `/rules?shop=${seeded.shopIds.tmall}`);
  await page.getByRole("button", { name: "添加规则" }).click();
  await page.getByLabel("名称").first().fill("");
  // A problem with a rule is said per rule and field, never as a path and a schema message
  await expect(page.getByRole("alert").filter({ hasText: "第 1 条规则：请填写名称" })).toBeVisible();
  await expectChineseOnly(page, "/rules with a problem");
  await page.getByLabel("名称").first().fill("小额仅退款");
  await page.getByRole("button", { name: "运行回测" }).click();
  await expect(page.getByTestId("backtest-report")).toBeVisible();
  await expectChineseOnly(page, "/rules with a backtest");
  page.once("dialog", (dialog) => dialog.accept());

  await open(page, `/orders?q=${encodeURIComponent(seeded.reopenOrder.title)}`);
  await page.getByRole("row").filter({ hasText: seeded.reopenOrder.title }).getByRole("button", { name: "开启售后入口" }).click();
  await expect(page.getByRole("dialog")).toBeVisible();
  await expectChineseOnly(page, "/orders with the confirmation open");
  await page.getByRole("button", { name: "取消" }).click();

  await open(page, "/settings");
  // The outbox's "TypeError: fetch failed" reads as a sentence
  await expect(page.getByTestId("delivery-row").first()).toContainText("连不上对方的接收地址");
  // "default" is the TMC group's own name in Taobao's console, offered as the field's example
  await expectChineseOnly(page, "/settings", [...allowedEverywhere, ...platformConsoleTerms, "default"]);
});

test("staffing gives one figure per hour: the sentences, the hour table and the CSV agree", async ({ page }) => {
  await signIn(page, seeded.email);
  await open(page, "/metrics?agents=1&target=0.9");
  await page.getByText("每小时明细").click();
  const table = page.getByTestId("staffing-hours");
  await expect(table.getByRole("row")).toHaveCount(25);
  const needed = new Map<string, string>();
  for (const row of await table.getByRole("row").all()) {
    const cells = await row.locator("th, td").allTextContents();
    if (/^\d\d:00$/.test(cells[0])) needed.set(cells[0], cells[2]);
  }
  // Each sentence "HH:00–HH:00 需要 N 人…" covers hours whose own figure is N
  for (const sentence of await page.getByTestId("staffing-sentences").getByRole("listitem").allTextContents()) {
    const match = /^(\d\d):00–(\d\d):00 需要 (\d+) 人/.exec(sentence);
    if (!match) continue;
    for (let hour = Number(match[1]); hour < Number(match[2]); hour++) expect(needed.get(`${String(hour).padStart(2, "0")}:00`), sentence).toBe(match[3]);
  }
  const href = await page.getByRole("link", { name: /导出表格: 明日排班预测/ }).getAttribute("href");
  const csv = (await (await page.request.get(href!)).text()).replace(/^\uFEFF/, "");
  const rows = csv.trim().split("\r\n").slice(1).map((line) => line.split(","));
  expect(rows).toHaveLength(24);
  for (const [clock, , agents] of rows) expect(agents, clock).toBe(needed.get(clock));
  // The on-shift line lists exactly the hours the table marks as needing more than one person
  const onShift = await page.getByTestId("staffing-on-shift").textContent();
  const short = [...needed.entries()].filter(([, agents]) => agents === "达不到" || Number(agents) > 1);
  if (short.length === 0) expect(onShift).toContain("每个时段都能达到");
  else for (const [clock] of short) expect(onShift).toMatch(new RegExp(`${clock.slice(0, 2)}:00|–${clock.slice(0, 2)}`));
});

test("a from-after-to range is refused in words and keeps the owner's days in the form", async ({ page }) => {
  await signIn(page, seeded.email);
  await open(page, "/metrics?range=custom&from=2026-11-10&to=2026-11-01");
  await expect(page.getByTestId("range-problem")).toHaveText("结束日期早于开始日期，请重新选择。 下面显示的是近 30 天的数据。");
  await expect(page.getByLabel("从", { exact: true })).toHaveValue("2026-11-10");
  await expect(page.getByLabel("到", { exact: true })).toHaveValue("2026-11-01");
  // "较上期" says which period and how many cards it had
  await expect(page.getByTestId("metrics-range")).toContainText(/对比的是 \d{4}-\d\d-\d\d 至 \d{4}-\d\d-\d\d(（截至 \d\d:\d\d）)?，时长相同，上期共收到 \d+ 张卡片/);
});

test("opening an order's after-sales entry asks first; cancelling leaves it closed", async ({ page }) => {
  await signIn(page, seeded.email);
  await open(page, `/orders?q=${encodeURIComponent(seeded.reopenOrder.title)}`);
  const row = page.getByRole("row").filter({ hasText: seeded.reopenOrder.title });
  await row.getByRole("button", { name: "开启售后入口" }).click();
  const dialog = page.getByRole("dialog", { name: "开启售后入口？" });
  await expect(dialog).toContainText("30 天后自动关闭");
  await dialog.getByRole("button", { name: "取消" }).click();
  await expect(dialog).toHaveCount(0);
  await expect(row).toContainText("未开启");
  const [order] = await db.select().from(orders).where(eq(orders.id, seeded.reopenOrder.id));
  expect(order.entryOpenedAt).toBeNull();

  await row.getByRole("button", { name: "开启售后入口" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "确认开启" }).click();
  await expect(row).toContainText("已开启，至");
});

test("leaving the rules page with unsaved changes asks first, by link and by closing the tab", async ({ page }) => {
  await signIn(page, seeded.email);
  await open(page, `/rules?shop=${seeded.shopIds.douyin}`);
  await page.getByRole("button", { name: "添加规则" }).click();
  await expect(page.getByText("有未保存的修改")).toBeVisible();

  const asked: string[] = [];
  page.once("dialog", (dialog) => {
    asked.push(dialog.message());
    void dialog.dismiss();
  });
  await page.locator('a[href="/metrics"]').first().dispatchEvent("click");
  await expect.poll(() => asked.length).toBe(1);
  expect(asked[0]).toContain("未保存的修改");
  await expect(page).toHaveURL(/\/rules/);

  page.once("dialog", (dialog) => void dialog.accept());
  await page.locator('a[href="/metrics"]').first().dispatchEvent("click");
  await expect(page).toHaveURL(/\/metrics/);

  // Closing the tab with unsaved edits: the browser's own question
  await open(page, `/rules?shop=${seeded.shopIds.douyin}`);
  await page.getByRole("button", { name: "添加规则" }).click();
  const beforeUnload = new Promise<string>((resolve) => page.once("dialog", async (dialog) => {
    const type = dialog.type();
    // Answered before the test goes on, so the context's teardown never meets a dialog still open
    await dialog.dismiss();
    resolve(type);
  }));
  await page.close({ runBeforeUnload: true });
  expect(await beforeUnload).toBe("beforeunload");
  // Dismissed, the tab stays open: close it for good, without asking again
  await page.close();
});

for (const locale of ["zh-CN", "en"] as const) {
  test(`owner pages have no serious accessibility violations, scroll regions included (${locale})`, async ({ page, context }) => {
    // Four pages through axe: more than the default minute on a busy machine
    test.setTimeout(150_000);
    await signIn(page, seeded.email);
    await context.addCookies([{ name: "locale", value: locale, url: baseURL }]);
    for (const path of ["/metrics", `/freight?shop=${seeded.shopIds.tmall}`, `/rules?shop=${seeded.shopIds.tmall}`, "/orders"]) {
      await open(page, path);
      const results = await new AxeBuilder({ page }).include("main").analyze();
      const serious = results.violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical");
      expect(serious.map((violation) => `${path} ${violation.id}: ${violation.nodes.map((node) => node.target.join(" ")).slice(0, 3).join(", ")}`)).toEqual([]);
    }
    // The metrics tables scroll by keyboard: each scrolling region takes focus
    await open(page, "/metrics");
    const regions = page.locator("main [role=group][tabindex='0']");
    expect(await regions.count()).toBeGreaterThan(0);
    await regions.first().focus();
    await expect(regions.first()).toBeFocused();
  });
}
