import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { createMerchant, createOrder, createRequest, createShop, createUser } from "@/db/factories";
import { claimRequest, releaseClaim } from "@/db/queries/claims";
import { writePresence } from "@/db/queries/presence";
import { getScope, setShopAssignment, type Scope } from "@/db/queries/users";
import { auditLog, requests } from "@/db/schema";
import { assignWindowMs, releaseLapsedClaimsNow, sweepAutoAssignments } from "@/db/workflows/assignment";
import { closeTestDb, openTestDb } from "@/db/test-db";
import { presenceGraceMs } from "@/lib/presence";

const now = new Date("2026-11-23T06:00:00.000Z");
const later = (ms: number) => new Date(now.getTime() + ms);

type Fixture = { db: Db; shopId: string; owner: Scope; wang: Scope; zhao: Scope; li: Scope };

async function setUp(db: Db): Promise<Fixture> {
  const merchantId = await createMerchant(db, "A");
  const shopId = await createShop(db, { merchantId, platform: "tmall", name: "天猫店" });
  const otherShop = await createShop(db, { merchantId, platform: "douyin", name: "抖音店" });
  const scope = async (name: string, email: string, role: "owner" | "agent", shopIds?: string[]) => (await getScope(db, await createUser(db, { merchantId, name, email, role, shopIds })))!;
  return {
    db,
    shopId,
    owner: await scope("陈静", "o@a.test", "owner"),
    wang: await scope("王芳", "w@a.test", "agent"),
    zhao: await scope("赵强", "z@a.test", "agent"),
    li: await scope("李雷", "l@a.test", "agent", [otherShop]),
  };
}

/** A card as ingest stores it: the request and its "received" audit row at `arrivedAt`. */
async function arrive(f: Fixture, arrivedAt = now): Promise<string> {
  const orderId = await createOrder(f.db, { shopId: f.shopId, platform: "tmall" });
  const id = await createRequest(f.db, { shopId: f.shopId, orderId, platform: "tmall", receivedAt: new Date(arrivedAt.getTime() - 3_600_000) });
  await f.db.insert(auditLog).values({ shopId: f.shopId, requestId: id, orderId, action: "received", toStatus: "pending", at: arrivedAt });
  return id;
}

const online = async (f: Fixture, users: Scope[], at = now, instanceId = "ins_a") => writePresence(f.db, instanceId, new Map(users.map((user) => [user.userId, 1])), at);
const claimedBy = async (f: Fixture, id: string) => (await f.db.select().from(requests).where(eq(requests.id, id)))[0].claimedBy;
const autoAssigned = async (f: Fixture) => (await f.db.select().from(auditLog).where(eq(auditLog.action, "assigned"))).length;

describe("the assignment sweep", () => {
  let f: Fixture;

  beforeEach(async () => {
    f = await setUp(await openTestDb());
    await setShopAssignment(f.db, f.owner.merchantId, f.shopId, { autoAssign: true, cap: 2 }, later(-60_000));
  });
  afterEach(async () => closeTestDb(f.db));

  it("hands new cards to online agents in turn, in arrival order, never over the cap, never to agents of other shops", async () => {
    const cards = [];
    for (let index = 0; index < 5; index++) cards.push(await arrive(f, later(index)));
    await online(f, [f.wang, f.zhao, f.li]);
    expect(await sweepAutoAssignments(f.db, later(1_000))).toEqual({ assigned: 4, failed: 0 });
    const holders = await Promise.all(cards.map((id) => claimedBy(f, id)));
    expect(holders.slice(0, 4).sort()).toEqual([f.wang.userId, f.wang.userId, f.zhao.userId, f.zhao.userId].sort());
    expect(holders[0]).not.toBe(holders[1]);
    expect(holders[4]).toBeNull();
    const [audit] = await f.db.select().from(auditLog).where(and(eq(auditLog.requestId, cards[0]), eq(auditLog.action, "assigned")));
    expect(audit).toMatchObject({ actorId: null, detail: { to: holders[0], auto: true } });
  });

  it("is idempotent: a second pass over the same cards changes nothing", async () => {
    for (let index = 0; index < 3; index++) await arrive(f);
    await online(f, [f.wang]);
    expect((await sweepAutoAssignments(f.db, later(1_000))).assigned).toBe(2);
    expect(await sweepAutoAssignments(f.db, later(2_000))).toEqual({ assigned: 0, failed: 0 });
    expect(await autoAssigned(f)).toBe(2);
  });

  it("gives a card that found nobody to the first agent who comes online within the window", async () => {
    const id = await arrive(f);
    expect(await sweepAutoAssignments(f.db, later(1_000))).toEqual({ assigned: 0, failed: 0 });
    await online(f, [f.zhao], later(2_000));
    expect((await sweepAutoAssignments(f.db, later(2_000))).assigned).toBe(1);
    expect(await claimedBy(f, id)).toBe(f.zhao.userId);
  });

  it("leaves a card in the shared queue once it arrived longer ago than the window", async () => {
    const id = await arrive(f);
    await online(f, [f.wang], later(assignWindowMs + 1));
    expect((await sweepAutoAssignments(f.db, later(assignWindowMs + 1))).assigned).toBe(0);
    await online(f, [f.wang], later(assignWindowMs));
    expect((await sweepAutoAssignments(f.db, later(assignWindowMs))).assigned).toBe(1);
    expect(await claimedBy(f, id)).toBe(f.wang.userId);
  });

  it("counts only fresh presence: an instance that stopped writing holds nobody online", async () => {
    await arrive(f);
    await online(f, [f.wang], later(-presenceGraceMs - 1));
    expect((await sweepAutoAssignments(f.db, now)).assigned).toBe(0);
    await writePresence(f.db, "ins_a", new Map([[f.wang.userId, 0]]), now);
    expect((await sweepAutoAssignments(f.db, now)).assigned).toBe(0);
    await online(f, [f.wang], now, "ins_b");
    expect((await sweepAutoAssignments(f.db, now)).assigned).toBe(1);
  });

  it("never hands out cards of a shop without auto-assignment, or that arrived before it was turned on", async () => {
    const before = await arrive(f, later(-120_000));
    await online(f, [f.wang]);
    expect((await sweepAutoAssignments(f.db, now)).assigned).toBe(0);
    await setShopAssignment(f.db, f.owner.merchantId, f.shopId, { autoAssign: false, cap: 2 }, now);
    const whileOff = await arrive(f);
    expect((await sweepAutoAssignments(f.db, now)).assigned).toBe(0);
    // Turned on again: only what arrives from then on
    await setShopAssignment(f.db, f.owner.merchantId, f.shopId, { autoAssign: true, cap: 2 }, later(1));
    const after = await arrive(f, later(2));
    expect((await sweepAutoAssignments(f.db, later(3))).assigned).toBe(1);
    expect([await claimedBy(f, before), await claimedBy(f, whileOff), await claimedBy(f, after)]).toEqual([null, null, f.wang.userId]);
  });

  it("saving the settings again keeps the time auto-assignment was first turned on", async () => {
    const id = await arrive(f, later(-30_000));
    await setShopAssignment(f.db, f.owner.merchantId, f.shopId, { autoAssign: true, cap: 3 }, now);
    await online(f, [f.wang]);
    expect((await sweepAutoAssignments(f.db, now)).assigned).toBe(1);
    expect(await claimedBy(f, id)).toBe(f.wang.userId);
  });

  it("leaves alone a card a person claimed or gave back, and one decided meanwhile", async () => {
    const released = await arrive(f);
    const claimed = await arrive(f);
    await claimRequest(f.db, f.zhao, released, now);
    await releaseClaim(f.db, f.zhao, released, now);
    await claimRequest(f.db, f.zhao, claimed, now);
    const decided = await arrive(f);
    await f.db.update(requests).set({ status: "approved" }).where(eq(requests.id, decided));
    await online(f, [f.wang]);
    expect((await sweepAutoAssignments(f.db, later(1_000))).assigned).toBe(0);
    expect([await claimedBy(f, released), await claimedBy(f, claimed), await claimedBy(f, decided)]).toEqual([null, f.zhao.userId, null]);
  });
});

describe("the claim lapse", () => {
  let f: Fixture;
  let id: string;

  beforeEach(async () => {
    f = await setUp(await openTestDb());
    id = await arrive(f);
    await claimRequest(f.db, f.wang, id, later(-120_000));
  });
  afterEach(async () => closeTestDb(f.db));

  it("gives back the claim of an agent never seen once 60 s passed since the loops started", async () => {
    expect(await releaseLapsedClaimsNow(f.db, now, later(-59_999))).toBe(0);
    expect(await releaseLapsedClaimsNow(f.db, now, later(-60_000))).toBe(1);
    expect(await claimedBy(f, id)).toBeNull();
    expect(await f.db.select().from(auditLog).where(and(eq(auditLog.requestId, id), eq(auditLog.action, "claim_lapsed")))).toHaveLength(1);
  });

  it("keeps the claim of an agent online on any instance, and counts offline time from the last close", async () => {
    const started = later(-3_600_000);
    await writePresence(f.db, "ins_a", new Map([[f.wang.userId, 0]]), later(-70_000));
    await writePresence(f.db, "ins_b", new Map([[f.wang.userId, 1]]), later(-1_000));
    expect(await releaseLapsedClaimsNow(f.db, now, started)).toBe(0);
    await writePresence(f.db, "ins_b", new Map([[f.wang.userId, 0]]), later(-59_999));
    expect(await releaseLapsedClaimsNow(f.db, now, started)).toBe(0);
    expect(await releaseLapsedClaimsNow(f.db, later(1), started)).toBe(1);
  });

  it("gives a claim taken without a live connection its full 60 s from the claim", async () => {
    const fresh = await arrive(f);
    await claimRequest(f.db, f.zhao, fresh, later(-59_999));
    expect(await releaseLapsedClaimsNow(f.db, now, later(-3_600_000))).toBe(1);
    expect([await claimedBy(f, id), await claimedBy(f, fresh)]).toEqual([null, f.zhao.userId]);
    expect(await releaseLapsedClaimsNow(f.db, later(1), later(-3_600_000))).toBe(1);
    expect(await claimedBy(f, fresh)).toBeNull();
  });

  it("leaves a lapsed card in the shared queue: the sweep does not hand it out again", async () => {
    await setShopAssignment(f.db, f.owner.merchantId, f.shopId, { autoAssign: true, cap: 5 }, later(-60_000));
    expect(await releaseLapsedClaimsNow(f.db, now, later(-60_000))).toBe(1);
    await online(f, [f.zhao]);
    expect((await sweepAutoAssignments(f.db, now)).assigned).toBe(0);
    expect(await claimedBy(f, id)).toBeNull();
  });
});
