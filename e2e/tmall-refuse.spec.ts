import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { eq } from "drizzle-orm";
import sharp from "sharp";
import { openDb } from "@/db/client";
import { createShop } from "@/db/factories";
import { getPlatformAppForShop, upsertPlatformApp } from "@/db/queries/platforms";
import { orders, requests, users } from "@/db/schema";
import { consumeOnce } from "@/app/_server/platforms/tmc-consumer";
import { FakeTaobao, sniffImage } from "@/scripts/fake-platforms/taobao";
import { e2eDatabasePath } from "../playwright.config";
import { cardByTitle, logins, openInbox, signIn } from "./helpers";

// docs/platforms/answer-table.md: a Tmall 仅退款 on a shipped, received order is refused from the desk with one of
// Tmall's own reasons, a message and an 800 kB photo, which reaches the fake TOP router as taobao.refund.refuse
// with refuse_proof ≤ 130,000 bytes. A Tmall shop of this test's own, so other specs' demo shops are left alone.
const db = openDb(e2eDatabasePath);
const suffix = `${Date.now()}`.slice(-6);

/** A noisy 1200×900 PNG: noise does not compress, so it is a phone photo's size (> 800 kB). */
async function makePhoto(): Promise<Buffer> {
  return sharp({ create: { width: 1200, height: 900, channels: 3, background: "#808080", noise: { type: "gaussian", mean: 128, sigma: 60 } } })
    .png()
    .toBuffer();
}

test("a shipped and received Tmall 仅退款 is refused with Tmall's reason, a message and a shrunk proof", async ({ page }) => {
  const top = new FakeTaobao({ appKey: `2345${suffix}`, appSecret: "e2e-secret-tmall", sellerNick: `木槿测试天猫${suffix}`, isTmall: true });
  // The desk's outbox reaches the fake over HTTP, as it would TOP
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => response.writeHead(200, { "content-type": "application/json" }).end(top.handle(request.headers["content-type"] ?? "", new Uint8Array(Buffer.concat(chunks)))));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/router/rest`;
  try {
    const [owner] = await db.select().from(users).where(eq(users.email, logins.owner));
    const shopId = await createShop(db, { merchantId: owner.merchantId, platform: "tmall", name: `拒绝测试天猫店 ${suffix}` });
    const app = { appKey: top.app.appKey, appSecret: top.app.appSecret, platformShopId: top.app.sellerNick, accessToken: top.session };
    await upsertPlatformApp(db, { shopId, protocol: "taobao_tmc", ...app, apiBaseUrl: baseUrl, consumerEnabled: true, settings: { isTmall: true } }, new Date());

    // The buyer asks for a refund only on an order shipped two days ago and signed for (交易成功)
    const title = `天猫拒绝 羊毛围巾 ${suffix}`;
    const refundId = `2315${Date.now()}`.padEnd(18, "3").slice(0, 18);
    const refund = top.addRefund({ refundId, title, disputeType: "REFUND" });
    const trade = top.trades.get(refund.tid)!;
    trade.status = "TRADE_FINISHED";
    trade.endTime = "2026-11-19 20:00:00";
    for (const line of trade.orders) Object.assign(line, { status: "TRADE_FINISHED", endTime: "2026-11-19 20:00:00" });
    top.publish("taobao_refund_RefundCreated", refundId);
    // One TMC round as the consumer runs it, against the fake's own router
    const target = { app: (await getPlatformAppForShop(db, shopId))!, shop: { id: shopId, platform: "tmall" as const, merchantId: owner.merchantId } };
    expect(await consumeOnce(db, target, { fetch: top.fetch, now: () => new Date(), timeoutMs: 5_000 })).toMatchObject({ stored: 1, failed: 0 });
    const [card] = await db.select().from(requests).where(eq(requests.platformRequestId, refundId));
    const [order] = await db.select().from(orders).where(eq(orders.id, card.orderId));
    expect(order.shippedAt).not.toBeNull();
    expect(order.unknownFacts).not.toContain("shipped");

    await signIn(page, logins.owner);
    await openInbox(page, `?q=${refundId}`);
    const article = cardByTitle(page, title);
    await expect(article).toHaveCount(1);
    await expect(article.getByText(refundId)).toBeVisible();
    await article.getByRole("button", { name: "拒绝" }).click();
    const dialog = page.getByRole("dialog");
    await expect(dialog.getByText("拒绝原因来自平台")).toBeVisible();
    await dialog.getByRole("combobox").selectOption({ label: "买家已使用商品，影响二次销售（需凭证）" });
    await expect(dialog.getByText("请上传商品使用痕迹的照片")).toBeVisible();
    await dialog.getByRole("textbox").fill("商品已拆封使用，吊牌已剪，影响二次销售");
    const photo = await makePhoto();
    expect(photo.byteLength).toBeGreaterThan(800_000);
    await dialog.locator('input[type="file"]').setInputFiles({ name: "使用痕迹.png", mimeType: "image/png", buffer: photo });
    await expect(dialog.getByRole("link", { name: "使用痕迹.png" })).toBeVisible();
    // Tmall's refuse API takes one proof image: the dialog says so instead of taking a second one it would drop
    await expect(dialog.getByText("已达上限：天猫每次拒绝只接收 1 张凭证图片")).toBeVisible();
    await page.screenshot({ path: "test-results/tmall-refuse-dialog.png" });
    await dialog.getByRole("button", { name: "确认拒绝" }).click();
    await expect(article).toHaveCount(0);

    // After the 5 s undo window the outbox answers on Tmall
    await expect.poll(() => top.calls.filter((call) => call.method === "taobao.refund.refuse").length, { timeout: 30_000 }).toBe(1);
    const refuse = top.calls.find((call) => call.method === "taobao.refund.refuse")!;
    expect(refuse).toMatchObject({ accepted: true, hasProof: true, params: { refund_id: refundId, refuse_reason_id: "4001", refuse_message: "商品已拆封使用，吊牌已剪，影响二次销售" } });
    expect(refuse.proof!.bytes.byteLength).toBeLessThanOrEqual(130_000);
    expect(sniffImage(refuse.proof!.bytes)).toBe("jpeg");
    expect(top.calls.some((call) => call.method.includes("agree"))).toBe(false);

    // The card's page names the reason in Tmall's own words, kept with the rejection, not by its bare id
    await page.goto(`/requests/${card.id}`);
    await expect(page.getByText("买家已使用商品，影响二次销售", { exact: true })).toBeVisible();
    await expect(page.getByText("4001", { exact: true })).toHaveCount(0);
  } finally {
    server.close();
  }
});
