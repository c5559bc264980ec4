import { and, asc, eq, gt, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { auditLog, users } from "@/db/schema";
import type { RequestCard } from "@/lib/api-types";

// The live feed is the audit log itself: durable, ordered by its id, so a client that resumes with
// Last-Event-ID misses nothing and sees nothing twice.

export type LiveEvent = {
  id: number;
  shopId: string;
  requestId: string | null;
  orderId: string | null;
  action: string;
  toStatus: string | null;
  actor: { id: string; name: string } | null;
  at: string;
  /**
   * The card as it is when the event goes out live (the hub reads it once for every open stream of the shop), so a
   * desk applies the change without a round trip; absent on replayed events, which the desk reads itself.
   */
  card?: RequestCard | null;
};

/** The newest audit row's id (0 for none); synchronous, so the live hub can start its tail at a subscribe. */
export async function getLatestAuditId(db: Db): Promise<number> {
  const [row] = await db.select({ id: sql<number | null>`max(${auditLog.id})`.mapWith(Number) }).from(auditLog);
  return row?.id ?? 0;
}

export async function listLiveEventsSince(db: Db, afterId: number, limit: number, shopIds?: string[]): Promise<LiveEvent[]> {
  if (shopIds && shopIds.length === 0) return [];
  const rows = await db
    .select({ entry: auditLog, actorName: users.name })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .where(and(gt(auditLog.id, afterId), shopIds ? inArray(auditLog.shopId, shopIds) : undefined))
    .orderBy(asc(auditLog.id))
    .limit(limit);
  return rows.map(({ entry, actorName }) => ({
    id: entry.id,
    shopId: entry.shopId,
    requestId: entry.requestId,
    orderId: entry.orderId,
    action: entry.action,
    toStatus: entry.toStatus,
    actor: entry.actorId && actorName ? { id: entry.actorId, name: actorName } : null,
    at: entry.at.toISOString(),
  }));
}
