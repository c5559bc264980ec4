import { expect, type APIRequestContext, type Page } from "@playwright/test";
import { hashPassword } from "better-auth/crypto";
import { eq } from "drizzle-orm";
import { openDb, openPostgresDb, type Db } from "@/db/client";
import { getDialect } from "@/db/dialect";
import { createOrder, createRequest, createShop, createUser } from "@/db/factories";
import { getLatestAuditId } from "@/db/queries/live";
import { accounts, auditLog, evidenceFiles, shops, users } from "@/db/schema";
import { outbox } from "@/db/schema-webhooks";
import { newId } from "@/lib/ids";
import type { Platform, RequestKind } from "@/lib/domain";
import e2eConfig, { e2eDatabasePath } from "../playwright.config";

export const demoPassword = "shouhou-demo-2026";
export const logins = {
  owner: "owner@mujin.demo",
  wangfang: "wangfang@mujin.demo",
  lilei: "lilei@mujin.demo",
  zhaoqiang: "zhaoqiang@mujin.demo",
  ownerB: "owner@beian.demo",
} as const;

export const baseURL = String(e2eConfig.use?.baseURL);

/** Digits no other test run has: the time and a random number, for names, ids and secrets of a test's own. */
export const unique = () => `${Date.now()}${Math.floor(Math.random() * 1e6)}`;

/** A 19-digit platform id of a test's own; `first` keeps one spec's ids apart from another's. */
export function uniqueDigits(first: string): string {
  return `${first}${Date.now()}${Math.floor(Math.random() * 1e5)}`.slice(0, 19);
}

/** A 1×1 PNG, the smallest proof photo an upload takes. */
export const onePixelPng = Buffer.from(
  "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082",
  "hex",
);

let db: Promise<Db> | null = null;
/**
 * The e2e server's database, written through the query layer as the desk writes it: its SQLite file, or, in the
 * PostgreSQL run (npm test passes DATABASE_URL to the whole Playwright run, playwright.postgres.config.ts), its PostgreSQL database.
 */
function getTestDb(): Promise<Db> {
  db ??= getDialect() === "postgres" ? openPostgresDb(process.env.DATABASE_URL!, { maxConnections: 2 }) : Promise.resolve(openDb(e2eDatabasePath));
  return db;
}

const shopNames = { tmall: "木槿旗舰店（天猫）", douyin: "木槿鲜生（抖音）", taobao: "北岸数码（淘宝）" } as const;

/**
 * Each test makes its own card (as a platform push would), with a unique title to find it by (the open inbox
 * puts it by its platform clock: docs/inbox-order.md). By default it arrived two hours ago, so it is overdue.
 * `platformDeadlineInMs`: the platform's own deadline, from now; without it the card shows the estimate.
 */
export async function seedCard(options: {
  shop: keyof typeof shopNames | { id: string };
  kind?: RequestKind;
  title?: string;
  receivedAgoMs?: number;
  /** What a real card says (screenshots): the amount, buyer, reason, claim and category; test defaults otherwise */
  amountFen?: number;
  buyerNick?: string;
  reasonCode?: string;
  claim?: string;
  category?: string;
  /** How many buyer photos (small images stored as a webhook's upload would be) */
  evidenceCount?: number;
  platformDeadlineInMs?: number;
}) {
  const database = await getTestDb();
  const shopOption = options.shop;
  const [shop] = await database
    .select()
    .from(shops)
    .where(typeof shopOption === "string" ? eq(shops.name, shopNames[shopOption]) : eq(shops.id, shopOption.id));
  const title = options.title ?? `测试商品 ${Math.random().toString(36).slice(2, 8)}`;
  const platform = shop.platform as Platform;
  const amountFen = options.amountFen ?? 12_990;
  const evidence = Array.from({ length: options.evidenceCount ?? 0 }, (_, index) => ({
    id: newId("evd"),
    shopId: shop.id,
    name: `photo-${index + 1}.svg`,
    mimeType: "image/svg+xml",
    bytes: Buffer.from(
      `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="240"><rect width="320" height="240" fill="hsl(${index * 90},40%,85%)"/><text x="160" y="130" font-size="40" text-anchor="middle">${index + 1}</text></svg>`,
    ),
  }));
  if (evidence.length) await database.insert(evidenceFiles).values(evidence);
  const orderId = await createOrder(database, {
    shopId: shop.id,
    platform,
    title,
    amountFen,
    buyerNick: options.buyerNick ?? "e2e测试买家",
    ...(options.category ? { category: options.category } : {}),
  });
  const id = await createRequest(database, {
    shopId: shop.id,
    orderId,
    platform,
    kind: options.kind ?? "refund_only",
    reasonCode: options.reasonCode ?? "quality_issue",
    claim: options.claim ?? "收到就坏了",
    amountFen,
    evidence: evidence.map((file) => file.id),
    receivedAt: new Date(Date.now() - (options.receivedAgoMs ?? 2 * 60 * 60_000)),
    platformDeadline: options.platformDeadlineInMs === undefined ? null : new Date(Date.now() + options.platformDeadlineInMs),
  });
  // The audit row is what the live stream carries, as for a card that came in through the webhook.
  await database.insert(auditLog).values({ shopId: shop.id, requestId: id, orderId, action: "received", toStatus: "pending", at: new Date() });
  return { id, title, shopId: shop.id };
}

export async function signIn(page: Page, email: string) {
  await page.goto("/login");
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
  await page.getByLabel("邮箱").fill(email);
  await page.getByLabel("密码").fill(demoPassword);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page).toHaveURL(/\/inbox/);
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
}

/** Signs an API context in (cookies stay in it), as a script or a second device would. */
export async function signInApi(request: APIRequestContext, email: string) {
  const response = await request.post("/api/auth/sign-in/email", {
    data: { email, password: demoPassword },
    headers: { origin: baseURL },
  });
  expect(response.status()).toBe(200);
}

/** Opens an inbox view and waits until the inbox itself is hydrated (a click or key before that does nothing). */
export async function openInbox(page: Page, search = "") {
  await page.goto(`/inbox${search}`);
  await expect(page.locator("section[data-inbox-ready=true]")).toBeVisible();
}

/** Every console error and uncaught page error from here on (a hydration mismatch is React error #418). */
export function collectConsoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`${page.url()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => errors.push(`${page.url()}: ${error.message}`));
  return errors;
}

export function cardByTitle(page: Page, title: string) {
  return page.getByRole("article").filter({ hasText: title });
}

/** A throwaway agent (all shops unless given some) of merchant A, or of the merchant `ownerEmail` owns. */
export async function createAgent(name: string, shopIds?: string[], ownerEmail: string = logins.owner) {
  const database = await getTestDb();
  const [owner] = await database.select().from(users).where(eq(users.email, ownerEmail));
  const email = `${newId("usr").slice(4)}@mujin.demo`;
  const id = await createUser(database, { merchantId: owner.merchantId, name, email, role: "agent", shopIds });
  await database.insert(accounts).values({ id: newId("usr"), accountId: id, providerId: "credential", userId: id, password: await hashPassword(demoPassword) });
  return { id, email };
}

export async function getLatestEventId() {
  return getLatestAuditId(await getTestDb());
}

/** What the outbox holds for a request: the platform is told only through it. */
export async function getOutboxRows(requestId: string) {
  return (await getTestDb()).select().from(outbox).where(eq(outbox.requestId, requestId));
}

/** A shop of the test's own (merchant A's unless `ownerEmail` names another owner), so switching its settings touches no other test. */
export async function createTestShop(name: string, options: { ownerEmail?: string; platform?: Platform } = {}) {
  const database = await getTestDb();
  const [owner] = await database.select().from(users).where(eq(users.email, options.ownerEmail ?? logins.owner));
  return createShop(database, { merchantId: owner.merchantId, platform: options.platform ?? "tmall", name });
}
