import { and, eq, gte, inArray, lt, lte, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { requests, shops } from "@/db/schema";
import type { Scope } from "@/db/queries/users";

export type PendingCounts = { pending: number; dueSoon: number; overdue: number };

/** Counts for the inbox tabs, with the reply clock's edges (lib/response-timer.ts): exactly at respond_by is not yet overdue. */
export async function countPendingByUrgency(db: Db, scope: Scope, now: Date, warningMs: number): Promise<PendingCounts> {
  if (scope.shopIds.length === 0) return { pending: 0, dueSoon: 0, overdue: 0 };
  const warningEdge = new Date(now.getTime() + warningMs);
  const [row] = await db
    .select({
      pending: sql<number>`count(*)`,
      dueSoon: sql<number>`coalesce(sum(case when ${and(gte(requests.respondBy, now), lte(requests.respondBy, warningEdge))} then 1 else 0 end), 0)`,
      overdue: sql<number>`coalesce(sum(case when ${lt(requests.respondBy, now)} then 1 else 0 end), 0)`,
    })
    .from(requests)
    .innerJoin(shops, eq(shops.id, requests.shopId))
    .where(and(inArray(requests.shopId, scope.shopIds), eq(shops.merchantId, scope.merchantId), eq(requests.status, "pending")));
  return { pending: row?.pending ?? 0, dueSoon: row?.dueSoon ?? 0, overdue: row?.overdue ?? 0 };
}
