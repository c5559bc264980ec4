import { afterEach, describe, expect, it, vi } from "vitest";
import { openTestDbForTest } from "@/db/test-db";
import { createMerchant, createOrder, createRequest, createShop, createUser } from "@/db/factories";
import { writePresence } from "@/db/queries/presence";
import { setShopAssignment } from "@/db/queries/users";
import { auditLog, requests } from "@/db/schema";
import { PresenceTracker } from "@/app/_server/presence";
import { manualTimers } from "@/app/_server/loop.fixture";

// The loops module starts the platform loops too; they stay off here (platformLoops: false)
vi.mock("server-only", () => ({}));
const { loopPeriods, startBackgroundLoops } = await import("@/app/_server/loops");

const now = new Date("2026-11-23T06:00:00.000Z");

let stop = () => {};
afterEach(() => stop());

describe("startBackgroundLoops", () => {
  it("starts presence, assignment and claim lapse with their periods, once per process, and stops them", async () => {
    const { timers, pending } = manualTimers();
    const db = await openTestDbForTest();
    const logs: string[] = [];
    const started = startBackgroundLoops(() => db, { timers, platformLoops: false, presence: new PresenceTracker(() => undefined), log: (line) => logs.push(line) });
    stop = started.stop;
    expect(started.loops).toEqual([
      { name: "presence", everyMs: loopPeriods.presenceHeartbeat },
      { name: "assignment", everyMs: loopPeriods.assignmentSweep },
      { name: "claim-lapse", everyMs: loopPeriods.claimLapse },
    ]);
    expect(logs).toEqual([`[loops] started: presence every 5000 ms, assignment every 1000 ms, claim-lapse every 10000 ms`]);
    expect(startBackgroundLoops(() => db)).toBe(started);
    expect(pending.size).toBe(3);
    started.stop();
    expect(pending.size).toBe(0);
  });

  it("assigns a new card on the sweep's next pass with no live stream in this process", async () => {
    const { timers, fire } = manualTimers();
    const db = await openTestDbForTest();
    const merchantId = await createMerchant(db, "A");
    const shopId = await createShop(db, { merchantId, platform: "tmall", name: "天猫店" });
    const agent = await createUser(db, { merchantId, name: "王芳", email: "w@a.test", role: "agent" });
    await setShopAssignment(db, merchantId, shopId, { autoAssign: true, cap: 2 }, new Date(now.getTime() - 60_000));
    // Online through another instance's row
    await writePresence(db, "ins_other", new Map([[agent, 1]]), now);
    const orderId = await createOrder(db, { shopId, platform: "tmall" });
    const id = await createRequest(db, { shopId, orderId, platform: "tmall", receivedAt: now });
    await db.insert(auditLog).values({ shopId, requestId: id, orderId, action: "received", toStatus: "pending", at: now });
    stop = startBackgroundLoops(() => db, { timers, now: () => now, platformLoops: false, presence: new PresenceTracker(() => undefined), log: () => undefined, periods: { assignmentSweep: 7 } }).stop;
    await fire(7);
    const [row] = await db.select({ claimedBy: requests.claimedBy }).from(requests);
    expect(row.claimedBy).toBe(agent);
  });
});
