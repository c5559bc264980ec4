import { describe, expect, it } from "vitest";
import { getPolicyProfile } from "@/lib/policy/profiles";
import { formatClock, getReplyClock, getRespondBy } from "@/lib/response-timer";

const policy = getPolicyProfile("taobao");
const receivedAt = new Date("2026-11-23T06:00:00.000Z");
const respondBy = getRespondBy(policy, receivedAt);

describe("getRespondBy", () => {
  it("is received time + 180 s", () => {
    expect(respondBy.toISOString()).toBe("2026-11-23T06:03:00.000Z");
  });
});

describe("getReplyClock", () => {
  it.each([
    ["just received", 0, "normal", 180_000],
    ["one ms before the warning mark", 119_999, "normal", 60_001],
    ["exactly the warning mark", 120_000, "warning", 60_000],
    ["exactly 3:00", 180_000, "warning", 0],
    ["one ms past 3:00", 180_001, "overdue", -1],
    ["42 s late", 222_000, "overdue", -42_000],
  ] as const)("%s", (_label, elapsedMs, state, remainingMs) => {
    const now = new Date(receivedAt.getTime() + elapsedMs);
    expect(getReplyClock(policy, { respondBy }, now)).toEqual({ state, remainingMs });
  });
});

describe("formatClock", () => {
  it.each([
    [134_000, "2:14"],
    [134_999, "2:14"],
    [0, "0:00"],
    [-42_000, "0:42"],
    [-(3600_000 + 65_000), "1:01:05"],
  ])("%i ms → %s", (ms, text) => {
    expect(formatClock(ms)).toBe(text);
  });
});
