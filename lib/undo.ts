// A decision can be taken back for a few seconds by the agent who made it. The click is what counts for
// the reply clock; the platform is told only once the window has passed (docs/domain/queue.md#undo).

export const undoWindowMs = 5_000;

export function getFinalAt(decidedAt: Date, windowMs = undoWindowMs): Date {
  return new Date(decidedAt.getTime() + windowMs);
}

export type UndoCheck = { ok: true } | { ok: false; reason: "not_decided" | "not_yours" | "final" };

/** Undo is open while now < finalAt (exactly at finalAt the decision is final), to its author only. */
export function canUndo(
  request: { status: string; decidedBy: string | null; finalAt: Date | null },
  userId: string,
  now: Date,
): UndoCheck {
  if (request.status !== "approved" && request.status !== "rejected") return { ok: false, reason: "not_decided" };
  if (request.decidedBy !== userId) return { ok: false, reason: "not_yours" };
  if (!request.finalAt || now.getTime() >= request.finalAt.getTime()) return { ok: false, reason: "final" };
  return { ok: true };
}
