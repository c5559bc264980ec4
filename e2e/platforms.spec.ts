import { expect, test } from "@playwright/test";
import { eq } from "drizzle-orm";
import { openDb } from "@/db/client";
import { upsertPlatformApp } from "@/db/queries/platforms";
import { requests, users } from "@/db/schema";
import { createShop } from "@/db/factories";
import { outbox } from "@/db/schema-webhooks";
import { FakeDouyin } from "@/scripts/fake-platforms/douyin";
import { e2eDatabasePath } from "../playwright.config";
import { cardByTitle, logins, openInbox, signIn } from "./helpers";

// A 抖店 shop of this test's own, connected as a real 抖店 app to a local fake 抖店 (scripts/fake-platforms). Not the
// demo 木槿鲜生: a connected shop's cards follow its platform's answer table, which other specs do not expect.
const suffix = `${Date.now()}`.slice(-6);
const app = { appKey: `71234567890${suffix}78`, appSecret: "e2e-secret-douyin", shopId: `1043${suffix}` };
const db = openDb(e2eDatabasePath);

test("a signed Douyin push shows a card; approving it makes the fake 抖店 receive /afterSale/operate type 201", async ({ page, request }) => {
  const platform = new FakeDouyin(app);
  const { server, baseUrl } = await platform.listen();
  try {
    const [owner] = await db.select().from(users).where(eq(users.email, logins.owner));
    const shopId = await createShop(db, { merchantId: owner.merchantId, platform: "douyin", name: `推送测试抖店 ${suffix}` });
    await upsertPlatformApp(
      db,
      { shopId, protocol: "douyin_push", appKey: app.appKey, appSecret: app.appSecret, platformShopId: app.shopId, apiBaseUrl: baseUrl, settings: {} },
      new Date(),
    );
    const nowS = Math.floor(Date.now() / 1000);
    const title = `抖店推送 脐橙 ${Math.random().toString(36).slice(2, 8)}`;
    const aftersaleId = `73${Date.now()}${Math.floor(Math.random() * 1e4)}`.padEnd(19, "7").slice(0, 19);
    // Applied two hours ago, so the card is overdue and sorts to the top of the open inbox
    const record = platform.addAftersale({ aftersaleId, productName: title, applyTimeS: nowS - 7200, updateTimeS: nowS - 7200 }, nowS);

    const push = platform.buildPush(200, record);
    const badSign = await request.post("/api/platforms/douyin/push", { headers: { ...push.headers, "event-sign": "0".repeat(32) }, data: push.body });
    expect(badSign.status()).toBe(401);
    expect((await badSign.json()).code).toBe(1);
    const stored = await request.post("/api/platforms/douyin/push", { headers: push.headers, data: push.body });
    expect(await stored.json()).toEqual({ code: 0, msg: "success" });
    const redelivered = await request.post("/api/platforms/douyin/push", { headers: push.headers, data: push.body });
    expect(await redelivered.json()).toEqual({ code: 0, msg: "success" });
    expect(platform.detailFetches).toEqual([aftersaleId]);

    const [card] = await db.select().from(requests).where(eq(requests.platformRequestId, aftersaleId));
    expect(card).toMatchObject({ shopId, kind: "refund_only", amountFen: 3990, reasonCode: "quality_issue" });

    await signIn(page, logins.owner);
    await openInbox(page, `?q=${encodeURIComponent(title)}`);
    const article = cardByTitle(page, title);
    await expect(article).toHaveCount(1);
    await article.getByRole("button", { name: "同意" }).click();
    await expect(article).toHaveCount(0);

    // After the 5 s undo window the outbox answers on the platform
    await expect.poll(() => platform.operations.length, { timeout: 20_000 }).toBe(1);
    expect(platform.operations[0]).toMatchObject({ type: 201, aftersaleId, accepted: true });
    // update_time goes back as the push's version in Unix seconds (an int64 in /afterSale/operate's item)
    expect(platform.operations[0].item).toMatchObject({ aftersale_id: aftersaleId, update_time: nowS - 7200 });
    await expect.poll(async () => (await db.select().from(outbox).where(eq(outbox.requestId, card.id)))[0]?.status).toBe("delivered");
  } finally {
    server.close();
  }
});
