import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { transact } from "@/db/client";
import type { Db, Tx } from "@/db/client";
import { auditLog, orders, requests } from "@/db/schema";
import { type RollupSource } from "@/db/queries/metrics/card-facts";
import { applyRollupChange } from "@/db/queries/metrics/upkeep";
import { cancelUnsentDecision } from "@/db/queries/outbox";
import { getRequestCard, type RequestCard } from "@/db/queries/requests";
import type { Scope } from "@/db/queries/users";
import type { AuditAction } from "@/lib/audit-actions";
import { canUndo } from "@/lib/undo";

export type UndoResult =
  | { ok: true; card: RequestCard }
  | { ok: false; code: "not_found" }
  | { ok: false; code: "undo_refused"; reason: "not_decided" | "not_yours" | "final" };

async function readLatestDetail(tx: Tx, requestId: string, action: AuditAction): Promise<Record<string, unknown> | null> {
  const [row] = await tx
    .select({ detail: auditLog.detail })
    .from(auditLog)
    .where(and(eq(auditLog.requestId, requestId), eq(auditLog.action, action)))
    .orderBy(desc(auditLog.id))
    .limit(1);
  return row?.detail ?? null;
}

/** A decided request row as it was before its decision (the claim stays). */
export const undecidedColumns = {
  status: "pending",
  decision: null,
  decidedAt: null,
  decidedBy: null,
  finalAt: null,
  rejectReasonCode: null,
  rejectReasonText: null,
  rejectMessage: null,
} as const satisfies Partial<typeof requests.$inferInsert>;

/**
 * What a decision set going besides the request row, taken back once the row is pending again: an approved re-open
 * closes the order's entry as it was, and the metrics forget the answer. `decided` is the row as it was decided.
 * Shared by the undo and by a platform's refusal (db/workflows/platform-refusal.ts), which must revert alike.
 */
export async function revertDecisionEffects(tx: Tx, decided: typeof requests.$inferSelect): Promise<void> {
  const id = decided.id;
  if (decided.kind === "entry_reopen" && decided.decision === "approve") {
    const opened = await readLatestDetail(tx, id, "entry_opened");
    if (opened && typeof opened.timesOpened === "number") {
      const previous = typeof opened.previousOpenedAt === "string" ? new Date(opened.previousOpenedAt) : null;
      await tx
        .update(orders)
        .set({ entryOpenedAt: previous, entryTimesOpened: opened.timesOpened - 1 })
        .where(and(eq(orders.id, decided.orderId), eq(orders.entryTimesOpened, opened.timesOpened)));
    }
  }

  const evidenceIds = decided.decision === "reject" ? (await readLatestDetail(tx, id, "rejected"))?.evidenceIds : undefined;
  const before: RollupSource = { ...decided, rejectEvidenceCount: Array.isArray(evidenceIds) ? evidenceIds.length : 0 };
  const after: RollupSource = { ...before, status: "pending", decidedAt: null, decidedBy: null, rejectReasonCode: null, rejectMessage: null, rejectEvidenceCount: 0 };
  await applyRollupChange(tx, before, after);
}

/**
 * Takes a decision back inside its window: the card is pending again, its unsent delivery is dropped,
 * an approved re-open puts the order's entry back, the metrics forget the answer; all in one transaction.
 */
export async function undoDecision(db: Db, scope: Scope, id: string, now: Date): Promise<UndoResult> {
  const card = await getRequestCard(db, scope, id);
  if (!card) return { ok: false, code: "not_found" };
  const outcome = await transact(db, async (tx): Promise<UndoResult | null> => {
    const [row] = await tx
      .select()
      .from(requests)
      .where(and(eq(requests.id, id), inArray(requests.shopId, scope.shopIds)))
      .limit(1);
    if (!row) return { ok: false, code: "not_found" };
    const check = canUndo(row, scope.userId, now);
    if (!check.ok) return { ok: false, code: "undo_refused", reason: check.reason };
    // Already picked up by the sender (a retry after a failure): the platform may have it, so it stands.
    if (!await cancelUnsentDecision(tx, id)) return { ok: false, code: "undo_refused", reason: "final" };
    const reverted = await tx
      .update(requests)
      .set({ ...undecidedColumns, version: sql`${requests.version} + 1` })
      .where(and(eq(requests.id, id), eq(requests.version, row.version)))
      .returning({ id: requests.id });
    if (reverted.length !== 1) throw new Error(`Request ${id} changed during undo`);

    await revertDecisionEffects(tx, row);

    await tx
      .insert(auditLog)
      .values({
        shopId: row.shopId,
        requestId: id,
        orderId: row.orderId,
        actorId: scope.userId,
        action: "undone",
        fromStatus: row.status,
        toStatus: "pending",
        detail: { decision: row.decision, decidedAt: row.decidedAt?.toISOString() ?? null },
        at: now,
      });
    return null;
  });
  if (outcome) return outcome;
  const current = await getRequestCard(db, scope, id);
  return current ? { ok: true, card: current } : { ok: false, code: "not_found" };
}
