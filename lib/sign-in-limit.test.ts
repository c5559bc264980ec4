import { describe, expect, it } from "vitest";
import { parseSignInPerMinute, SignInAddressLimit } from "@/lib/sign-in-limit";

const policy = { maxFailures: 30, windowMs: 60_000, maxKeys: 100 };
const t0 = Date.parse("2026-11-23T02:00:00.000Z");

function takeMany(limit: SignInAddressLimit, key: string, count: number, nowMs = t0): boolean[] {
  return Array.from({ length: count }, () => limit.take(key, nowMs));
}

describe("SignInAddressLimit", () => {
  it("takes 30 failed attempts from one address in a minute and refuses the 31st", () => {
    const limit = new SignInAddressLimit(policy);
    expect(takeMany(limit, "203.0.113.7", 30).every(Boolean)).toBe(true);
    expect(limit.take("203.0.113.7", t0 + 59_999)).toBe(false);
    // Another address has its own count
    expect(limit.take("203.0.113.8", t0)).toBe(true);
  });

  it("opens a new window a minute after the first attempt", () => {
    const limit = new SignInAddressLimit(policy);
    takeMany(limit, "203.0.113.7", 30);
    expect(limit.take("203.0.113.7", t0 + 60_000)).toBe(true);
    expect(takeMany(limit, "203.0.113.7", 29, t0 + 60_000).every(Boolean)).toBe(true);
    expect(limit.take("203.0.113.7", t0 + 60_001)).toBe(false);
  });

  it("does not count sign-ins that succeed: their attempt is given back", () => {
    const limit = new SignInAddressLimit(policy);
    for (let index = 0; index < 100; index++) {
      expect(limit.take("198.51.100.1", t0)).toBe(true);
      limit.giveBack("198.51.100.1");
    }
    expect(takeMany(limit, "198.51.100.1", 30).every(Boolean)).toBe(true);
    expect(limit.take("198.51.100.1", t0)).toBe(false);
  });

  it("counts a success's attempt only while it runs, so interleaving successes frees no failures", () => {
    const limit = new SignInAddressLimit(policy);
    for (let index = 0; index < 30; index++) {
      expect(limit.take("198.51.100.2", t0)).toBe(true); // a guess at someone else's password: fails
      if (index < 29) {
        expect(limit.take("198.51.100.2", t0)).toBe(true); // the attacker's own account: succeeds
        limit.giveBack("198.51.100.2");
      }
    }
    expect(limit.take("198.51.100.2", t0)).toBe(false);
  });

  it("keeps at most maxKeys addresses, dropping finished windows first", () => {
    const limit = new SignInAddressLimit({ ...policy, maxKeys: 3 });
    limit.take("a", t0);
    limit.take("b", t0 + 30_000);
    limit.take("c", t0 + 30_000);
    limit.take("d", t0 + 61_000); // a's window is over: a goes
    expect(limit.size).toBe(3);
    takeMany(limit, "b", 29, t0 + 61_000);
    expect(limit.take("b", t0 + 61_000)).toBe(false);
    limit.take("e", t0 + 62_000); // all live: the oldest (b) goes
    expect(limit.size).toBe(3);
    expect(limit.take("b", t0 + 62_000)).toBe(true);
  });
});

describe("parseSignInPerMinute", () => {
  it.each([
    [undefined, 30],
    ["", 30],
    ["0", 30],
    ["-5", 30],
    ["2.5", 30],
    ["abc", 30],
    ["1000", 1000],
    ["30", 30],
  ])("reads %j as %i", (value, count) => {
    expect(parseSignInPerMinute(value)).toBe(count);
  });
});
