import { eq } from "drizzle-orm";
import { transact } from "@/db/client";
import type { Db } from "@/db/client";
import { loginThrottles } from "@/db/schema";
import { isLoginLocked, recordLoginFailure, type LoginThrottleState } from "@/lib/login-throttle";

export async function getLoginThrottle(db: Db, email: string): Promise<LoginThrottleState | null> {
  const [row] = await db.select().from(loginThrottles).where(eq(loginThrottles.email, email.toLowerCase()));
  return row ? { failures: row.failures, lastFailureAt: row.lastFailureAt, lockedUntil: row.lockedUntil } : null;
}

export async function clearLoginThrottle(db: Db, email: string) {
  await db.delete(loginThrottles).where(eq(loginThrottles.email, email.toLowerCase()));
}

/**
 * Takes one sign-in attempt for an email before its password is checked: refused (false) while the
 * account is locked, otherwise counted as a failure at once, in one transaction that locks the email's row first, so
 * attempts sent in parallel cannot all pass a lock check before any of them is counted. A sign-in that
 * then succeeds clears the count (clearLoginThrottle).
 */
export async function reserveLoginAttempt(db: Db, email: string, now: Date): Promise<boolean> {
  const key = email.toLowerCase();
  return transact(db, async (tx) => {
    // The row locked before it is read: on PostgreSQL (read committed) parallel attempts would otherwise all read
    // the same count and each write it plus one (docs/postgres.md#transactions). A first attempt's row starts as a
    // failure long forgotten, which counts as no row at all; SQLite's transaction already holds the write lock.
    await tx
      .insert(loginThrottles)
      .values({ email: key, failures: 0, lastFailureAt: new Date(0), lockedUntil: null })
      .onConflictDoUpdate({ target: loginThrottles.email, set: { email: key } });
    const [row] = await tx.select().from(loginThrottles).where(eq(loginThrottles.email, key)).limit(1);
    const state: LoginThrottleState | null = row ? { failures: row.failures, lastFailureAt: row.lastFailureAt, lockedUntil: row.lockedUntil } : null;
    if (isLoginLocked(state, now)) return false;
    const next = recordLoginFailure(state, now);
    await tx
      .insert(loginThrottles)
      .values({ email: key, ...next })
      .onConflictDoUpdate({ target: loginThrottles.email, set: next });
    return true;
  });
}
