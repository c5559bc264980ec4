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
  it("writes the user's count of open streams on each connect and close", () => {
    const { tracker, writes } = setUp();
    const leaveFirst = tracker.enter("usr_a");
    const leaveSecond = tracker.enter("usr_a");
    leaveFirst();
    leaveSecond();
    expect(writes).toEqual([[["usr_a", 1]], [["usr_a", 2]], [["usr_a", 1]], [["usr_a", 0]]]);
  });

  it("counts a stream's close once however often its cleanup runs", () => {
    const { tracker, writes } = setUp();
    tracker.enter("usr_a");
    const leave = tracker.enter("usr_a");
    leave();
    leave();
    tracker.beat();
    expect(writes.at(-1)).toEqual([["usr_a", 1]]);
  });

  it("rewrites every user with an open stream on each heartbeat, and nobody once all closed", () => {
    const { tracker, writes } = setUp();
    const leaveA = tracker.enter("usr_a");
    tracker.enter("usr_b");
    tracker.beat();
    expect(writes.at(-1)).toEqual([
      ["usr_a", 1],
      ["usr_b", 1],
    ]);
    leaveA();
    tracker.beat();
    expect(writes.at(-1)).toEqual([["usr_b", 1]]);
    const before = writes.length;
    new PresenceTracker((streams) => writes.push([...streams])).beat();
    expect(writes).toHaveLength(before);
  });

  it("logs a failed write instead of failing the stream (the next heartbeat writes again)", () => {
    const { tracker, errors } = setUp({ failWrites: true });
    expect(() => tracker.enter("usr_a")()).not.toThrow();
    expect(errors).toHaveLength(2);
  });
});
