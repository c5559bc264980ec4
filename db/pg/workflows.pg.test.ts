import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { transact, type Db } from "@/db/client";
import { createMerchant, createShop, createUser } from "@/db/factories";
import { closeTestDb, openAnotherInstance, openTestDb } from "@/db/test-db";
import { runRaw } from "@/db/raw";
import { claimRequest } from "@/db/queries/claims";
import { getRequestCard } from "@/db/queries/requests";
import { getScope, type Scope } from "@/db/queries/users";
import type { WebhookShop } from "@/db/queries/webhooks";
import { auditLog, merchants, requests } from "@/db/schema";
import { metricHourly } from "@/db/schema-metrics";
import { outbox } from "@/db/schema-webhooks";
import { decideRequest } from "@/db/workflows/decide";
import { receiveWebhookEvent } from "@/db/workflows/ingest";
import { undoDecision } from "@/db/workflows/undo";
import type { WebhookEvent } from "@/lib/webhook/events";

// The workflows on a live PostgreSQL server, through the same query layer as SQLite (docs/postgres.md). Two pools on
// one database stand for two desk instances: what one instance decides, the other sees, and of two racing, one wins.

const now = new Date("2026-11-23T06:00:00.000Z");
let dbs: Db[] = [];
let setupError: unknown;
let shop: WebhookShop;
let agent: Scope;
let owner: Scope;

beforeAll(async () => {
  try {
    const first = await openTestDb();
    dbs = [first, await openAnotherInstance(first)];
    const [db] = dbs;
    const merchantId = await createMerchant(db, "木槿家居");
    const shopId = await createShop(db, { merchantId, platform: "tmall", name: "木槿家居旗舰店" });
    shop = { id: shopId, platform: "tmall", merchantId };
    agent = (await getScope(db, await createUser(db, { merchantId, name: "周敏", email: "zhou@pg.test", role: "agent" })))!;
    owner = (await getScope(db, await createUser(db, { merchantId, name: "陈静", email: "chen@pg.test", role: "owner" })))!;
  } catch (error) {
    setupError = error;
  }
});
// A missing server fails each test with its reason (a failing beforeAll would show them as skipped)
beforeEach(() => {
  if (setupError) throw setupError;
});
afterAll(async () => {
  if (dbs[0]) await closeTestDb(dbs[0]);
});

let sequence = 0;
function createdEvent(): WebhookEvent {
  sequence += 1;
  return {
    id: `evt_pg_${sequence}`,
    type: "request.created",
    occurredAt: new Date(now.getTime() - 60_000).toISOString(),
    data: {
      requestId: `5500${String(sequence).padStart(8, "0")}`,
      kind: "refund_only",
      order: {
        orderId: `6600${String(sequence).padStart(8, "0")}`,
        category: "apparel",
        title: "羊毛双面呢大衣",
        amountFen: 89_900,
        supportedKinds: ["refund_only", "return_refund"],
        priorRefund: "none",
      },
      buyer: { id: `buyer-${sequence}`, nick: "小鹿" },
      reasonCode: "quality_issue",
      evidence: [],
      amountFen: 89_900,
    },
  } as WebhookEvent;
}

async function receive(db: Db, event: WebhookEvent) {
  return receiveWebhookEvent(db, { shop, event, rawBody: JSON.stringify(event), now });
}

async function cardIdOf(db: Db, event: WebhookEvent): Promise<string> {
  const platformRequestId = (event.data as { requestId: string }).requestId;
  const [row] = await db.select({ id: requests.id }).from(requests).where(eq(requests.platformRequestId, platformRequestId)).limit(1);
  return row.id;
}

describe("workflows on PostgreSQL", () => {
  it("stores an event and its card once: the same event again, on the other instance, changes nothing", async () => {
    const event = createdEvent();
    const first = await receive(dbs[0], event);
    expect(first).not.toMatchObject({ duplicate: true });
    expect(await receive(dbs[1], event)).toMatchObject({ duplicate: true });
    const id = await cardIdOf(dbs[1], event);
    const card = await getRequestCard(dbs[1], agent, id);
    expect(card).toMatchObject({ status: "pending", amountFen: 89_900, kind: "refund_only" });
    expect(card!.receivedAt).toBe(new Date(now.getTime() - 60_000).toISOString());
    const rows = await dbs[0].select({ id: requests.id }).from(requests).where(eq(requests.platformRequestId, (event.data as { requestId: string }).requestId));
    expect(rows).toHaveLength(1);
  });

  it("of eight decisions racing on one card from two instances exactly one wins, with one audit row and one answer queued", async () => {
    const event = createdEvent();
    await receive(dbs[0], event);
    const id = await cardIdOf(dbs[0], event);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, index) =>
        decideRequest(dbs[index % 2], index % 3 ? agent : owner, id, { decision: "approve" }, now),
      ),
    );
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(results.filter((result) => !result.ok).map((result) => (result.ok ? null : result.code))).toEqual(Array(7).fill("already_decided"));
    const decided = await dbs[1].select().from(auditLog).where(and(eq(auditLog.requestId, id), sql`${auditLog.action} in ('approved', 'rejected')`));
    expect(decided).toHaveLength(1);
    expect(await dbs[0].select().from(outbox).where(eq(outbox.requestId, id))).toHaveLength(1);
    // The rollup counted the card once, received and decided
    const [hour] = await dbs[0]
      .select({ received: sql<number>`sum(${metricHourly.received})`.mapWith(Number), decided: sql<number>`sum(${metricHourly.approved} + ${metricHourly.rejected})`.mapWith(Number) })
      .from(metricHourly)
      .where(eq(metricHourly.shopId, shop.id));
    expect(hour.received).toBeGreaterThanOrEqual(2);
    expect(hour.decided).toBe(1);
  });

  it("undo on the other instance puts the card back and cancels the answer not yet sent", async () => {
    const event = createdEvent();
    await receive(dbs[0], event);
    const id = await cardIdOf(dbs[0], event);
    const decided = await decideRequest(dbs[0], agent, id, { decision: "approve" }, now);
    expect(decided.ok).toBe(true);
    const undone = await undoDecision(dbs[1], agent, id, new Date(now.getTime() + 2_000));
    expect(undone.ok).toBe(true);
    expect((await getRequestCard(dbs[0], agent, id))?.status).toBe("pending");
    const rows = await dbs[0].select({ status: outbox.status }).from(outbox).where(eq(outbox.requestId, id));
    expect(rows.map((row) => row.status)).not.toContain("pending");
  });

  it("of two agents claiming one card on two instances, one holds it", async () => {
    const event = createdEvent();
    await receive(dbs[0], event);
    const id = await cardIdOf(dbs[0], event);
    const [mine, theirs] = await Promise.all([claimRequest(dbs[0], agent, id, now), claimRequest(dbs[1], owner, id, now)]);
    expect([mine.ok, theirs.ok].filter(Boolean)).toHaveLength(1);
    const [row] = await dbs[1].select({ claimedBy: requests.claimedBy }).from(requests).where(eq(requests.id, id));
    expect([agent.userId, owner.userId]).toContain(row.claimedBy);
  });

  it("a transaction that throws leaves nothing behind; one that returns is seen by the other instance", async () => {
    const merchantId = await createMerchant(dbs[0], "before");
    await expect(
      transact(dbs[0], async (tx) => {
        await tx.update(merchants).set({ name: "lost" }).where(eq(merchants.id, merchantId));
        throw new Error("refused");
      }),
    ).rejects.toThrow("refused");
    const read = async () => (await dbs[1].select({ name: merchants.name }).from(merchants).where(eq(merchants.id, merchantId)))[0]?.name;
    expect(await read()).toBe("before");
    await transact(dbs[0], async (tx) => {
      await tx.update(merchants).set({ name: "kept" }).where(eq(merchants.id, merchantId));
    });
    expect(await read()).toBe("kept");
  });

  it("holds the rollup rows' locks for the commit only: another instance can write them while a card's transaction is still open", async () => {
    const [db, other] = dbs;
    // An earlier card puts the shop's hour in the rollups
    await receive(db, createdEvent());
    const hourRow = and(eq(metricHourly.shopId, shop.id), eq(metricHourly.agentId, ""));
    const receivedBefore = (await db.select({ received: sql<number>`sum(${metricHourly.received})`.mapWith(Number) }).from(metricHourly).where(hourRow))[0].received;
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let cardStored!: () => void;
    const stored = new Promise<void>((resolve) => (cardStored = resolve));
    const event = createdEvent();
    const open = transact(db, async () => {
      await receive(db, event);
      cardStored();
      // The rest of a transaction's round trips: the rollup rows must not be locked meanwhile
      await released;
    });
    await stored;
    const blocked = await transact(other, async (tx) => {
      await runRaw(tx, "set local lock_timeout = '500ms'");
      try {
        await tx.update(metricHourly).set({ received: sql`${metricHourly.received}` }).where(hourRow);
        return false;
      } catch (error) {
        expect(String((error as { cause?: unknown }).cause ?? error)).toMatch(/lock timeout/);
        return true;
      }
    }).catch(() => true);
    release();
    await open;
    expect(blocked).toBe(false);
    // and the card is counted once it commits
    const receivedAfter = (await other.select({ received: sql<number>`sum(${metricHourly.received})`.mapWith(Number) }).from(metricHourly).where(hourRow))[0].received;
    expect(receivedAfter).toBe(receivedBefore + 1);
  });
});

