// Per client address: how many sign-ins may fail in a minute (AUTH_SIGN_IN_PER_MINUTE). An attempt is taken
// before its password is checked and given back when it succeeds, so what counts is failures plus attempts
// still running: parallel guesses cannot overshoot, and colleagues behind one office address signing in
// correctly never use it up. In memory, one process (as better-auth's own limiter). docs/security.md

export type SignInLimitPolicy = { maxFailures: number; windowMs: number; maxKeys: number };

export const defaultSignInLimitPolicy: SignInLimitPolicy = { maxFailures: 30, windowMs: 60_000, maxKeys: 100_000 };

/** AUTH_SIGN_IN_PER_MINUTE as a count; anything but a positive integer → the default. */
export function parseSignInPerMinute(value: string | undefined): number {
  const count = Number(value);
  return Number.isSafeInteger(count) && count > 0 ? count : defaultSignInLimitPolicy.maxFailures;
}

type Window = { count: number; startedAt: number };

export class SignInAddressLimit {
  private readonly windows = new Map<string, Window>();

  constructor(private readonly policy: SignInLimitPolicy = defaultSignInLimitPolicy) {}

  /** Takes one attempt for `key` at `nowMs`; false (nothing taken) when the key's window is full. */
  take(key: string, nowMs: number): boolean {
    const window = this.windows.get(key);
    if (window && nowMs - window.startedAt < this.policy.windowMs) {
      if (window.count >= this.policy.maxFailures) return false;
      window.count += 1;
      return true;
    }
    this.windows.delete(key);
    this.makeRoom(nowMs);
    this.windows.set(key, { count: 1, startedAt: nowMs });
    return true;
  }

  /** Gives back the attempt of a sign-in that succeeded. */
  giveBack(key: string): void {
    const window = this.windows.get(key);
    if (window && window.count > 0) window.count -= 1;
  }

  get size(): number {
    return this.windows.size;
  }

  private makeRoom(nowMs: number) {
    if (this.windows.size < this.policy.maxKeys) return;
    for (const [key, window] of this.windows) if (nowMs - window.startedAt >= this.policy.windowMs) this.windows.delete(key);
    // Still full of live windows: the oldest go first (a Map iterates in insertion order)
    for (const key of this.windows.keys()) {
      if (this.windows.size < this.policy.maxKeys) break;
      this.windows.delete(key);
    }
  }
}
