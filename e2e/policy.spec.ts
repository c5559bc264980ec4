import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { eq } from "drizzle-orm";
import { openDb, type Db, transact } from "@/db/client";
import { buildOrder, createRequest } from "@/db/factories";
import { recordProposal } from "@/db/queries/proposals";
import { orders, shops } from "@/db/schema";
import type { Platform, RequestKind } from "@/lib/domain";
import { dayMs } from "@/lib/time";
import { e2eDatabasePath } from "../playwright.config";
import { baseURL, cardByTitle, logins, onePixelPng, openInbox, signIn, signInApi } from "./helpers";

// The platform rules the desk enforces (docs/domain/README.md: rejections, negotiation, the after-sales entry), end to
// end: each test makes its own order and card, as a platform push would.


let db: Db | null = null;
function getDb(): Db {
  db ??= openDb(e2eDatabasePath);
  return db;
}

const shopNames = { tmall: "木槿旗舰店（天猫）", douyin: "木槿鲜生（抖音）" } as const;

async function seedPolicyCard(options: {
  shop: keyof typeof shopNames;
  kind: RequestKind;
  order?: Partial<typeof orders.$inferInsert>;
  amountFen?: number;
}) {
  const database = getDb();
  const [shop] = await database.select().from(shops).where(eq(shops.name, shopNames[options.shop]));
  const title = `规则测试 ${Math.random().toString(36).slice(2, 8)}`;
  const now = Date.now();
  const order = {
    ...buildOrder({ shopId: shop.id, platform: shop.platform as Platform, title, category: "food", amountFen: 8800, buyerNick: "e2e测试买家" }),
    shippedAt: new Date(now - 4 * dayMs),
    receivedAt: new Date(now - 2 * dayMs),
    ...options.order,
  };
  await database.insert(orders).values(order);
  const id = await createRequest(database, {
    shopId: shop.id,
    orderId: order.id,
    platform: shop.platform as Platform,
    kind: options.kind,
    reasonCode: options.kind === "entry_reopen" ? "late_problem" : "quality_issue",
    claim: "请处理",
    amountFen: options.amountFen ?? (options.kind === "entry_reopen" ? 0 : 8800),
    // Two hours ago: overdue, so it sorts to the top of the pending list
    receivedAt: new Date(now - 2 * 60 * 60_000),
  });
  return { id, title, shopId: shop.id, orderId: order.id };
}

test("approving a re-open card opens the entry, and the Orders page shows it", async ({ page }) => {
  const card = await seedPolicyCard({
    shop: "tmall",
    kind: "entry_reopen",
    order: { category: "apparel", completedAt: new Date(Date.now() - 200 * dayMs), entryTimesOpened: 1 },
  });
  await signIn(page, logins.wangfang);
  await openInbox(page, `?q=${encodeURIComponent(card.title)}`);
  const article = cardByTitle(page, card.title);
  await expect(article.getByTestId("card-policy")).toContainText(/售后期至 \d{4}-\d\d-\d\d/);
  await article.getByRole("button", { name: "同意" }).click();
  await expect(article).toHaveCount(0);

  await page.getByRole("link", { name: "订单", exact: true }).click();
  await page.getByLabel("搜索订单").fill(card.title);
  await page.getByRole("button", { name: "搜索" }).click();
  const row = page.getByRole("row").filter({ hasText: card.title });
  const openUntil = new Date(Date.now() + 30 * dayMs).toLocaleDateString("sv-SE", { timeZone: "Asia/Shanghai" });
  await expect(row).toContainText(`已开启，至 ${openUntil}`);
  await expect(row.getByRole("cell").nth(4)).toHaveText("2");
  // Open now, so opening again is disabled with the reason, and the server refuses it the same way
  await expect(row.getByRole("button", { name: "开启售后入口" })).toBeDisabled();
  await expect(row).toContainText(`售后入口已开启，至 ${openUntil}`);
  const axe = await new AxeBuilder({ page }).include("main").analyze();
  expect(axe.violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical").map((violation) => violation.id)).toEqual([]);
  const again = await page.request.post(`/api/orders/${card.orderId}/entry`, { headers: { origin: baseURL } });
  expect(again.status()).toBe(403);
});

test("a re-open card for an order whose refund succeeded cannot be approved, and the server says why", async ({ page }) => {
  const card = await seedPolicyCard({
    shop: "tmall",
    kind: "entry_reopen",
    order: { category: "apparel", completedAt: new Date(Date.now() - 90 * dayMs), priorRefund: "succeeded" },
  });
  await signIn(page, logins.owner);
  await openInbox(page, `?q=${encodeURIComponent(card.title)}`);
  const article = cardByTitle(page, card.title);
  await expect(article.getByRole("button", { name: "同意" })).toBeDisabled();
  await expect(article).toContainText("该订单曾有售后退款成功，不可开启");
  const forged = await page.request.post(`/api/requests/${card.id}/decision`, { data: { decision: "approve" }, headers: { origin: baseURL } });
  expect(forged.status()).toBe(422);
  expect((await forged.json()).error).toMatchObject({ code: "not_eligible", reason: "prior_refund" });
  const orderPage = await page.request.post(`/api/orders/${card.orderId}/entry`, { headers: { origin: baseURL } });
  expect(orderPage.status()).toBe(422);
  expect((await orderPage.json()).error).toMatchObject({ code: "not_eligible", reason: "prior_refund" });
});

test("a Douyin card under a valid proposal has 拒绝 disabled, and a forged API reject gets 409", async ({ page }) => {
  const card = await seedPolicyCard({ shop: "douyin", kind: "refund_only" });
  const proposedAt = new Date(Date.now() - 17 * 60_000 - 50_000);
  // IMMEDIATE: this test process writes beside the server; a deferred read-then-write transaction would
  // fail with SQLITE_BUSY (snapshot) if the server committed in between, without waiting.
  await transact(getDb(), async (tx) => recordProposal(tx, { shopId: card.shopId, requestId: card.id, platformProposalId: `e2e-${card.id}`, proposedAt, expiresAt: null, now: proposedAt }));
  await signIn(page, logins.lilei);
  await openInbox(page, `?q=${encodeURIComponent(card.title)}`);
  const article = cardByTitle(page, card.title);
  await expect(article.getByTestId("proposal-banner")).toHaveText(/平台协商中：建议买家改为退货退款（退货运费由商家承担）· 剩余 11:4\d:\d\d/);
  await expect(article.getByRole("button", { name: "拒绝" })).toBeDisabled();
  await expect(article.getByRole("button", { name: "还价" })).toBeDisabled();
  await expect(article.getByTestId("action-reasons")).toContainText("平台协商中，仅可同意原申请");
  await expect(article.getByRole("button", { name: "同意" })).toBeEnabled();

  const forged = await page.request.post(`/api/requests/${card.id}/decision`, {
    data: { decision: "reject", reasonCode: "past_period", message: "已超出售后期限" },
    headers: { origin: baseURL },
  });
  expect(forged.status()).toBe(409);
  expect((await forged.json()).error).toMatchObject({ code: "negotiation_lock", until: new Date(proposedAt.getTime() + 12 * 60 * 60_000).toISOString() });
  const counter = await page.request.post(`/api/requests/${card.id}/counter-offer`, { data: { kind: "partial_refund", amountFen: 4000 }, headers: { origin: baseURL } });
  expect(counter.status()).toBe(409);
  expect((await (await page.request.get(`/api/requests/${card.id}`)).json()).card.status).toBe("pending");
});

test("a Tmall rejection without proof cannot be sent; with an uploaded image it goes through", async ({ page }) => {
  const card = await seedPolicyCard({ shop: "tmall", kind: "return_refund", order: { category: "apparel" } });
  await signIn(page, logins.wangfang);
  await openInbox(page, `?q=${encodeURIComponent(card.title)}`);
  const article = cardByTitle(page, card.title);
  await article.getByRole("button", { name: "拒绝" }).click();
  const dialog = page.getByRole("dialog", { name: "拒绝申请" });
  await dialog.getByLabel("拒绝原因").selectOption({ label: "已超出售后期限" });
  await dialog.getByLabel("拒绝说明").fill("已超出售后期限，无法退货");
  const checklist = dialog.getByRole("list", { name: "拒绝所需" });
  const proofItem = checklist.getByRole("listitem").filter({ hasText: "上传凭证（天猫要求每次拒绝都附凭证）" });
  await expect(proofItem).toHaveAttribute("data-done", "false");
  await dialog.getByRole("button", { name: "确认拒绝" }).click();
  await expect(dialog).toBeVisible();
  expect((await (await page.request.get(`/api/requests/${card.id}`)).json()).card.status).toBe("pending");

  // The server refuses the same rejection sent by hand, naming what is missing
  const forged = await page.request.post(`/api/requests/${card.id}/decision`, {
    data: { decision: "reject", reasonCode: "past_period", message: "已超出售后期限，无法退货" },
    headers: { origin: baseURL },
  });
  expect(forged.status()).toBe(422);
  expect((await forged.json()).error).toMatchObject({ code: "rejection_incomplete", missing: [{ code: "evidence_missing", requiredBy: "platform" }] });
  // A script renamed to .png is refused by its content
  const fake = await page.request.post(`/api/requests/${card.id}/rejection-evidence`, {
    multipart: { file: { name: "proof.png", mimeType: "image/png", buffer: Buffer.from("<script>alert(1)</script>") } },
    headers: { origin: baseURL },
  });
  expect(fake.status()).toBe(415);

  await dialog.getByLabel("上传凭证").setInputFiles({ name: "签收照片.png", mimeType: "image/png", buffer: onePixelPng });
  await expect(dialog.getByRole("link", { name: "签收照片.png" })).toBeVisible();
  await expect(proofItem).toHaveAttribute("data-done", "true");
  await dialog.getByRole("button", { name: "确认拒绝" }).click();
  await expect(dialog).toHaveCount(0);
  await expect(article).toHaveCount(0);
  const detail = await (await page.request.get(`/api/requests/${card.id}`)).json();
  expect(detail.card).toMatchObject({ status: "rejected", rejectReasonCode: "past_period" });
  expect(detail.audit.at(-1).detail.evidenceIds).toHaveLength(1);
});

test("Taobao refund-only after receipt: the seller counter-offers a partial refund", async ({ request }) => {
  await signInApi(request, logins.ownerB);
  const orders = await (await request.get(`/api/orders?q=${encodeURIComponent("北岸数码 机械键盘 87键 茶轴 RGB 背光")}`)).json();
  expect(orders.items.length).toBeGreaterThan(0);
  const cards = await (await request.get("/api/requests?platform=taobao&kind=refund_only")).json();
  const card = cards.items.find((item: { order: { title: string } }) => item.order.title === "北岸数码 机械键盘 87键 茶轴 RGB 背光");
  const invalid = await request.post(`/api/requests/${card.id}/counter-offer`, { data: { kind: "partial_refund", amountFen: card.amountFen }, headers: { origin: baseURL } });
  expect(invalid.status()).toBe(422);
  expect((await invalid.json()).error.problems[0].code).toBe("amount_not_below_requested");
  const offered = await request.post(`/api/requests/${card.id}/counter-offer`, { data: { kind: "partial_refund", amountFen: 5000 }, headers: { origin: baseURL } });
  expect(offered.status()).toBe(201);
  const detail = await (await request.get(`/api/requests/${card.id}`)).json();
  expect(detail.card.counterOffer).toMatchObject({ kind: "partial_refund", amountFen: 5000 });
  expect(detail.audit.at(-1)).toMatchObject({ action: "counter_offered", actor: { name: "周航" } });
});
