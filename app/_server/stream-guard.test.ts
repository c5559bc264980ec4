import { beforeEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { StreamGuard, streamCheckMs, type GuardTimers } from "@/app/_server/stream-guard";
import { type Db } from "@/db/client";
import { openTestDbForTest } from "@/db/test-db";
import { createMerchant, createShop, createUser } from "@/db/factories";
import { revokeUserSessions } from "@/db/queries/users";
import { listStreamAccess } from "@/db/queries/stream-access";
import { sessions, shopAccess, shops } from "@/db/schema";
import { newId } from "@/lib/ids";

const t0 = new Date("2026-11-23T06:00:00.000Z");

/** A clock and timers the test moves by hand; `settle` is what a check waits for (its database read). */
function fakeTime(settle: () => Promise<unknown> = async () => undefined) {
  let nowMs = t0.getTime();
  const pending = new Map<number, { at: number; run: () => void }>();
  let nextId = 1;
  const timers: GuardTimers = {
    setTimeout: (run, ms) => {
      const id = nextId++;
      pending.set(id, { at: nowMs + ms, run });
      return id;
    },
    clearTimeout: (handle) => void pending.delete(handle as number),
  };
  /** Moves the clock, running each timer due on the way and letting the check it starts finish (it reads the database). */
  const advance = async (ms: number) => {
    const until = nowMs + ms;
    for (;;) {
      const due = [...pending.entries()].filter(([, timer]) => timer.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      pending.delete(due[0]);
      nowMs = due[1].at;
      due[1].run();
      // The check starts its read on this turn; the read takes one turn on SQLite, round trips on PostgreSQL
      await new Promise((resolve) => setImmediate(resolve));
      await settle();
      await new Promise((resolve) => setImmediate(resolve));
    }
    nowMs = until;
  };
  return { now: () => new Date(nowMs), timers, advance, pendingCount: () => pending.size };
}

describe("stream guard over the database", () => {
  let db: Db;
  let merchantId: string;
  let tmall: string;
  let douyin: string;
  let agent: string;
  let owner: string;
  let time: ReturnType<typeof fakeTime>;
  let guard: StreamGuard;
  let loads: number;
  let reading: Promise<unknown>;

  async function signIn(userId: string, expiresInMs = 7 * 24 * 3_600_000) {
    const token = newId("usr");
    await db.insert(sessions).values({ id: newId("usr"), token, userId, expiresAt: new Date(t0.getTime() + expiresInMs) });
    return token;
  }

  /** An open stream as the route registers it; `closedAt` says when the guard ended it. */
  function openStream(token: string, userId: string, shopIds: string[]) {
    const stream = { closedAt: null as number | null };
    guard.watch({ token, userId, shopIds: new Set(shopIds), close: () => (stream.closedAt = time.now().getTime()) });
    return stream;
  }

  beforeEach(async () => {
    db = await openTestDbForTest();
    merchantId = await createMerchant(db, "A");
    tmall = await createShop(db, { merchantId, platform: "tmall", name: "天猫店" });
    douyin = await createShop(db, { merchantId, platform: "douyin", name: "抖音店" });
    agent = await createUser(db, { merchantId, name: "李雷", email: "l@a.test", role: "agent", shopIds: [tmall] });
    owner = await createUser(db, { merchantId, name: "陈静", email: "o@a.test", role: "owner" });
    reading = Promise.resolve();
    time = fakeTime(() => reading.catch(() => undefined));
    loads = 0;
    guard = new StreamGuard({
      loadAccess: async (tokens, now) => {
        loads += 1;
        const read = listStreamAccess(db, tokens, now);
        reading = read;
        return await read;
      },
      now: time.now,
      timers: time.timers,
    });
  });

  it("checks at most every 5 s", () => {
    expect(streamCheckMs).toBeLessThanOrEqual(5_000);
  });

  it("closes a signed-out session's stream within one check interval, and leaves the others open", async () => {
    const token = await signIn(agent);
    const other = await signIn(agent);
    const stream = openStream(token, agent, [tmall]);
    const otherStream = openStream(other, agent, [tmall]);
    await time.advance(streamCheckMs);
    expect(stream.closedAt).toBeNull();
    // Signed out elsewhere (better-auth deletes the session row), just after a check
    await time.advance(1);
    const signedOutAt = time.now().getTime();
    await db.delete(sessions).where(eq(sessions.token, token));
    await time.advance(streamCheckMs);
    expect(stream.closedAt).not.toBeNull();
    expect(stream.closedAt! - signedOutAt).toBeLessThanOrEqual(streamCheckMs);
    expect(otherStream.closedAt).toBeNull();
    expect(guard.size).toBe(1);
  });

  it("reads every open stream in one query per check", async () => {
    for (let index = 0; index < 20; index++) openStream(await signIn(owner), owner, [tmall, douyin]);
    await time.advance(streamCheckMs * 3);
    expect(loads).toBe(3);
    expect(guard.size).toBe(20);
  });

  it("closes a force-signed-out user's streams at once, and every stream at the next check", async () => {
    const first = openStream(await signIn(agent), agent, [tmall]);
    const second = openStream(await signIn(agent), agent, [tmall]);
    const owners = openStream(await signIn(owner), owner, [tmall, douyin]);
    // The team route's DELETE: the rows go, and the route tells the guard
    await revokeUserSessions(db, merchantId, agent);
    guard.closeUser(agent);
    expect([first.closedAt, second.closedAt]).toEqual([t0.getTime(), t0.getTime()]);
    expect(owners.closedAt).toBeNull();
    // Without the route's word (another process revoked them) the next check ends them too
    const third = openStream(await signIn(agent), agent, [tmall]);
    await revokeUserSessions(db, merchantId, agent);
    await time.advance(streamCheckMs);
    expect(third.closedAt).toBe(t0.getTime() + streamCheckMs);
    expect(owners.closedAt).toBeNull();
  });

  it("closes a sign-out's own stream at once", async () => {
    const token = await signIn(agent);
    const stream = openStream(token, agent, [tmall]);
    const other = openStream(await signIn(agent), agent, [tmall]);
    guard.closeSessions([token]);
    expect(stream.closedAt).toBe(t0.getTime());
    expect(other.closedAt).toBeNull();
  });

  it.each([
    ["a shop taken away", async (db: Db, ids: { agent: string; tmall: string; douyin: string }) => void (await db.delete(shopAccess).where(eq(shopAccess.userId, ids.agent)))],
    ["a shop given", async (db: Db, ids: { agent: string; tmall: string; douyin: string }) => void (await db.insert(shopAccess).values({ userId: ids.agent, shopId: ids.douyin }))],
    ["the shop deleted", async (db: Db, ids: { agent: string; tmall: string; douyin: string }) => void (await db.delete(shops).where(eq(shops.id, ids.tmall)))],
  ])("closes the stream at the next check after %s", async (_label, change) => {
    const stream = openStream(await signIn(agent), agent, [tmall]);
    await change(db, { agent, tmall, douyin });
    await time.advance(streamCheckMs - 1);
    expect(stream.closedAt).toBeNull();
    await time.advance(1);
    expect(stream.closedAt).toBe(t0.getTime() + streamCheckMs);
  });

  it("closes a stream whose session expired", async () => {
    const stream = openStream(await signIn(agent, 3_000), agent, [tmall]);
    await time.advance(streamCheckMs);
    expect(stream.closedAt).toBeNull();
    await time.advance(streamCheckMs);
    expect(stream.closedAt).toBe(t0.getTime() + 2 * streamCheckMs);
  });

  it("stops checking when the last stream goes, and starts again with the next", async () => {
    const token = await signIn(agent);
    const stop = guard.watch({ token, userId: agent, shopIds: new Set([tmall]), close: () => {} });
    expect(time.pendingCount()).toBe(1);
    stop();
    expect(time.pendingCount()).toBe(0);
    await time.advance(streamCheckMs * 5);
    expect(loads).toBe(0);
    openStream(token, agent, [tmall]);
    await time.advance(streamCheckMs);
    expect(loads).toBe(1);
  });

  it("ends every stream when the check itself fails", async () => {
    const errors: unknown[] = [];
    const failing = new StreamGuard({
      loadAccess: () => {
        throw new Error("disk I/O error");
      },
      now: time.now,
      timers: time.timers,
      logError: (...values) => errors.push(values),
    });
    let closed = 0;
    failing.watch({ token: "t1", userId: agent, shopIds: new Set([tmall]), close: () => (closed += 1) });
    failing.watch({ token: "t2", userId: owner, shopIds: new Set([tmall]), close: () => (closed += 1) });
    await time.advance(streamCheckMs);
    expect(closed).toBe(2);
    expect(errors).toHaveLength(1);
    expect(failing.size).toBe(0);
  });
});

describe("listStreamAccess", () => {
  it("answers the shops per live token, none for an unknown or expired one, in one call", async () => {
    const db = await openTestDbForTest();
    const merchantId = await createMerchant(db, "A");
    const otherMerchant = await createMerchant(db, "B");
    const tmall = await createShop(db, { merchantId, platform: "tmall", name: "天猫店" });
    const douyin = await createShop(db, { merchantId, platform: "douyin", name: "抖音店" });
    await createShop(db, { merchantId: otherMerchant, platform: "taobao", name: "B 的店" });
    const owner = await createUser(db, { merchantId, name: "陈静", email: "o@a.test", role: "owner" });
    const agent = await createUser(db, { merchantId, name: "李雷", email: "l@a.test", role: "agent", shopIds: [douyin] });
    const none = await createUser(db, { merchantId, name: "新人", email: "n@a.test", role: "agent", shopIds: [] });
    const rows = [
      ["owner-token", owner, 60_000],
      ["agent-token", agent, 60_000],
      ["none-token", none, 60_000],
      ["expired-token", agent, -1],
    ] as const;
    for (const [token, userId, expiresInMs] of rows) {
      await db.insert(sessions).values({ id: newId("usr"), token, userId, expiresAt: new Date(t0.getTime() + expiresInMs) });
    }
    const access = await listStreamAccess(db, ["owner-token", "agent-token", "none-token", "expired-token", "unknown-token", "agent-token"], t0);
    expect(Object.fromEntries([...access].map(([token, shopIds]) => [token, [...shopIds].sort()]))).toEqual({
      "owner-token": [tmall, douyin].sort(),
      "agent-token": [douyin],
      "none-token": [],
    });
    expect((await listStreamAccess(db, [], t0)).size).toBe(0);
  });
});
