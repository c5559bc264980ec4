// Slows password guessing per account: the fifth failure in a row locks the account, and each failure
// after that doubles the lock.
export const loginThrottlePolicy = {
  /** The failure that starts the lock (README: "5 failures on one email ... lock it"). */
  lockAtFailure: 5,
  firstLockMs: 30_000,
  maxLockMs: 15 * 60_000,
  /** Failures older than this are forgotten. */
  resetAfterMs: 15 * 60_000,
} as const;

export type LoginThrottlePolicy = { lockAtFailure: number; firstLockMs: number; maxLockMs: number; resetAfterMs: number };

export type LoginThrottleState = { failures: number; lastFailureAt: Date; lockedUntil: Date | null };

export function isLoginLocked(state: LoginThrottleState | null, now: Date): boolean {
  return state?.lockedUntil != null && state.lockedUntil.getTime() > now.getTime();
}

export function recordLoginFailure(
  state: LoginThrottleState | null,
  now: Date,
  policy: LoginThrottlePolicy = loginThrottlePolicy,
): LoginThrottleState {
  const isStale = !state || now.getTime() - state.lastFailureAt.getTime() > policy.resetAfterMs;
  const failures = isStale ? 1 : state.failures + 1;
  const doublings = failures - policy.lockAtFailure;
  const lockMs = doublings >= 0 ? Math.min(policy.firstLockMs * 2 ** doublings, policy.maxLockMs) : 0;
  return { failures, lastFailureAt: now, lockedUntil: lockMs > 0 ? new Date(now.getTime() + lockMs) : null };
}
