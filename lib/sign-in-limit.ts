// Per client address: how many sign-ins may fail in a minute (AUTH_SIGN_IN_PER_MINUTE). An attempt is taken
// before its password is checked and given back when it succeeds, so what counts is failures plus attempts
// still running: parallel guesses cannot overshoot, and colleagues behind one office address signing in
// correctly never use it up. The counts are in the database (db/queries/sign-in-limit.ts), so the limit holds across
// every instance on it. docs/security.md

export type SignInLimitPolicy = { maxFailures: number; windowMs: number };

export const defaultSignInLimitPolicy: SignInLimitPolicy = { maxFailures: 30, windowMs: 60_000 };

/** AUTH_SIGN_IN_PER_MINUTE as a count; anything but a positive integer → the default. */
export function parseSignInPerMinute(value: string | undefined): number {
  const count = Number(value);
  return Number.isSafeInteger(count) && count > 0 ? count : defaultSignInLimitPolicy.maxFailures;
}
