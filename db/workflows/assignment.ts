import { transact } from "@/db/client";
import type { Db } from "@/db/client";
import { assignToOnlineAgent, listAssignableCards, listClaimHolders, releaseLapsedClaims } from "@/db/queries/claims";
import { listOnlineUserIds, readPresence } from "@/db/queries/presence";
import { presenceGraceMs } from "@/lib/presence";

// Fair auto-assignment and the claim lapse, as sweeps over the database (docs/loops.md): each pass reads the
// state afresh, so a pass that fails or is skipped loses nothing and the next one does the work; presence comes
// from the presence table, so it does not matter which desk instance holds an agent's stream.

/**
 * How far back the sweep looks for new cards. A card that finds nobody online and under the cap waits this long
 * for someone to come online or free up; after that it stays in the shared queue for people to claim.
 */
export const assignWindowMs = 10 * 60_000;

export type SweepResult = { assigned: number; failed: number };

/**
 * One pass of auto-assignment: every assignable card (db/queries/claims.ts listAssignableCards) that arrived in
 * the window, in arrival order, goes to an online agent (lib/assignment.ts pickAssignee) in its own transaction.
 * Idempotent: a card already claimed, decided or handled by a person is left alone. A card whose transaction
 * fails (the database busy) is counted and tried again on the next pass.
 */
export async function sweepAutoAssignments(
  db: Db,
  now: Date,
  options: { windowMs?: number; graceMs?: number; logError?: (...values: unknown[]) => void } = {},
): Promise<SweepResult> {
  const result: SweepResult = { assigned: 0, failed: 0 };
  const online = await listOnlineUserIds(db, now, options.graceMs ?? presenceGraceMs);
  if (online.size === 0) return result;
  for (const requestId of await listAssignableCards(db, new Date(now.getTime() - (options.windowMs ?? assignWindowMs)))) {
    try {
      // IMMEDIATE: the write lock before the reads, so another connection's write waits (busy_timeout) instead of
      // failing the upgrade of a stale read snapshot
      const assignee = await transact(db, async (tx) => assignToOnlineAgent(tx, requestId, online, now));
      if (assignee) result.assigned++;
    } catch (error) {
      result.failed++;
      (options.logError ?? console.error)(`[assignment] card ${requestId} not assigned this pass`, error);
    }
  }
  return result;
}

/**
 * One pass of the claim lapse: a pending card's claim goes back to the shared queue once its holder has been
 * offline (no fresh presence on any instance) for the grace period (lib/assignment.ts claimLapseMs).
 * `neverSeenSince`: the offline-since of a holder with no presence row at all (the loops' start).
 */
export async function releaseLapsedClaimsNow(db: Db, now: Date, neverSeenSince: Date, graceMs = presenceGraceMs): Promise<number> {
  const presence = await readPresence(db, await listClaimHolders(db), now, neverSeenSince, graceMs);
  return releaseLapsedClaims(db, (userId) => presence.get(userId) ?? { isOnline: false, offlineSince: neverSeenSince }, now);
}
