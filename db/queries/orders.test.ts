import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { type Db, transact } from "@/db/client";
import { buildOrder, createMerchant, createRequest, createShop, createUser, type OrderValues } from "@/db/factories";
import { getOrderRow, listOrders, setAgentsMayOpenEntry } from "@/db/queries/orders";
import { answerReopenIfEntryOpen, openEntryForScope } from "@/db/workflows/entry";
import { getRequestCard } from "@/db/queries/requests";
import { decideRequest } from "@/db/workflows/decide";
import { getScope, type Scope } from "@/db/queries/users";
import { auditLog, orders, requests } from "@/db/schema";
import { closeTestDb, openTestDb } from "@/db/test-db";
import { dayMs } from "@/lib/time";

const now = new Date("2026-11-23T06:00:00.000Z");

let db: Db;
let tmall: string;
let owner: Scope;
let agent: Scope;
let ownerB: Scope;

async function insertOrder(values: Partial<OrderValues> & { entryOpenedAt?: Date | null; entryTimesOpened?: number } = {}) {
  const row = {
    ...buildOrder({ shopId: tmall, platform: "tmall", completedAt: new Date(now.getTime() - 100 * dayMs), title: "羊毛大衣", buyerNick: "星河滚烫" }),
    ...values,
  };
  await db.insert(orders).values(row);
  return row.id;
}

async function reopenCard(orderId: string) {
  return createRequest(db, { shopId: tmall, orderId, platform: "tmall", kind: "entry_reopen", amountFen: 0, receivedAt: new Date(now.getTime() - 60_000) });
}

async function getOrder(id: string) {
  const [row] = await db.select().from(orders).where(eq(orders.id, id));
  return row;
}

beforeEach(async () => {
  db = await openTestDb();
  const merchant = await createMerchant(db, "A");
  tmall = await createShop(db, { merchantId: merchant, platform: "tmall", name: "A 天猫店" });
  owner = (await getScope(db, await createUser(db, { merchantId: merchant, name: "老板", email: "o@a.test", role: "owner" })))!;
  agent = (await getScope(db, await createUser(db, { merchantId: merchant, name: "王芳", email: "w@a.test", role: "agent" })))!;
  const merchantB = await createMerchant(db, "B");
  await createShop(db, { merchantId: merchantB, platform: "taobao", name: "B 店" });
  ownerB = (await getScope(db, await createUser(db, { merchantId: merchantB, name: "B", email: "o@b.test", role: "owner" })))!;
});
afterEach(async () => closeTestDb(db));

describe("approving a re-open card", () => {
  it("opens the order's entry in the same transaction, with audit", async () => {
    const orderId = await insertOrder({ entryTimesOpened: 3 });
    const cardId = await reopenCard(orderId);
    const result = await decideRequest(db, agent, cardId, { decision: "approve" }, now);
    expect(result.ok).toBe(true);
    expect(await getOrder(orderId)).toMatchObject({ entryOpenedAt: now, entryTimesOpened: 4 });
    const audit = await db.select().from(auditLog).where(and(eq(auditLog.orderId, orderId), eq(auditLog.action, "entry_opened")));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ requestId: cardId, actorId: agent.userId, detail: { source: "request", timesOpened: 4, openUntil: new Date(now.getTime() + 30 * dayMs).toISOString() } });
  });

  it.each([
    ["a refund that succeeded", { priorRefund: "succeeded" as const }, "prior_refund"],
    ["a deal two years and a day ago", { completedAt: new Date(now.getTime() - (2 * 365 + 2) * dayMs) }, "too_old"],
    ["an entry opened 29 days ago", { entryOpenedAt: new Date(now.getTime() - 29 * dayMs), entryTimesOpened: 1 }, "already_open"],
  ])("is refused as not_eligible after %s, and nothing changes", async (_label, values, reason) => {
    const orderId = await insertOrder(values);
    const before = await getOrder(orderId);
    const cardId = await reopenCard(orderId);
    const result = await decideRequest(db, agent, cardId, { decision: "approve" }, now);
    expect(result).toMatchObject({ ok: false, code: "not_eligible", eligibility: { eligible: false, reason } });
    expect(await getOrder(orderId)).toEqual(before);
    expect((await getRequestCard(db, agent, cardId))?.status).toBe("pending");
  });

  it("rejecting a re-open card leaves the entry closed", async () => {
    const orderId = await insertOrder();
    const cardId = await reopenCard(orderId);
    const evidenceFree = await decideRequest(db, agent, cardId, { decision: "reject", reasonCode: "past_period", message: "已超出两年" }, now);
    // Tmall: every rejection needs proof
    expect(evidenceFree).toMatchObject({ ok: false, code: "rejection_incomplete", missing: [{ code: "evidence_missing", requiredBy: "platform" }] });
    expect((await getOrder(orderId)).entryTimesOpened).toBe(0);
  });
});

describe("a re-open request while the entry is open", () => {
  it("is answered by the system at once (已开启，至 …), and the platform is told", async () => {
    const openedAt = new Date(now.getTime() - 5 * dayMs);
    const orderId = await insertOrder({ entryOpenedAt: openedAt, entryTimesOpened: 1 });
    const cardId = await reopenCard(orderId);
    expect(await transact(db, async (tx) => answerReopenIfEntryOpen(tx, cardId, now))).toBe(true);
    const [row] = await db.select().from(requests).where(eq(requests.id, cardId));
    expect(row).toMatchObject({ status: "approved", decision: "approve", decidedBy: null, decidedAt: now });
    const [audit] = await db.select().from(auditLog).where(eq(auditLog.requestId, cardId));
    expect(audit).toMatchObject({ action: "entry_already_open", actorId: null, detail: { openUntil: new Date(openedAt.getTime() + 30 * dayMs).toISOString() } });
  });

  it("is left to an agent once the entry closed by itself (30 days + 1 ms)", async () => {
    const orderId = await insertOrder({ entryOpenedAt: new Date(now.getTime() - 30 * dayMs - 1), entryTimesOpened: 1 });
    const cardId = await reopenCard(orderId);
    expect(await transact(db, async (tx) => answerReopenIfEntryOpen(tx, cardId, now))).toBe(false);
    expect((await getRequestCard(db, agent, cardId))?.status).toBe("pending");
    expect((await decideRequest(db, agent, cardId, { decision: "approve" }, now)).ok).toBe(true);
    expect((await getOrder(orderId)).entryTimesOpened).toBe(2);
  });
});

describe("the Orders page", () => {
  it("finds orders by order id, buyer or title, within the scope only", async () => {
    const orderId = await insertOrder({ platformOrderId: "3901234567890123456", title: "真丝衬衫 象牙白", buyerNick: "江南烟雨" });
    await insertOrder({ title: "牛仔裤" });
    // The buyer 江南烟雨 is shown as 江**雨: found by what is shown, never by the hidden characters
    for (const q of ["39012345", "江**雨", "**雨", "真丝"]) {
      expect((await listOrders(db, owner, { q, limit: 50 }, now)).map((row) => row.id)).toEqual([orderId]);
    }
    for (const q of ["江南", "烟雨", "南烟", "江南烟雨"]) expect(await listOrders(db, owner, { q, limit: 50 }, now)).toEqual([]);
    expect(await listOrders(db, owner, { q: "%", limit: 50 }, now)).toEqual([]);
    expect(await listOrders(db, ownerB, { q: "真丝", limit: 50 }, now)).toEqual([]);
    expect(await getOrderRow(db, ownerB, orderId, now)).toBeNull();
  });

  it("shows the period end, the entry state and the reason it cannot open", async () => {
    const completedAt = new Date("2026-11-22T06:00:00.000Z");
    const orderId = await insertOrder({ completedAt, category: "apparel", priorRefund: "succeeded", entryTimesOpened: 2 });
    expect(await getOrderRow(db, owner, orderId, now)).toMatchObject({
      periodEndsAt: "2026-12-07T06:00:00.000Z",
      entryOpenUntil: null,
      entryTimesOpened: 2,
      priorRefund: "succeeded",
      eligibility: { eligible: false, reason: "prior_refund", priorRefundState: "succeeded" },
      canOpenEntry: true,
    });
  });

  it("the owner opens the entry proactively, again after it closed, with audit each time", async () => {
    const orderId = await insertOrder();
    const first = await openEntryForScope(db, owner, orderId, now);
    expect(first).toMatchObject({ ok: true, order: { entryTimesOpened: 1, entryOpenUntil: new Date(now.getTime() + 30 * dayMs).toISOString() } });
    expect(await openEntryForScope(db, owner, orderId, new Date(now.getTime() + dayMs))).toMatchObject({
      ok: false,
      code: "not_eligible",
      eligibility: { reason: "already_open" },
    });
    const later = new Date(now.getTime() + 30 * dayMs + 1);
    expect(await openEntryForScope(db, owner, orderId, later)).toMatchObject({ ok: true, order: { entryTimesOpened: 2 } });
    const audit = await db.select().from(auditLog).where(and(eq(auditLog.orderId, orderId), eq(auditLog.action, "entry_opened")));
    expect(audit.map((entry) => entry.actorId)).toEqual([owner.userId, owner.userId]);
  });

  it("an agent may open it only where the owner allows; another merchant gets not_found", async () => {
    const orderId = await insertOrder();
    expect(await openEntryForScope(db, agent, orderId, now)).toEqual({ ok: false, code: "forbidden" });
    expect(await openEntryForScope(db, ownerB, orderId, now)).toEqual({ ok: false, code: "not_found" });
    expect(await setAgentsMayOpenEntry(db, ownerB, tmall, true, now)).toBe(false);
    expect(await setAgentsMayOpenEntry(db, owner, tmall, true, now)).toBe(true);
    expect(await openEntryForScope(db, agent, orderId, now)).toMatchObject({ ok: true, order: { entryTimesOpened: 1 } });
  });

  it("a too-old order is refused with its deadline", async () => {
    const orderId = await insertOrder({ completedAt: new Date("2024-02-29T04:00:00.000Z") });
    expect(await openEntryForScope(db, owner, orderId, new Date("2026-02-28T16:00:00.000Z"))).toEqual({
      ok: false,
      code: "not_eligible",
      eligibility: { eligible: false, reason: "too_old", deadline: new Date("2026-02-28T15:59:59.999Z") },
    });
  });
});
