import { expect, test } from "@playwright/test";
import { and, eq } from "drizzle-orm";
import { openDb } from "@/db/client";
import { createShop } from "@/db/factories";
import { upsertPlatformApp } from "@/db/queries/platforms";
import { auditLog, requests, users } from "@/db/schema";
import { outbox } from "@/db/schema-webhooks";
import { FakeDouyin } from "@/scripts/fake-platforms/douyin";
import { e2eDatabasePath } from "../playwright.config";
import { cardByTitle, createAgent, logins, openInbox, signIn } from "./helpers";

// docs/platforms/refusals.md: when the platform will not take an answer, the card comes back to the agents.
// A 抖店 shop of this test's own (its own app key and shop_id, so platforms.spec's demo shop is left alone),
// connected to a local fake 抖店 that answers /afterSale/operate with a business error.
const db = openDb(e2eDatabasePath);
const suffix = `${Date.now()}`.slice(-6);
const app = { appKey: `71234567890${suffix}99`, appSecret: "e2e-secret-douyin-refusal", shopId: `1099${suffix}` };
const refusal = { code: 50002, msg: "业务处理失败", sub_msg: `售后单已进入平台仲裁，商家暂不可操作 ${suffix}` };

test("a refusal by 抖店 brings the approved card back to 待处理 in another agent's open inbox, with the platform's words", async ({ page, browser, request }) => {
  // Three signed-in browsers and a 5 s undo window: more than the default minute on a busy machine
  test.setTimeout(120_000);
  const platform = new FakeDouyin(app);
  platform.operateRefusal = refusal;
  const { server, baseUrl } = await platform.listen();
  const contextB = await browser.newContext();
  const contextOwner = await browser.newContext();
  try {
    const [owner] = await db.select().from(users).where(eq(users.email, logins.owner));
    const shopId = await createShop(db, { merchantId: owner.merchantId, platform: "douyin", name: `退回测试抖店 ${suffix}` });
    await upsertPlatformApp(
      db,
      { shopId, protocol: "douyin_push", appKey: app.appKey, appSecret: app.appSecret, platformShopId: app.shopId, apiBaseUrl: baseUrl, settings: { defaultCategory: "fresh_food" } },
      new Date(),
    );
    const agentA = await createAgent(`甲${suffix}`, [shopId]);
    const agentB = await createAgent(`乙${suffix}`, [shopId]);

    const nowS = Math.floor(Date.now() / 1000);
    const title = `抖店退回 脐橙 ${suffix}`;
    const aftersaleId = `74${Date.now()}${Math.floor(Math.random() * 1e4)}`.padEnd(19, "7").slice(0, 19);
    const record = platform.addAftersale({ aftersaleId, productName: title, applyTimeS: nowS - 7200, updateTimeS: nowS - 7200 }, nowS);
    const push = platform.buildPush(200, record);
    expect(await (await request.post("/api/platforms/douyin/push", { headers: push.headers, data: push.body })).json()).toEqual({ code: 0, msg: "success" });
    const [card] = await db.select().from(requests).where(eq(requests.platformRequestId, aftersaleId));
    expect(card).toMatchObject({ shopId, status: "pending" });

    // Agent B keeps the inbox open in a second browser; it is never reloaded
    const pageB = await contextB.newPage();
    await signIn(pageB, agentB.email);
    await openInbox(pageB, `?q=${encodeURIComponent(title)}`);
    await expect(pageB.getByTestId("live-status")).toHaveAttribute("data-state", "live");
    const cardB = cardByTitle(pageB, title);
    await expect(cardB).toHaveCount(1);
    await expect(cardB.getByTestId("platform-refusal")).toHaveCount(0);

    // The owner has the desk open somewhere else (all shops)
    const ownerPage = await contextOwner.newPage();
    await signIn(ownerPage, logins.owner);
    await expect(ownerPage.getByTestId("live-status")).toHaveAttribute("data-state", "live");

    // Agent A approves; B sees the card leave 待处理 live
    await signIn(page, agentA.email);
    await openInbox(page, `?q=${encodeURIComponent(title)}`);
    await cardByTitle(page, title).getByRole("button", { name: "同意" }).click();
    const approvedAt = Date.now();
    await expect(cardByTitle(page, title)).toHaveCount(0);
    await expect(cardB).toHaveCount(0);

    // After the 5 s undo window the outbox answers, 抖店 refuses, and the card is back within 10 s more
    await expect(cardB).toHaveCount(1, { timeout: 15_000 });
    expect(Date.now() - approvedAt).toBeLessThan(15_000);
    const notice = cardB.getByTestId("platform-refusal");
    await expect(notice).toContainText("平台未接受");
    await expect(notice).toContainText(refusal.sub_msg);
    await expect(cardB.getByRole("button", { name: "同意" })).toBeEnabled();
    // Everyone connected to the shop is told, A included
    await expect(pageB.locator("[data-sonner-toast]").filter({ hasText: "平台未接受" }).filter({ hasText: refusal.sub_msg })).toHaveCount(1);
    await expect(page.locator("[data-sonner-toast]").filter({ hasText: "平台未接受" })).toHaveCount(1);
    await expect(ownerPage.locator("[data-sonner-toast]").filter({ hasText: "平台未接受" }).filter({ hasText: title })).toHaveCount(1);
    await expect(cardByTitle(page, title)).toHaveCount(1);

    expect(platform.operations).toEqual([expect.objectContaining({ type: 201, aftersaleId, accepted: false })]);
    const [row] = await db.select().from(outbox).where(eq(outbox.requestId, card.id));
    expect(row).toMatchObject({ status: "refused" });
    expect(row.lastError).toContain(refusal.sub_msg);
    const returned = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.requestId, card.id), eq(auditLog.action, "platform_refused")));
    expect(returned).toHaveLength(1);
    expect(returned[0]).toMatchObject({ actorId: null, fromStatus: "approved", toStatus: "pending", detail: expect.objectContaining({ decision: "approve", outboxId: row.id }) });
    expect(String(returned[0].detail?.message)).toContain(refusal.sub_msg);
    const [back] = await db.select().from(requests).where(eq(requests.id, card.id));
    expect(back).toMatchObject({ status: "pending", decision: null, decidedBy: null });
    expect(back.respondBy).toEqual(card.respondBy);
    expect(back.platformRefusal).toContain(refusal.sub_msg);

    // The detail page shows it too, and the history names the return
    await pageB.goto(`/requests/${card.id}`);
    await expect(pageB.getByTestId("platform-refusal")).toContainText(refusal.sub_msg);
    await expect(pageB.getByText("平台未接受答复，退回待处理")).toBeVisible();
  } finally {
    await contextB.close();
    await contextOwner.close();
    server.close();
  }
});
