import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { loginThrottles } from "@/db/schema";
import type { LoginThrottleState } from "@/lib/login-throttle";

export async function getLoginThrottle(db: Db, email: string): Promise<LoginThrottleState | null> {
  const [row] = await db.select().from(loginThrottles).where(eq(loginThrottles.email, email.toLowerCase()));
  return row ? { failures: row.failures, lastFailureAt: row.lastFailureAt, lockedUntil: row.lockedUntil } : null;
}

export async function saveLoginThrottle(db: Db, email: string, state: LoginThrottleState) {
  await db
    .insert(loginThrottles)
    .values({ email: email.toLowerCase(), ...state })
    .onConflictDoUpdate({ target: loginThrottles.email, set: state });
}

export async function clearLoginThrottle(db: Db, email: string) {
  await db.delete(loginThrottles).where(eq(loginThrottles.email, email.toLowerCase()));
}
