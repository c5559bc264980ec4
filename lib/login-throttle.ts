// Slows password guessing per account: free tries first, then a lock that doubles with each failure.
export const loginThrottlePolicy = {
  freeFailures: 5,
  firstLockMs: 30_000,
  maxLockMs: 15 * 60_000,
  /** Failures older than this are forgotten. */
  resetAfterMs: 15 * 60_000,
} as const;

export type LoginThrottleState = { failures: number; lastFailureAt: Date; lockedUntil: Date | null };

export function isLoginLocked(state: LoginThrottleState | null, now: Date): boolean {
  return state?.lockedUntil != null && state.lockedUntil.getTime() > now.getTime();
}

export function recordLoginFailure(
  state: LoginThrottleState | null,
  now: Date,
  policy = loginThrottlePolicy,
): LoginThrottleState {
  const isStale = !state || now.getTime() - state.lastFailureAt.getTime() > policy.resetAfterMs;
  const failures = isStale ? 1 : state.failures + 1;
  const extra = failures - policy.freeFailures;
  const lockMs = extra > 0 ? Math.min(policy.firstLockMs * 2 ** (extra - 1), policy.maxLockMs) : 0;
  return { failures, lastFailureAt: now, lockedUntil: lockMs > 0 ? new Date(now.getTime() + lockMs) : null };
}
