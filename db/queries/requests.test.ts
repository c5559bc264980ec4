import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { openDb, type Db } from "@/db/client";
import { createMerchant, createOrder, createRequest, createShop, createUser } from "@/db/factories";
import { decodeCursor, getRequestCard, listRequestAudit, listRequests } from "@/db/queries/requests";
import { decideRequest } from "@/db/workflows/decide";
import { getScope, type Scope } from "@/db/queries/users";
import { auditLog, orders, requests } from "@/db/schema";

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
    db = openDb(":memory:");
    data = await seedTwoMerchants(db);
  });

  it("lists pending cards deadline first, across the user's shops only", async () => {
    const page = await listRequests(db, data.agent, { status: "pending", limit: 50 }, now);
    expect(page.items.map((card) => card.receivedAt)).toEqual(
      [4, 2.5, 2, 1, 0.5].map((minutes) => minutesAgo(minutes).toISOString()),
    );
    expect(page.items.some((card) => card.id === data.cardB)).toBe(false);
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

  it("filters by platform, kind and shop", async () => {
    const douyinOnly = await listRequests(db, data.owner, { status: "pending", limit: 50, platform: "douyin" }, now);
    expect(douyinOnly.items.map((card) => card.id)).toEqual([data.douyinCard]);
    const returns = await listRequests(db, data.owner, { status: "pending", limit: 50, kind: "return_refund" }, now);
    expect(returns.items.map((card) => card.id)).toEqual([data.douyinCard]);
    const tmallShop = await listRequests(db, data.owner, { status: "pending", limit: 50, shop: data.shops.tmall }, now);
    expect(tmallShop.items).toHaveLength(4);
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

describe("racing decisions on one card from two connections", () => {
  it("lets exactly one of many writers win", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "desk-race-"));
    const file = path.join(dir, "race.db");
    const first = openDb(file);
    const data = await seedTwoMerchants(first);
    const connections = [first, openDb(file), openDb(file), openDb(file)];
    const id = data.tmallCards[1];
    const results = await Promise.all(
      connections.map((db, index) =>
        decideRequest(db, index % 2 ? data.owner : data.agent, id, { decision: index % 2 ? "reject" : "approve", reasonCode: "other", message: "不行哦" }, now),
      ),
    );
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(results.filter((result) => !result.ok && result.code === "already_decided")).toHaveLength(3);
    expect(await first.select().from(auditLog).where(eq(auditLog.requestId, id))).toHaveLength(1);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
