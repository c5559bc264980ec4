import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { createMerchant, createOrder, createRequest, createShop, createUser } from "@/db/factories";
import { countPendingByUrgency } from "@/db/queries/request-counts";
import { decodeCursor, getLiveCard, getRequestCard, isCursorForView, listRequestAudit, listRequests, replyWarningMs } from "@/db/queries/requests";
import { decideRequest } from "@/db/workflows/decide";
import { getScope, type Scope } from "@/db/queries/users";
import { auditLog, orders, requests } from "@/db/schema";
import { compareUrgency, getUrgencyKey, toUrgencyInput } from "@/lib/urgency";
import { closeTestDb, openTestDb } from "@/db/test-db";

const now = new Date("2026-11-23T06:00:00.000Z");
const minutesAgo = (minutes: number) => new Date(now.getTime() - minutes * 60_000);

async function seedTwoMerchants(db: Db) {
  const merchantA = await createMerchant(db, "A");
  const tmall = await createShop(db, { merchantId: merchantA, platform: "tmall", name: "A 天猫店" });
  const douyin = await createShop(db, { merchantId: merchantA, platform: "douyin", name: "A 抖音店" });
  const owner = await createUser(db, { merchantId: merchantA, name: "老板", email: "owner@a.test", role: "owner" });
  const agent = await createUser(db, { merchantId: merchantA, name: "王芳", email: "wang@a.test", role: "agent" });
  const douyinAgent = await createUser(db, {
    merchantId: merchantA,
    name: "李雷",
    email: "li@a.test",
    role: "agent",
    shopIds: [douyin],
  });
  const merchantB = await createMerchant(db, "B");
  const shopB = await createShop(db, { merchantId: merchantB, platform: "taobao", name: "B 淘宝店" });
  const ownerB = await createUser(db, { merchantId: merchantB, name: "B 老板", email: "owner@b.test", role: "owner" });

  const orderTmall = await createOrder(db, { shopId: tmall, platform: "tmall" });
  const orderDouyin = await createOrder(db, { shopId: douyin, platform: "douyin" });
  const orderB = await createOrder(db, { shopId: shopB, platform: "taobao" });
  const tmallCards = [];
  for (const minutes of [1, 2.5, 0.5, 4]) {
    tmallCards.push(await createRequest(db, { shopId: tmall, orderId: orderTmall, platform: "tmall", receivedAt: minutesAgo(minutes) }));
  }
  const douyinCard = await createRequest(db, {
    shopId: douyin,
    orderId: orderDouyin,
    platform: "douyin",
    kind: "return_refund",
    receivedAt: minutesAgo(2),
  });
  const cardB = await createRequest(db, { shopId: shopB, orderId: orderB, platform: "taobao", receivedAt: minutesAgo(1) });
  const scope = async (userId: string) => (await getScope(db, userId)) as Scope;
  return {
    owner: await scope(owner),
    agent: await scope(agent),
    douyinAgent: await scope(douyinAgent),
    ownerB: await scope(ownerB),
    tmallCards,
    douyinCard,
    cardB,
    shops: { tmall, douyin, shopB },
  };
}

describe("requests queries", () => {
  let db: Db;
  let data: Awaited<ReturnType<typeof seedTwoMerchants>>;

  beforeEach(async () => {
    db = await openTestDb();
    data = await seedTwoMerchants(db);
  });
  afterEach(async () => closeTestDb(db));

  it("lists pending cards inside their reply clock first (by it), then the overdue one, across the user's shops only", async () => {
    const page = await listRequests(db, data.agent, { status: "pending", limit: 50 }, now);
    expect(page.items.map((card) => card.receivedAt)).toEqual(
      [2.5, 2, 1, 0.5, 4].map((minutes) => minutesAgo(minutes).toISOString()),
    );
    expect(page.items.some((card) => card.id === data.cardB)).toBe(false);
    expect(page.orderedAt).toBe(now.toISOString());
  });

  it("orders mixed clocks as lib/urgency.ts does, page by page, as of the first page's instant", async () => {
    const { tmall, douyin } = data.shops;
    const shipped = await createOrder(db, { shopId: tmall, platform: "tmall" });
    await db.update(orders).set({ shippedAt: minutesAgo(3 * 24 * 60) }).where(eq(orders.id, shipped));
    const unshipped = await createOrder(db, { shopId: tmall, platform: "tmall" });
    const douyinOrder = await createOrder(db, { shopId: douyin, platform: "douyin" });
    const hours = (count: number) => count * 60;
    const add = async (orderId: string, platform: "tmall" | "douyin", receivedMinutesAgo: number, extra: { kind?: "entry_reopen" | "exchange"; platformDeadline?: Date } = {}) =>
      createRequest(db, { shopId: platform === "tmall" ? tmall : douyin, orderId, platform, receivedAt: minutesAgo(receivedMinutesAgo), ...extra });
    // Overdue, with the platform's own deadline: 46 h and 35.5 h left (the example), and two tied at 10 h
    await add(shipped, "tmall", hours(2), { platformDeadline: minutesAgo(-hours(46)) });
    await add(shipped, "tmall", hours(12), { platformDeadline: minutesAgo(-hours(35.5)) });
    await add(douyinOrder, "douyin", hours(30), { platformDeadline: minutesAgo(-hours(10)) });
    await add(douyinOrder, "douyin", hours(31), { platformDeadline: minutesAgo(-hours(10)) });
    // Overdue without a deadline: the estimate (unshipped refund 24 h from arrival, shipped 36 h, Douyin exchange 48 h)
    await add(unshipped, "tmall", hours(20));
    await add(shipped, "tmall", hours(20));
    await add(douyinOrder, "douyin", hours(20), { kind: "exchange" });
    // No platform clock at all: a re-open request
    await add(shipped, "tmall", hours(1), { kind: "entry_reopen" });

    const all: Awaited<ReturnType<typeof listRequests>>["items"] = [];
    let cursor: ReturnType<typeof decodeCursor> = null;
    do {
      // Each later page is asked for later (page 2 three minutes on, when every fresh card is past its reply clock): the order stays the first page's
      const page = await listRequests(db, data.owner, { status: "pending", limit: 3, cursor }, new Date(now.getTime() + all.length * 60_000));
      all.push(...page.items);
      cursor = page.nextCursor ? decodeCursor(page.nextCursor) : null;
    } while (cursor);
    expect(new Set(all.map((card) => card.id)).size).toBe(all.length);
    const expected = [...all].map((card) => getUrgencyKey(toUrgencyInput(card), now.getTime())).sort(compareUrgency).map((key) => key.id);
    expect(all.map((card) => card.id)).toEqual(expected);
    // Inside the reply clock first (the 4 fresh cards of the fixture), by it
    expect(all.slice(0, 4).map((card) => card.receivedAt)).toEqual([2.5, 2, 1, 0.5].map((minutes) => minutesAgo(minutes).toISOString()));
    // Then the overdue by the platform's clock, hours left: estimates (unshipped 4, shipped 16, the fixture's 4-minute
    // card 24, Douyin exchange 28) among the platforms' own deadlines (10, 10, 35.5, 46); the two tied ones by id
    const hoursLeft = (card: (typeof all)[number]) => Math.round((toUrgencyInput(card).platformDueAtMs! - now.getTime()) / 360_000) / 10;
    expect(all.slice(4, -1).map(hoursLeft)).toEqual([4, 10, 10, 16, 23.9, 28, 35.5, 46]);
    expect(all.slice(5, 7).map((card) => card.id)).toEqual(all.slice(5, 7).map((card) => card.id).sort());
    // Last, the one without any platform clock
    expect(all.at(-1)?.kind).toBe("entry_reopen");
  });

  it("tells a cursor of another view apart, and reads none it did not write", async () => {
    const received = await listRequests(db, data.owner, { status: "all", limit: 2 }, now);
    const cursor = decodeCursor(received.nextCursor!);
    expect(cursor).toMatchObject({ view: "received" });
    expect(isCursorForView(cursor!, "pending")).toBe(false);
    expect(isCursorForView(cursor!, "approved")).toBe(true);
    expect(decodeCursor(Buffer.from(JSON.stringify([1, 7, 2, 4, "req_x"])).toString("base64url"))).toBeNull();
    expect(decodeCursor(Buffer.from(JSON.stringify([1.5, 7, "req_x"])).toString("base64url"))).toBeNull();
  });

  it("counts the tabs under the same filters as the list", async () => {
    const counts = async (filters = {}) => countPendingByUrgency(db, data.owner, now, replyWarningMs, filters);
    expect(await counts()).toEqual({ pending: 5, dueSoon: 2, overdue: 1 });
    expect(await counts({ platform: "douyin" })).toEqual({ pending: 1, dueSoon: 1, overdue: 0 });
    expect(await counts({ kind: "return_refund", shop: data.shops.tmall })).toEqual({ pending: 0, dueSoon: 0, overdue: 0 });
    const [order] = await db.select().from(orders).where(eq(orders.shopId, data.shops.douyin));
    for (const filters of [{}, { platform: "tmall" as const }, { q: order.platformOrderId }, { q: "不存在的商品" }, { kind: "refund_only" as const }]) {
      const listed = await listRequests(db, data.owner, { status: "pending", limit: 50, ...filters }, now);
      const overdue = await listRequests(db, data.owner, { status: "overdue", limit: 50, ...filters }, now);
      expect(await counts(filters)).toMatchObject({ pending: listed.items.length, overdue: overdue.items.length });
    }
  });

  it("pages with a keyset cursor without gaps or repeats", async () => {
    const first = await listRequests(db, data.owner, { status: "pending", limit: 2 }, now);
    expect(first.nextCursor).not.toBeNull();
    const second = await listRequests(db, data.owner, { status: "pending", limit: 2, cursor: decodeCursor(first.nextCursor!) }, now);
    const third = await listRequests(db, data.owner, { status: "pending", limit: 2, cursor: decodeCursor(second.nextCursor!) }, now);
    const ids = [...first.items, ...second.items, ...third.items].map((card) => card.id);
    expect(new Set(ids).size).toBe(5);
    expect(third.nextCursor).toBeNull();
  });

  it("puts a card first when its platform deadline bites before every reply clock", async () => {
    const orderId = await createOrder(db, { shopId: data.shops.tmall, platform: "tmall" });
    const urgent = await createRequest(db, {
      shopId: data.shops.tmall,
      orderId,
      platform: "tmall",
      receivedAt: minutesAgo(0.1),
      platformDeadline: minutesAgo(10),
    });
    const page = await listRequests(db, data.owner, { status: "pending", limit: 2 }, now);
    expect(page.items[0].id).toBe(urgent);
    const next = await listRequests(db, data.owner, { status: "pending", limit: 50, cursor: decodeCursor(page.nextCursor!) }, now);
    expect([...page.items, ...next.items].map((card) => card.id)).toHaveLength(6);
    expect(next.items.some((card) => card.id === urgent)).toBe(false);
  });

  it("splits pending cards by urgency at the reply clock's edges", async () => {
    const dueSoon = await listRequests(db, data.owner, { status: "due_soon", limit: 50 }, now);
    // 2.5 min ago → 30 s left; the Douyin card 2 min ago → exactly 60 s left, the warning mark.
    expect(dueSoon.items.map((card) => card.receivedAt)).toEqual([minutesAgo(2.5), minutesAgo(2)].map((date) => date.toISOString()));
    const overdue = await listRequests(db, data.owner, { status: "overdue", limit: 50 }, now);
    expect(overdue.items.map((card) => card.receivedAt)).toEqual([minutesAgo(4).toISOString()]);
    const atDeadline = new Date(minutesAgo(4).getTime() + 180_000);
    expect((await listRequests(db, data.owner, { status: "overdue", limit: 50 }, atDeadline)).items).toHaveLength(0);
  });

  it("searches by title, exact platform order id and the buyer nickname as shown, with LIKE wildcards taken literally", async () => {
    const [order] = await db.select().from(orders).where(eq(orders.shopId, data.shops.douyin));
    const byOrderId = await listRequests(db, data.owner, { status: "all", limit: 50, q: order.platformOrderId }, now);
    expect(byOrderId.items.map((card) => card.id)).toEqual([data.douyinCard]);
    expect((await listRequests(db, data.owner, { status: "all", limit: 50, q: "测试商" }, now)).items).toHaveLength(5);
    // The buyer "测试买家" is shown as 测**家: that finds them, the hidden characters do not
    expect((await listRequests(db, data.owner, { status: "all", limit: 50, q: "测**家" }, now)).items).toHaveLength(5);
    for (const hidden of ["测试买家", "试买", "测试买"]) expect((await listRequests(db, data.owner, { status: "all", limit: 50, q: hidden }, now)).items).toHaveLength(0);
    expect((await listRequests(db, data.owner, { status: "all", limit: 50, q: "%" }, now)).items).toHaveLength(0);
    // Another merchant's matching card stays out.
    expect((await listRequests(db, data.ownerB, { status: "all", limit: 50, q: "测试商品" }, now)).items).toHaveLength(1);
  });

  it("searches by the platform's refund id (退款编号), exactly: a part of it or another merchant's finds nothing", async () => {
    const refundId = "2026112399001234";
    const orderId = (await db.select().from(orders).where(eq(orders.shopId, data.shops.tmall)))[0].id;
    const mine = await createRequest(db, { shopId: data.shops.tmall, orderId, platform: "tmall", platformRequestId: refundId, receivedAt: minutesAgo(3) });
    const search = (scope: Scope, q: string) => listRequests(db, scope, { status: "all", limit: 50, q }, now).then((page) => page.items.map((card) => card.id));
    expect(await search(data.owner, refundId)).toEqual([mine]);
    for (const part of [refundId.slice(0, 10), refundId.slice(4)]) expect(await search(data.owner, part)).toEqual([]);
    // Merchant B has a card under the same 退款编号 on its own shop: each merchant finds only its own
    const orderB = (await db.select().from(orders).where(eq(orders.shopId, data.shops.shopB)))[0].id;
    const theirs = await createRequest(db, { shopId: data.shops.shopB, orderId: orderB, platform: "taobao", platformRequestId: refundId, receivedAt: minutesAgo(3) });
    expect(await search(data.owner, refundId)).toEqual([mine]);
    expect(await search(data.ownerB, refundId)).toEqual([theirs]);
    // B's own refund id never shows A's people B's card
    const onlyB = "2026112399009999";
    await createRequest(db, { shopId: data.shops.shopB, orderId: orderB, platform: "taobao", platformRequestId: onlyB, receivedAt: minutesAgo(2) });
    expect(await search(data.owner, onlyB)).toEqual([]);
    expect(await search(data.douyinAgent, refundId)).toEqual([]);
  });

  it("filters by platform, kind and shop", async () => {
    const douyinOnly = await listRequests(db, data.owner, { status: "pending", limit: 50, platform: "douyin" }, now);
    expect(douyinOnly.items.map((card) => card.id)).toEqual([data.douyinCard]);
    const returns = await listRequests(db, data.owner, { status: "pending", limit: 50, kind: "return_refund" }, now);
    expect(returns.items.map((card) => card.id)).toEqual([data.douyinCard]);
    const tmallShop = await listRequests(db, data.owner, { status: "pending", limit: 50, shop: data.shops.tmall }, now);
    expect(tmallShop.items).toHaveLength(4);
  });

  it("reads a card for the live stream by its shop only", async () => {
    expect(await getLiveCard(db, data.douyinCard, data.shops.douyin)).toMatchObject({ id: data.douyinCard, status: "pending", shop: { id: data.shops.douyin } });
    expect(await getLiveCard(db, data.douyinCard, data.shops.tmall)).toBeNull();
  });

  it("hides cards of other merchants and of shops an agent may not work", async () => {
    expect(await getRequestCard(db, data.owner, data.cardB)).toBeNull();
    expect(await getRequestCard(db, data.ownerB, data.tmallCards[0])).toBeNull();
    expect(await getRequestCard(db, data.douyinAgent, data.tmallCards[0])).toBeNull();
    expect(await getRequestCard(db, data.douyinAgent, data.douyinCard)).not.toBeNull();
    const page = await listRequests(db, data.douyinAgent, { status: "all", limit: 50 }, now);
    expect(page.items.map((card) => card.id)).toEqual([data.douyinCard]);
  });

  it("decides once, writes the audit row, and tells the loser who won", async () => {
    const id = data.tmallCards[0];
    const first = await decideRequest(db, data.agent, id, { decision: "approve" }, now);
    expect(first.ok).toBe(true);
    const second = await decideRequest(db, data.owner, id, { decision: "reject", reasonCode: "other", message: "不同意" }, now);
    expect(second).toMatchObject({
      ok: false,
      code: "already_decided",
      decision: "approve",
      decidedBy: { name: "王芳" },
      decidedAt: now.toISOString(),
    });
    const audit = await listRequestAudit(db, data.owner, id);
    expect(audit).toMatchObject([{ action: "approved", fromStatus: "pending", toStatus: "approved", actor: { name: "王芳" } }]);
  });

  it("refuses to decide another merchant's card and changes nothing", async () => {
    const result = await decideRequest(db, data.owner, data.cardB, { decision: "approve" }, now);
    expect(result).toEqual({ ok: false, code: "not_found" });
    const [row] = await db.select().from(requests).where(eq(requests.id, data.cardB));
    expect(row.status).toBe("pending");
    expect(await db.select().from(auditLog)).toHaveLength(0);
  });
});
