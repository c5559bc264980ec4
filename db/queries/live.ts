import { and, asc, eq, gt, inArray, lte, sql } from "drizzle-orm";
import type pg from "pg";
import { isPostgresDb, type Db } from "@/db/client";
import { auditLog, users } from "@/db/schema";
import type { RequestCard } from "@/lib/api-types";

// The live feed is the audit log itself: durable, ordered by its id, so a client that resumes with
// Last-Event-ID misses nothing and sees nothing twice. On PostgreSQL an id can become visible after a larger one
// (transactions commit in parallel): the live hub hands ids out only once every smaller one is settled
// (docs/loops.md#the-live-hub).

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

/** The newest audit row's id (0 for none), where the live hub starts its tail. */
export async function getLatestAuditId(db: Db): Promise<number> {
  const [row] = await db.select({ id: sql<number | null>`max(${auditLog.id})`.mapWith(Number) }).from(auditLog);
  return row?.id ?? 0;
}

/** The audit rows after `afterId` (and up to `throughId` when given), oldest first. */
export async function listLiveEventsSince(db: Db, afterId: number, limit: number, shopIds?: string[], throughId?: number): Promise<LiveEvent[]> {
  if (shopIds && shopIds.length === 0) return [];
  const rows = await db
    .select({ entry: auditLog, actorName: users.name })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .where(and(gt(auditLog.id, afterId), throughId === undefined ? undefined : lte(auditLog.id, throughId), shopIds ? inArray(auditLog.shopId, shopIds) : undefined))
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

// PostgreSQL only: whether every transaction that could still add an audit row below an id has ended
// (docs/loops.md#the-live-hub). Transaction ids are the server's, shared by all its databases.

/**
 * A transaction id newer than that of every transaction that had written anything when it was taken: the id of a
 * statement of its own (an id is given out once, in order). As text, PostgreSQL's xid8.
 */
export async function takeTransactionMark(db: Db): Promise<string> {
  const { rows } = await postgresPool(db).query<{ mark: string }>("select pg_current_xact_id()::text as mark");
  return rows[0]!.mark;
}

/** Whether every transaction older than `mark` (from takeTransactionMark) has committed or rolled back. */
export async function hasEndedBefore(db: Db, mark: string): Promise<boolean> {
  const { rows } = await postgresPool(db).query<{ ended: boolean }>("select pg_snapshot_xmin(pg_current_snapshot()) >= $1::xid8 as ended", [mark]);
  return rows[0]!.ended;
}

function postgresPool(db: Db): pg.Pool {
  if (!isPostgresDb(db)) throw new Error("Transaction ids are PostgreSQL's");
  return db.$client as unknown as pg.Pool;
}
