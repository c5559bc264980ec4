import { describe, expect, it } from "vitest";
import { getOnlineCutoff, getPresence, isRowOnline, presenceGraceMs, presenceHeartbeatMs } from "@/lib/presence";

const now = new Date("2026-11-23T06:00:00.000Z");
const ago = (ms: number) => new Date(now.getTime() - ms);
const started = ago(3_600_000);

describe("isRowOnline", () => {
  it("counts a row with an open stream up to the grace window, boundary included", () => {
    expect(isRowOnline({ streams: 1, lastSeenAt: ago(presenceGraceMs) }, now)).toBe(true);
    expect(isRowOnline({ streams: 1, lastSeenAt: ago(presenceGraceMs + 1) }, now)).toBe(false);
    expect(isRowOnline({ streams: 3, lastSeenAt: now }, now)).toBe(true);
  });

  it("never counts a row whose streams all closed, however fresh", () => {
    expect(isRowOnline({ streams: 0, lastSeenAt: now }, now)).toBe(false);
  });

  it("takes its window from the caller", () => {
    expect(isRowOnline({ streams: 1, lastSeenAt: ago(1_001) }, now, 1_000)).toBe(false);
    expect(isRowOnline({ streams: 1, lastSeenAt: ago(1_000) }, now, 1_000)).toBe(true);
  });

  it("gives a heartbeat three chances before the grace runs out", () => {
    expect(presenceGraceMs).toBe(3 * presenceHeartbeatMs);
    expect(getOnlineCutoff(now).getTime()).toBe(now.getTime() - presenceGraceMs);
  });
});

describe("getPresence", () => {
  it("is online when any instance holds a fresh stream", () => {
    const rows = [
      { streams: 0, lastSeenAt: ago(5_000) },
      { streams: 1, lastSeenAt: ago(2_000) },
    ];
    expect(getPresence(rows, now, started)).toEqual({ isOnline: true, offlineSince: null });
  });

  it("is offline since the last close when every stream closed", () => {
    const rows = [
      { streams: 0, lastSeenAt: ago(90_000) },
      { streams: 0, lastSeenAt: ago(30_000) },
    ];
    expect(getPresence(rows, now, started)).toEqual({ isOnline: false, offlineSince: ago(30_000) });
  });

  it("is offline since the last heartbeat of an instance that stopped writing", () => {
    const rows = [{ streams: 2, lastSeenAt: ago(presenceGraceMs + 1) }];
    expect(getPresence(rows, now, started)).toEqual({ isOnline: false, offlineSince: ago(presenceGraceMs + 1) });
  });

  it("counts a user never seen as offline since the loops started", () => {
    expect(getPresence([], now, started)).toEqual({ isOnline: false, offlineSince: started });
  });
});
