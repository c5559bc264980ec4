import { describe, expect, it } from "vitest";
import { isLoginLocked, loginThrottlePolicy, recordLoginFailure, type LoginThrottleState } from "@/lib/login-throttle";

const t0 = new Date("2026-11-23T02:00:00.000Z");
const at = (ms: number) => new Date(t0.getTime() + ms);

function failTimes(count: number): LoginThrottleState | null {
  let state: LoginThrottleState | null = null;
  for (let i = 0; i < count; i++) state = recordLoginFailure(state, at(i * 1000));
  return state;
}

describe("recordLoginFailure", () => {
  it.each([1, 2, 3, 4])("leaves the account open after %i failures", (count) => {
    const state = failTimes(count);
    expect(state?.failures).toBe(count);
    expect(state?.lockedUntil).toBeNull();
  });

  it.each([
    [5, 30_000],
    [6, 60_000],
    [7, 120_000],
    [10, 15 * 60_000],
    [12, 15 * 60_000],
  ])("after %i failures locks for %i ms", (count, lockMs) => {
    const state = failTimes(count)!;
    expect(state.lockedUntil!.getTime() - state.lastFailureAt.getTime()).toBe(lockMs);
  });

  it("forgets failures older than the reset window", () => {
    const old = failTimes(8)!;
    const later = new Date(old.lastFailureAt.getTime() + loginThrottlePolicy.resetAfterMs + 1);
    expect(recordLoginFailure(old, later)).toEqual({ failures: 1, lastFailureAt: later, lockedUntil: null });
  });
});

describe("isLoginLocked", () => {
  const state = failTimes(5)!;
  it("is not locked after four failures, and locked by the fifth", () => {
    expect(isLoginLocked(failTimes(4), at(4_000))).toBe(false);
    expect(isLoginLocked(state, state.lastFailureAt)).toBe(true);
  });

  it("is locked until the lock ends, and free at that instant", () => {
    expect(isLoginLocked(state, new Date(state.lockedUntil!.getTime() - 1))).toBe(true);
    expect(isLoginLocked(state, state.lockedUntil!)).toBe(false);
    expect(isLoginLocked(null, t0)).toBe(false);
  });
});
