import { describe, expect, it } from "vitest";
import { isClaimLapsed, pickAssignee, type AssignCandidate } from "@/lib/assignment";

const at = (minutes: number) => new Date(Date.UTC(2026, 10, 23, 6, minutes));
const agent = (userId: string, overrides: Partial<AssignCandidate> = {}): AssignCandidate => ({
  userId,
  isOnline: true,
  openClaims: 0,
  lastActiveAt: at(0),
  ...overrides,
});

describe("pickAssignee", () => {
  it("gives the card to the longest idle online agent", () => {
    expect(pickAssignee([agent("a", { lastActiveAt: at(30) }), agent("b", { lastActiveAt: at(10) }), agent("c", { lastActiveAt: null })], 5)).toBe("c");
    expect(pickAssignee([agent("a", { lastActiveAt: at(30) }), agent("b", { lastActiveAt: at(10) })], 5)).toBe("b");
  });

  it("never goes over the cap, and skips agents who are offline", () => {
    expect(pickAssignee([agent("a", { openClaims: 5, lastActiveAt: null }), agent("b", { openClaims: 4 })], 5)).toBe("b");
    expect(pickAssignee([agent("a", { openClaims: 5 }), agent("b", { isOnline: false })], 5)).toBeNull();
    expect(pickAssignee([], 5)).toBeNull();
  });

  it("breaks ties by fewer open claims, then by id, so it is deterministic", () => {
    expect(pickAssignee([agent("b", { openClaims: 2 }), agent("a", { openClaims: 3 })], 5)).toBe("b");
    expect(pickAssignee([agent("b"), agent("a")], 5)).toBe("a");
  });
});

describe("isClaimLapsed", () => {
  it.each([
    ["online", { isOnline: true, offlineSince: at(0) }, at(10), false],
    ["offline 59.999 s", { isOnline: false, offlineSince: at(0) }, new Date(at(0).getTime() + 59_999), false],
    ["offline exactly 60 s", { isOnline: false, offlineSince: at(0) }, new Date(at(0).getTime() + 60_000), true],
    ["never seen since the server started", { isOnline: false, offlineSince: null }, at(0), true],
  ])("%s → %s", (_label, presence, now, expected) => {
    expect(isClaimLapsed(presence, now)).toBe(expected);
  });

  it("counts from the claim when it was taken after the agent went offline", () => {
    const offline = { isOnline: false, offlineSince: at(0) };
    const claimedAt = at(5);
    expect(isClaimLapsed(offline, new Date(claimedAt.getTime() + 59_999), undefined, claimedAt)).toBe(false);
    expect(isClaimLapsed(offline, new Date(claimedAt.getTime() + 60_000), undefined, claimedAt)).toBe(true);
    expect(isClaimLapsed({ isOnline: false, offlineSince: null }, new Date(claimedAt.getTime() + 59_999), undefined, claimedAt)).toBe(false);
    // An older claim: the offline time rules
    expect(isClaimLapsed(offline, new Date(at(0).getTime() + 60_000), undefined, at(-10))).toBe(true);
  });
});
