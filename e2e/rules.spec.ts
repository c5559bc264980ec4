import AxeBuilder from "@axe-core/playwright";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { and, eq } from "drizzle-orm";
import { openDb } from "@/db/client";
import { auditLog, requests } from "@/db/schema";
import { dayMs } from "@/lib/time";
import { getSignedHeaders } from "@/lib/webhook/signature";
import { e2eDatabasePath } from "../playwright.config";
import { baseURL, logins, signIn, signInApi, uniqueDigits } from "./helpers";

// The seed's local-only demo connection for 木槿旗舰店（天猫） (db/seed-webhooks.ts)
const shopId = "shop_0000000000000000tma1";
const secret = "local-demo-secret-tmall";
const db = openDb(e2eDatabasePath);

/** A buyer asks to re-open an order that succeeded 100 days ago (eligible: < 2 years, no refund), right now. */
function reopenEvent(title: string) {
  const requestId = uniqueDigits("8");
  const event = {
    id: `evt_rules_${requestId}`,
    type: "request.created",
    occurredAt: new Date().toISOString(),
    data: {
      requestId,
      kind: "entry_reopen",
      order: {
        orderId: uniqueDigits("8"),
        category: "apparel",
        title,
        amountFen: 12_990,
        completedAt: new Date(Date.now() - 100 * dayMs).toISOString(),
        supportedKinds: ["refund_only", "return_refund"],
        priorRefund: "none",
      },
      buyer: { id: "2200987654321", nick: "e2e规则买家" },
      reasonCode: "late_problem",
      claim: "穿了两次开线了",
      evidence: [],
    },
  };
  return { requestId, rawBody: JSON.stringify(event) };
}

async function getTmallRules(context: APIRequestContext) {
  const response = await context.get("/api/rules");
  expect(response.status()).toBe(200);
  const { shops } = (await response.json()) as { shops: { shopId: string; version: number; autoOpenEntry: boolean; rules: unknown[] }[] };
  return shops.find((shop) => shop.shopId === shopId)!;
}

test("owner switches 自动开启售后入口 on; a re-open request posted through the signed webhook is approved by the time its 200 arrives, with the rule in its history", async ({ page }) => {
  await signIn(page, logins.owner);
  await page.goto(`/rules?shop=${shopId}`);
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
  const autoOpen = page.getByRole("switch", { name: /自动开启售后入口/ });
  await expect(autoOpen).not.toBeChecked();
  await autoOpen.check();
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.getByText("规则已保存")).toBeVisible();

  const title = `规则开启入口 ${Math.random().toString(36).slice(2, 8)}`;
  const { requestId, rawBody } = reopenEvent(title);
  const posted = await page.request.post("/api/platforms/tmall/events", {
    headers: { "content-type": "application/json", ...getSignedHeaders(shopId, secret, new Date(), rawBody) },
    data: rawBody,
  });
  expect(posted.status()).toBe(200);
  // Answered in the same transaction that stored it: approved by the time the 200 arrives
  const [card] = await db.select().from(requests).where(eq(requests.platformRequestId, requestId));
  expect(card).toMatchObject({ status: "approved", decision: "approve", decidedBy: null });
  expect(card.decidedAt).not.toBeNull();
  const [ruleRow] = await db.select().from(auditLog).where(and(eq(auditLog.requestId, card.id), eq(auditLog.action, "approved_by_rule")));
  expect(ruleRow).toMatchObject({ actorId: null, detail: { ruleName: "自动开启售后入口" } });

  await page.goto(`/requests/${card.id}`);
  await expect(page.getByText("由规则「自动开启售后入口」自动同意")).toBeVisible();
  await expect(page.getByText("已同意").first()).toBeVisible();

  // Leave the demo shop as it was for other specs
  const current = await getTmallRules(page.request);
  const restored = await page.request.put("/api/rules", {
    data: { shopId, expectedVersion: current.version, ruleSet: { autoOpenEntry: false, rules: current.rules } },
    headers: { origin: baseURL },
  });
  expect(restored.status()).toBe(200);
});

test("owner backtests a draft rule: figures, chart and sample table, with no serious accessibility violations", async ({ page }) => {
  await signIn(page, logins.owner);
  await page.goto(`/rules?shop=${shopId}`);
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
  await page.getByRole("button", { name: "添加规则" }).click();
  await page.getByLabel("申请金额 ≤ (元)").fill("200");
  await page.getByRole("button", { name: "运行回测" }).click();
  const report = page.getByTestId("backtest-report");
  await expect(report).toBeVisible();
  await expect(report.getByTestId("bt-intervention")).toContainText("尚未记录平台介入数据");
  await expect(report.getByRole("figure")).toBeVisible();
  await expect(report.getByRole("table").last()).toBeVisible();
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical")).toEqual([]);
});

test("an agent sees the rules read-only in the UI and gets 403 from the API", async ({ page, playwright }) => {
  await signIn(page, logins.wangfang);
  await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "自动规则" }).click();
  await expect(page).toHaveURL(/\/rules/);
  await expect(page.getByText("只有店长可以修改自动规则")).toBeVisible();
  await expect(page.getByRole("switch", { name: /自动开启售后入口/ })).toBeDisabled();
  await expect(page.getByRole("button", { name: "保存" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "运行回测" })).toHaveCount(0);

  const agent = await playwright.request.newContext({ baseURL });
  await signInApi(agent, logins.wangfang);
  const current = await getTmallRules(agent);
  const put = await agent.put("/api/rules", {
    data: { shopId, expectedVersion: current.version, ruleSet: { autoOpenEntry: true, rules: [] } },
    headers: { origin: baseURL },
  });
  expect(put.status()).toBe(403);
  expect((await put.json()).error.code).toBe("forbidden");
  const backtest = await agent.post("/api/rules/backtest", {
    data: { shopId, windowDays: 30, ruleSet: { autoOpenEntry: true, rules: [] } },
    headers: { origin: baseURL },
  });
  expect(backtest.status()).toBe(403);
  expect((await getTmallRules(agent)).autoOpenEntry).toBe(false);
});
