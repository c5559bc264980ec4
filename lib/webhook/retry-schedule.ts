// Outbox retries: exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff
// And Jitter"). Full rather than decorrelated jitter because it needs only the attempt count the
// outbox row already keeps, not the previous delay.

export type RetrySchedule = { baseMs: number; capMs: number };

/** Our own defaults, not a platform's: at most ~37 min of waiting (half that on average) before the owner sees it. */
export const defaultRetrySchedule = { baseMs: 2_000, capMs: 10 * 60_000, maxAttempts: 12 } as const;

/** The window before jitter: baseMs · 2^(attempt − 1), never above capMs. */
export function getBackoffWindowMs(attempt: number, { baseMs, capMs }: RetrySchedule): number {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError(`attempt must be an integer ≥ 1, got ${attempt}`);
  // 2 ** large is Infinity, which Math.min turns into the cap
  return Math.min(capMs, baseMs * 2 ** (attempt - 1));
}

/**
 * Delay before the next try after `attempt` failed tries: a whole number of ms drawn uniformly
 * from [0, window), so senders that failed together do not retry together.
 */
export function getNextAttemptDelayMs(attempt: number, random: () => number, schedule: RetrySchedule): number {
  const windowMs = getBackoffWindowMs(attempt, schedule);
  // Clamped so a random() that returns 1 (outside its contract) cannot reach the window
  return Math.max(0, Math.min(windowMs - 1, Math.floor(random() * windowMs)));
}

/** After maxAttempts failed tries the row is parked for the owner, who can retry it by hand. */
export function isDeadLetter(attempts: number, maxAttempts: number): boolean {
  return attempts >= maxAttempts;
}
