import { and, eq, gt, inArray, lt, sql } from "drizzle-orm";
import { transact, type Db } from "@/db/client";
import { skippingLocked } from "@/db/dialect";
import { signInAddressWindows } from "@/db/schema";
import type { SignInLimitPolicy } from "@/lib/sign-in-limit";

// The per-address sign-in limit (lib/sign-in-limit.ts) kept in the database, so that every instance on it counts
// into one window per address (docs/security.md "Sign-in limits and client address").

/** Windows over long enough that nobody reads them are deleted, at most this many at a time, as new windows start. */
const prunedAtOnce = 100;

/**
 * Takes one attempt for `addressKey` at `now`; false (nothing taken) when its window is full. In one transaction that
 * locks the address's row first, so attempts sent in parallel, to one instance or several, cannot all pass the check
 * before any of them is counted (as reserveLoginAttempt does for an account).
 */
export async function takeSignInAttempt(db: Db, addressKey: string, now: Date, policy: SignInLimitPolicy): Promise<boolean> {
  return transact(db, async (tx) => {
    // A first attempt's row starts as a window long over, which counts as no row at all
    await tx
      .insert(signInAddressWindows)
      .values({ addressKey, attempts: 0, startedAt: new Date(0) })
      .onConflictDoUpdate({ target: signInAddressWindows.addressKey, set: { addressKey } });
    const [row] = await tx.select().from(signInAddressWindows).where(eq(signInAddressWindows.addressKey, addressKey)).limit(1);
    if (now.getTime() - row.startedAt.getTime() < policy.windowMs) {
      if (row.attempts >= policy.maxFailures) return false;
      await tx.update(signInAddressWindows).set({ attempts: row.attempts + 1 }).where(eq(signInAddressWindows.addressKey, addressKey));
      return true;
    }
    await tx.update(signInAddressWindows).set({ attempts: 1, startedAt: now }).where(eq(signInAddressWindows.addressKey, addressKey));
    // Rows another attempt holds are passed over (no instance waits on another's prune)
    const over = skippingLocked(
      tx
        .select({ addressKey: signInAddressWindows.addressKey })
        .from(signInAddressWindows)
        .where(lt(signInAddressWindows.startedAt, new Date(now.getTime() - policy.windowMs)))
        .limit(prunedAtOnce),
    );
    await tx.delete(signInAddressWindows).where(inArray(signInAddressWindows.addressKey, over));
    return true;
  });
}

/** Gives back the attempt of a sign-in that succeeded. */
export async function giveBackSignInAttempt(db: Db, addressKey: string): Promise<void> {
  await db
    .update(signInAddressWindows)
    .set({ attempts: sql`${signInAddressWindows.attempts} - 1` })
    .where(and(eq(signInAddressWindows.addressKey, addressKey), gt(signInAddressWindows.attempts, 0)));
}

/** How many addresses have a row (tests: windows over are pruned). */
export async function countSignInAddressWindows(db: Db): Promise<number> {
  const [row] = await db.select({ count: sql<number>`count(*)` }).from(signInAddressWindows);
  return Number(row.count);
}
