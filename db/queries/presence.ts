import { and, gt, gte, inArray, lt } from "drizzle-orm";
import { transact } from "@/db/client";
import type { Db } from "@/db/client";
import { presence } from "@/db/schema-presence";
import { getOnlineCutoff, getPresence, presenceGraceMs, type Presence, type PresenceRow } from "@/lib/presence";

// Presence rows (db/schema-presence.ts): written by the live streams of each desk instance, read by the team page,
// the assignment sweep and the claim lapse. The rules are lib/presence.ts.

/**
 * Sets this instance's count of open streams for each user given, seen at `now`, in one transaction (a connect,
 * a close, or the heartbeat with every user this instance holds streams for).
 */
export async function writePresence(db: Db, instanceId: string, streamsByUser: ReadonlyMap<string, number>, now: Date): Promise<void> {
  if (streamsByUser.size === 0) return;
  await transact(db, async (tx) => {
      for (const [userId, streams] of streamsByUser) {
        await tx
          .insert(presence)
          .values({ userId, instanceId, streams, lastSeenAt: now })
          .onConflictDoUpdate({ target: [presence.userId, presence.instanceId], set: { streams, lastSeenAt: now } });
      }
    });
}

/** Users with an open stream on an instance that wrote within the grace window. */
export async function listOnlineUserIds(db: Db, now: Date, graceMs = presenceGraceMs): Promise<Set<string>> {
  const rows = await db
    .selectDistinct({ userId: presence.userId })
    .from(presence)
    .where(and(gt(presence.streams, 0), gte(presence.lastSeenAt, getOnlineCutoff(now, graceMs))));
  return new Set(rows.map((row) => row.userId));
}

/** Each user's presence across every instance (users without a row: offline since `neverSeenSince`). */
export async function readPresence(db: Db, userIds: readonly string[], now: Date, neverSeenSince: Date, graceMs = presenceGraceMs): Promise<Map<string, Presence>> {
  const rowsByUser = new Map<string, PresenceRow[]>(userIds.map((userId) => [userId, []]));
  if (userIds.length > 0) {
    const rows = await db
      .select({ userId: presence.userId, streams: presence.streams, lastSeenAt: presence.lastSeenAt })
      .from(presence)
      .where(inArray(presence.userId, [...new Set(userIds)]));
    for (const row of rows) rowsByUser.get(row.userId)?.push(row);
  }
  return new Map([...rowsByUser].map(([userId, rows]) => [userId, getPresence(rows, now, neverSeenSince, graceMs)]));
}

/** Forgets rows last written before `before` (closed long ago, or left by an instance that stopped). */
export async function prunePresence(db: Db, before: Date): Promise<number> {
  const deleted = await db.delete(presence).where(lt(presence.lastSeenAt, before)).returning({ userId: presence.userId });
  return deleted.length;
}
