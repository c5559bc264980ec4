import { and, eq, gt, inArray, or, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { sessions, shopAccess, shops, users } from "@/db/schema";

/**
 * For each of `tokens` whose session still exists and has not expired: the shops its user may see now
 * (as getScope works them out). One query for every open live stream, whatever their number; a token
 * missing from the answer has been signed out, force-signed-out or has expired.
 */
export async function listStreamAccess(db: Db, tokens: readonly string[], now: Date): Promise<Map<string, Set<string>>> {
  const access = new Map<string, Set<string>>();
  if (tokens.length === 0) return access;
  const rows = await db
    .select({ token: sessions.token, shopId: shops.id })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .leftJoin(
      shops,
      and(
        eq(shops.merchantId, users.merchantId),
        or(eq(users.allShops, true), sql`exists (select 1 from ${shopAccess} where ${shopAccess.userId} = ${users.id} and ${shopAccess.shopId} = ${shops.id})`),
      ),
    )
    .where(and(inArray(sessions.token, [...new Set(tokens)]), gt(sessions.expiresAt, now)));
  for (const row of rows) {
    const shopIds = access.get(row.token) ?? new Set<string>();
    if (row.shopId !== null) shopIds.add(row.shopId);
    access.set(row.token, shopIds);
  }
  return access;
}
