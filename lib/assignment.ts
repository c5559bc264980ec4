// Fair assignment (docs/domain/queue.md): new cards go to online agents in turn, longest idle first, never over the
// per-agent cap of open claims; with nobody online they stay in the shared queue.

export type AssignCandidate = {
  userId: string;
  isOnline: boolean;
  openClaims: number;
  /** Last time they decided or were given a card; null = never (the most idle of all). */
  lastActiveAt: Date | null;
};

export function pickAssignee(candidates: readonly AssignCandidate[], cap: number): string | null {
  const eligible = candidates.filter((candidate) => candidate.isOnline && candidate.openClaims < cap);
  eligible.sort(
    (a, b) =>
      (a.lastActiveAt?.getTime() ?? -Infinity) - (b.lastActiveAt?.getTime() ?? -Infinity) ||
      a.openClaims - b.openClaims ||
      a.userId.localeCompare(b.userId),
  );
  return eligible[0]?.userId ?? null;
}

/** A claim lapses once its agent has had no live connection for the grace period (60 s). */
export const claimLapseMs = 60_000;

/**
 * Whether a claim lapses now. The offline time counts from when the agent went offline, or from the claim itself
 * when it is newer (a claim taken without a live connection, through the API, still gets its full grace).
 */
export function isClaimLapsed(presence: { isOnline: boolean; offlineSince: Date | null }, now: Date, graceMs = claimLapseMs, claimedAt: Date | null = null): boolean {
  if (presence.isOnline) return false;
  const since = Math.max(presence.offlineSince?.getTime() ?? -Infinity, claimedAt?.getTime() ?? -Infinity);
  if (since === -Infinity) return true;
  return now.getTime() - since >= graceMs;
}
