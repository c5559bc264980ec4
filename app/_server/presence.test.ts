import { describe, expect, it } from "vitest";
import { PresenceTracker } from "@/app/_server/presence";

const now = new Date("2026-11-23T06:00:00.000Z");

function setUp(options: { failWrites?: boolean } = {}) {
  const writes: [string, number][][] = [];
  const errors: unknown[] = [];
  const tracker = new PresenceTracker(
    (streamsByUser) => {
      if (options.failWrites) throw new Error("database is locked");
      writes.push([...streamsByUser]);
    },
    { now: () => now, logError: (...values) => errors.push(values) },
  );
  return { tracker, writes, errors };
}

describe("PresenceTracker", () => {
  it("writes the user's count of open streams on each connect and close", async () => {
    const { tracker, writes } = setUp();
    const leaveFirst = await tracker.enter("usr_a");
    const leaveSecond = await tracker.enter("usr_a");
    leaveFirst();
    leaveSecond();
    expect(writes).toEqual([[["usr_a", 1]], [["usr_a", 2]], [["usr_a", 1]], [["usr_a", 0]]]);
  });

  it("counts a stream's close once however often its cleanup runs", async () => {
    const { tracker, writes } = setUp();
    await tracker.enter("usr_a");
    const leave = await tracker.enter("usr_a");
    leave();
    leave();
    await tracker.beat();
    expect(writes.at(-1)).toEqual([["usr_a", 1]]);
  });

  it("rewrites every user with an open stream on each heartbeat, and nobody once all closed", async () => {
    const { tracker, writes } = setUp();
    const leaveA = await tracker.enter("usr_a");
    await tracker.enter("usr_b");
    await tracker.beat();
    expect(writes.at(-1)).toEqual([
      ["usr_a", 1],
      ["usr_b", 1],
    ]);
    leaveA();
    await tracker.beat();
    expect(writes.at(-1)).toEqual([["usr_b", 1]]);
    const before = writes.length;
    await new PresenceTracker((streams) => void writes.push([...streams])).beat();
    expect(writes).toHaveLength(before);
  });

  it("logs a failed write instead of failing the stream (the next heartbeat writes again)", async () => {
    const { tracker, errors } = setUp({ failWrites: true });
    const leave = await tracker.enter("usr_a");
    expect(() => leave()).not.toThrow();
    await expect.poll(() => errors.length).toBe(2);
  });
});
