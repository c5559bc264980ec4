import pg from "pg";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Db } from "@/db/client";
import { createMerchant, createShop } from "@/db/factories";
import type { LiveEvent } from "@/db/queries/live";
import type { WebhookShop } from "@/db/queries/webhooks";
import { closeTestDb, openAnotherInstance, openTestDb } from "@/db/test-db";
import { receiveWebhookEvent } from "@/db/workflows/ingest";
import type { WebhookEvent } from "@/lib/webhook/events";

vi.mock("server-only", () => ({}));
const { LiveHub } = await import("@/app/_server/live-hub");

// The live hub on PostgreSQL (docs/loops.md#the-live-hub): transactions commit in parallel, so an audit id can become
// visible after a larger one. Two pools on one database stand for two desk instances: A writes, B's hub reads.

let instanceA: Db;
let instanceB: Db;
let shop: WebhookShop;
let setupError: unknown;
const hubs: InstanceType<typeof LiveHub>[] = [];
const unsubscribes: (() => void)[] = [];
const held: pg.PoolClient[] = [];

beforeAll(async () => {
  try {
    instanceA = await openTestDb();
    instanceB = await openAnotherInstance(instanceA);
    const merchantId = await createMerchant(instanceA, "木槿家居");
    shop = { id: await createShop(instanceA, { merchantId, platform: "tmall", name: "木槿家居旗舰店" }), platform: "tmall", merchantId };
  } catch (error) {
    setupError = error;
  }
});
// A missing server fails each test with its reason (a failing beforeAll would show them as skipped)
beforeEach(() => {
  if (setupError) throw setupError;
});
afterEach(async () => {
  for (const unsubscribe of unsubscribes.splice(0)) unsubscribe();
  for (const client of held.splice(0)) {
    await client.query("rollback").catch(() => undefined);
    client.release();
  }
  hubs.length = 0;
});
afterAll(async () => {
  if (instanceA) await closeTestDb(instanceA);
});

/** A hub on instance B that polls only when told to, and what it sent to one stream of the shop. */
async function openHub(options: { gapGiveUpMs?: number; warn?: (message: string) => void } = {}) {
  const hub = new LiveHub({ db: () => instanceB, autoPoll: false, gapGiveUpMs: options.gapGiveUpMs ?? 30_000, warn: options.warn ?? (() => undefined) });
  hubs.push(hub);
  const sent: LiveEvent[] = [];
  const { tail, unsubscribe } = await hub.subscribe({ userId: "usr_stream", shopIds: new Set([shop.id]), send: (event) => sent.push(event) });
  unsubscribes.push(unsubscribe);
  return { hub, sent, tail };
}

const auditInsert = "insert into audit_log (shop_id, action, detail, at) values ($1, 'entry_setting_changed', '{}', $2) returning id";

/** An audit row through instance A, committed. */
async function writeCommitted(): Promise<number> {
  const { rows } = await (instanceA.$client as unknown as pg.Pool).query<{ id: number }>(auditInsert, [shop.id, Date.now()]);
  return rows[0]!.id;
}

/** An audit row through instance A in a transaction left open: its id is taken, the row not yet visible. */
async function writeInOpenTransaction(): Promise<{ id: number; commit: () => Promise<void>; rollback: () => Promise<void> }> {
  const client = await (instanceA.$client as unknown as pg.Pool).connect();
  held.push(client);
  await client.query("begin");
  const { rows } = await client.query<{ id: number }>(auditInsert, [shop.id, Date.now()]);
  const end = async (statement: string) => {
    held.splice(held.indexOf(client), 1);
    await client.query(statement);
    client.release();
  };
  return { id: rows[0]!.id, commit: () => end("commit"), rollback: () => end("rollback") };
}

const idsOf = (events: LiveEvent[]) => events.map((event) => event.id);

describe("the live hub on PostgreSQL", () => {
  it("sends a row committed after a larger id was already visible, once, and in id order", async () => {
    const { hub, sent } = await openHub();
    const first = await writeInOpenTransaction();
    const second = await writeCommitted();
    expect(first.id).toBeLessThan(second);
    await hub.poll();
    const beforeCommit = idsOf(sent);
    // A stream resuming now replays up to the hub's tail, which stays below the id that may still appear
    const resuming = await hub.subscribe({ userId: "usr_resuming", shopIds: new Set([shop.id]), send: () => undefined });
    unsubscribes.push(resuming.unsubscribe);
    expect(resuming.tail).toBeLessThan(first.id);
    await first.commit();
    await hub.poll();
    await hub.poll();
    expect(idsOf(sent)).toEqual([first.id, second]);
    // The smaller id could still appear: the larger one waited for it
    expect(beforeCommit).toEqual([]);
  });

  it("goes on past an id whose transaction rolled back", async () => {
    // Within the test's timeout even when a transaction elsewhere on the server holds the rule back (then by giving up)
    const { hub, sent } = await openHub({ gapGiveUpMs: 10_000 });
    const first = await writeInOpenTransaction();
    const second = await writeCommitted();
    await hub.poll();
    expect(idsOf(sent)).toEqual([]);
    await first.rollback();
    // Settled once every transaction older than the gap has ended: on a shared server, others' too
    while (sent.length === 0) {
      await hub.poll();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(idsOf(sent)).toEqual([second]);
  });

  it("waits for a transaction held open at most gapGiveUpMs, then goes on and says so", async () => {
    const warnings: string[] = [];
    const { hub, sent } = await openHub({ gapGiveUpMs: 0, warn: (message) => warnings.push(message) });
    const first = await writeInOpenTransaction();
    const second = await writeCommitted();
    await hub.poll();
    await hub.poll();
    expect(idsOf(sent)).toEqual([second]);
    // (The start may have given up too, on a transaction of another database of the server)
    expect(warnings.filter((warning) => warning.startsWith("gave up"))).toEqual([expect.stringContaining(`gave up waiting for audit rows after ${first.id - 1}`)]);
  });

  it("starts while a transaction holding a smaller id is open: it waits for it (at most gapGiveUpMs) and says when it gave up", async () => {
    const first = await writeInOpenTransaction();
    const second = await writeCommitted();
    const warnings: string[] = [];
    const { tail } = await openHub({ gapGiveUpMs: 0, warn: (message) => warnings.push(message) });
    expect(tail).toBe(second);
    expect(warnings).toEqual([expect.stringContaining(`started after ${second}`)]);
    await first.rollback();
  });

  it("sends what instance A wrote to a stream on instance B, with its card read there", async () => {
    const { hub, sent } = await openHub();
    const event = {
      id: "evt_live_pg_1",
      type: "request.created",
      occurredAt: new Date().toISOString(),
      data: {
        requestId: "550000000001",
        kind: "refund_only",
        order: { orderId: "660000000001", category: "apparel", title: "羊毛双面呢大衣", amountFen: 89_900, supportedKinds: ["refund_only"], priorRefund: "none" },
        buyer: { id: "buyer-live-1", nick: "小鹿" },
        reasonCode: "quality_issue",
        evidence: [],
        amountFen: 89_900,
      },
    } as WebhookEvent;
    await receiveWebhookEvent(instanceA, { shop, event, rawBody: JSON.stringify(event), now: new Date() });
    await hub.poll();
    expect(sent.map((live) => live.action)).toEqual(["received"]);
    expect(sent[0]!.card).toMatchObject({ shop: { id: shop.id }, status: "pending", platformRequestId: "550000000001" });
  });
});
