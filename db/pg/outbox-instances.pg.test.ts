import { asc, eq } from "drizzle-orm";
import { afterEach, beforeEach, expect, it } from "vitest";
import { deliverDueDecisions, type SenderDeps } from "@/app/_server/outbox-sender";
import { transact, type Db } from "@/db/client";
import { skippingLocked } from "@/db/dialect";
import { createMerchant, createOrder, createRequest, createShop, createUser } from "@/db/factories";
import { claimDueDeliveries, sendLeaseMs } from "@/db/queries/outbox";
import { getScope } from "@/db/queries/users";
import { rotateShopSecret, setShopEndpoint } from "@/db/queries/webhooks";
import { outbox } from "@/db/schema-webhooks";
import { closeTestDb, openAnotherInstance, openTestDb } from "@/db/test-db";
import { decideRequest } from "@/db/workflows/decide";
import { undoWindowMs } from "@/lib/undo";
import { idempotencyKeyHeader } from "@/lib/webhook/outbound";

// Every desk instance drains the outbox (docs/loops.md#the-outbox-on-several-instances): three pools on one database
// stand for three instances, a fake platform counts the answers it receives by idempotency key.

const now = new Date("2026-11-24T08:00:00.000Z");
const at = (ms: number) => new Date(now.getTime() + ms);
const idle = { delivered: 0, retrying: 0, refused: 0, dead: 0 };

let dbs: Db[] = [];

beforeEach(async () => {
  const first = await openTestDb();
  dbs = [first, await openAnotherInstance(first), await openAnotherInstance(first)];
});
afterEach(async () => {
  if (dbs[0]) await closeTestDb(dbs[0]);
  dbs = [];
});

/** `count` approvals, final (and due) at `now`, to one shop with an endpoint and a secret; their idempotency keys. */
async function decideMany(count: number): Promise<string[]> {
  const [db] = dbs;
  const merchantId = await createMerchant(db, "木槿家居");
  const shopId = await createShop(db, { merchantId, platform: "tmall", name: "木槿家居旗舰店" });
  await rotateShopSecret(db, shopId, "whsec_outbox_instances", now);
  await setShopEndpoint(db, shopId, "https://platform.example/decisions", now);
  const owner = (await getScope(db, await createUser(db, { merchantId, name: "陈静", email: "chen@outbox.test", role: "owner" })))!;
  const keys: string[] = [];
  for (let i = 0; i < count; i++) {
    const platformOrderId = `77${String(i).padStart(10, "0")}`;
    const orderId = await createOrder(db, { shopId, platform: "tmall", platformOrderId });
    const requestId = await createRequest(db, { shopId, orderId, platform: "tmall", platformRequestId: `88${String(i).padStart(10, "0")}`, receivedAt: at(-600_000), kind: "refund_only" });
    expect((await decideRequest(db, owner, requestId, { decision: "approve" }, at(-undoWindowMs))).ok).toBe(true);
    keys.push(`dec_${requestId}`);
  }
  return keys.sort();
}

/** The platform's side: how many times each idempotency key arrived. */
function fakePlatform() {
  const calls = new Map<string, number>();
  const receive = (init: RequestInit | undefined) => {
    const key = (init?.headers as Record<string, string>)[idempotencyKeyHeader];
    calls.set(key, (calls.get(key) ?? 0) + 1);
  };
  // A send takes a moment, so the other instances' passes run while it is in flight
  const fetch: SenderDeps["fetch"] = async (_input, init) => {
    receive(init);
    await new Promise((resolve) => setTimeout(resolve, 1 + Math.floor(Math.random() * 3)));
    return new Response(null, { status: 200 });
  };
  return { calls, receive, fetch };
}

const deps = (fetch: SenderDeps["fetch"], clock = now): SenderDeps => ({ fetch, random: () => 0.5, now: () => clock, timeoutMs: 1_000 });

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

async function statuses(): Promise<string[]> {
  return (await dbs[0].select({ status: outbox.status }).from(outbox)).map((row) => row.status);
}

it("while one instance's sends are in flight, the others send the rest and none of its rows", async () => {
  const keys = await decideMany(30);
  const platform = fakePlatform();
  const held = gate();
  const allStarted = gate();
  let started = 0;
  // Instance 0's pass claims a batch of 20 and holds every send open
  const holding = deliverDueDecisions(
    dbs[0],
    deps(async (_input, init) => {
      platform.receive(init);
      if (++started === 20) allStarted.open();
      await held.opened;
      return new Response(null, { status: 200 });
    }),
  );
  await allStarted.opened;
  expect(await deliverDueDecisions(dbs[1], deps(platform.fetch))).toEqual({ ...idle, delivered: 10 });
  expect(await deliverDueDecisions(dbs[2], deps(platform.fetch))).toEqual(idle);
  held.open();
  expect(await holding).toEqual({ ...idle, delivered: 20 });
  expect([...platform.calls.keys()].sort()).toEqual(keys);
  expect([...platform.calls.values()].every((count) => count === 1)).toBe(true);
  expect(await statuses()).toEqual(keys.map(() => "delivered"));
});

it("a claim passes over the rows another instance's claim is locking at that moment, without waiting for it", async () => {
  await decideMany(25);
  const [locked, release] = [gate(), gate()];
  // Instance 0 stands in the middle of its claim: the first 20 rows locked, its transaction open
  const claiming = transact(dbs[0], async (tx) => {
    await skippingLocked(tx.select({ id: outbox.id }).from(outbox).orderBy(asc(outbox.id)).limit(20));
    locked.open();
    await release.opened;
  });
  await locked.opened;
  // Waiting for instance 0 instead would never end: it lets go only after this claim returns
  const claimed = await claimDueDeliveries(dbs[1], now, sendLeaseMs);
  release.open();
  await claiming;
  expect(claimed.map((row) => row.id)).toEqual([21, 22, 23, 24, 25]);
});

it("three instances passing at once until nothing is due deliver every answer exactly once", async () => {
  const keys = await decideMany(70);
  const platform = fakePlatform();
  const drain = async (db: Db) => {
    let delivered = 0;
    for (;;) {
      const result = await deliverDueDecisions(db, deps(platform.fetch));
      expect(result).toMatchObject({ retrying: 0, refused: 0, dead: 0 });
      if (result.delivered === 0) return delivered;
      delivered += result.delivered;
    }
  };
  const delivered = await Promise.all(dbs.map(drain));
  expect(delivered.reduce((sum, count) => sum + count, 0)).toBe(70);
  expect([...platform.calls.keys()].sort()).toEqual(keys);
  expect([...platform.calls.entries()].filter(([, count]) => count !== 1)).toEqual([]);
  expect(await statuses()).toEqual(keys.map(() => "delivered"));
});

it("a row claimed by an instance that died is sent by another once the lease runs out, and only then", async () => {
  const [key] = await decideMany(1);
  // Instance 0 claims the row and dies before sending it
  expect(await claimDueDeliveries(dbs[0], now, sendLeaseMs)).toHaveLength(1);
  const platform = fakePlatform();
  expect(await deliverDueDecisions(dbs[1], deps(platform.fetch, at(sendLeaseMs - 1)))).toEqual(idle);
  expect(await deliverDueDecisions(dbs[1], deps(platform.fetch, at(sendLeaseMs)))).toEqual({ ...idle, delivered: 1 });
  expect(await deliverDueDecisions(dbs[2], deps(platform.fetch, at(sendLeaseMs)))).toEqual(idle);
  expect([...platform.calls.entries()]).toEqual([[key, 1]]);
  expect(await statuses()).toEqual(["delivered"]);
});

it("a send that outlives its lease writes no failure over the row another instance has taken since", async () => {
  const [key] = await decideMany(1);
  const platform = fakePlatform();
  const heldSend = (started: ReturnType<typeof gate>, hold: ReturnType<typeof gate>, answer: () => Response): SenderDeps["fetch"] => async (_input, init) => {
    platform.receive(init);
    started.open();
    await hold.opened;
    return answer();
  };
  const [startedLate, holdLate, startedTaken, holdTaken] = [gate(), gate(), gate(), gate()];
  // Instance 0's send hangs past its lease; instance 1 takes the row then and is still sending it when 0's fails
  const late = deliverDueDecisions(dbs[0], deps(heldSend(startedLate, holdLate, () => { throw new TypeError("fetch failed"); })));
  await startedLate.opened;
  const taken = deliverDueDecisions(dbs[1], deps(heldSend(startedTaken, holdTaken, () => new Response(null, { status: 200 })), at(sendLeaseMs)));
  await startedTaken.opened;
  holdLate.open();
  expect(await late).toEqual({ ...idle, retrying: 1 });
  // Not written: a failed try would make the row due again within seconds, and a third instance would send it too
  const [row] = await dbs[0].select().from(outbox).where(eq(outbox.idempotencyKey, key));
  expect(row).toMatchObject({ status: "pending", attempts: 0, lastError: null, nextAttemptAt: at(2 * sendLeaseMs) });
  expect(await deliverDueDecisions(dbs[2], deps(platform.fetch, at(sendLeaseMs + 60_000)))).toEqual(idle);
  holdTaken.open();
  expect(await taken).toEqual({ ...idle, delivered: 1 });
  expect(platform.calls.get(key)).toBe(2);
  expect(await statuses()).toEqual(["delivered"]);
});
