import { and, eq, gte, inArray, lt, lte, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { orders, requests, shops } from "@/db/schema";
import { filterConditions, type RequestFilters } from "@/db/queries/requests";
import type { Scope } from "@/db/queries/users";

export type PendingCounts = { pending: number; dueSoon: number; overdue: number };

/**
 * Counts for the inbox tabs under the list's own filters (db/queries/requests.ts filterConditions), with the reply
 * clock's edges (lib/response-timer.ts): exactly at respond_by is not yet overdue.
 */
export async function countPendingByUrgency(db: Db, scope: Scope, now: Date, warningMs: number, filters: RequestFilters = {}): Promise<PendingCounts> {
  if (scope.shopIds.length === 0) return { pending: 0, dueSoon: 0, overdue: 0 };
  const warningEdge = new Date(now.getTime() + warningMs);
  const columns = {
    pending: sql<number>`count(*)`.mapWith(Number),
    dueSoon: sql<number>`coalesce(sum(case when ${and(gte(requests.respondBy, now), lte(requests.respondBy, warningEdge))} then 1 else 0 end), 0)`.mapWith(Number),
    overdue: sql<number>`coalesce(sum(case when ${lt(requests.respondBy, now)} then 1 else 0 end), 0)`.mapWith(Number),
  };
  const where = and(inArray(requests.shopId, scope.shopIds), eq(shops.merchantId, scope.merchantId), eq(requests.status, "pending"), ...filterConditions(filters));
  const base = db.select(columns).from(requests).innerJoin(shops, eq(shops.id, requests.shopId));
  // The search reads the order (title, order id, buyer); the other filters are the request's own columns
  const [row] = await (filters.q ? base.innerJoin(orders, eq(orders.id, requests.orderId)).where(where) : base.where(where));
  return { pending: row?.pending ?? 0, dueSoon: row?.dueSoon ?? 0, overdue: row?.overdue ?? 0 };
}
