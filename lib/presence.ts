// Presence (docs/loops.md, "Presence"): each desk instance writes one row per user with its count of that user's
// open live streams and when it last wrote it (on connect, on a heartbeat, on close). These rules read the rows.

/** How often an instance rewrites the rows of the users it holds streams for. */
export const presenceHeartbeatMs = 5_000;

/** A row with open streams counts as online for this long after it was last written: three missed heartbeats. */
export const presenceGraceMs = 3 * presenceHeartbeatMs;

export type PresenceRow = { streams: number; lastSeenAt: Date };

export type Presence = { isOnline: boolean; offlineSince: Date | null };

/** The oldest last-seen time that still counts as online at `now` (a row seen exactly then counts). */
export function getOnlineCutoff(now: Date, graceMs = presenceGraceMs): Date {
  return new Date(now.getTime() - graceMs);
}

/** Online on that instance: a stream is open there and the instance wrote within the grace window. */
export function isRowOnline(row: PresenceRow, now: Date, graceMs = presenceGraceMs): boolean {
  return row.streams > 0 && row.lastSeenAt.getTime() >= getOnlineCutoff(now, graceMs).getTime();
}

/**
 * A user's presence from their rows on every instance. Offline since: the last time any instance saw them (a
 * close, or the last heartbeat of an instance that stopped writing); a user with no row at all since `neverSeenSince`
 * (when the loops started), so nobody's claims lapse the moment a desk starts.
 */
export function getPresence(rows: readonly PresenceRow[], now: Date, neverSeenSince: Date, graceMs = presenceGraceMs): Presence {
  if (rows.some((row) => isRowOnline(row, now, graceMs))) return { isOnline: true, offlineSince: null };
  if (rows.length === 0) return { isOnline: false, offlineSince: neverSeenSince };
  return { isOnline: false, offlineSince: new Date(Math.max(...rows.map((row) => row.lastSeenAt.getTime()))) };
}
