import { and, eq, sql } from "drizzle-orm";
import { transact } from "@/db/client";
import type { Db, Tx } from "@/db/client";
import { auditLog, requests } from "@/db/schema";
import { isLatestDelivery, writeDeliveryFailure, writeDeliveryRefused, type FailureOptions } from "@/db/queries/outbox";
import { revertDecisionEffects, undecidedColumns } from "@/db/workflows/undo";
import type { OutboxStatus } from "@/lib/webhook/settings-types";
import { getRefusalText, getUndeliveredMessage } from "@/lib/webhook/answer-refusal";

// When the platform will not take our answer, the card comes back to the agents (docs/platforms/refusals.md):
// the outbox row is settled, the request is pending again with the platform's words, its side effects are
// reverted as an undo reverts them, and the audit row (which is also the live feed) tells every open desk.
// All of it in one transaction, so a card is never left decided for an answer the platform does not have.

export const platformRefusedAction = "platform_refused";

type Return = { outboxId: number; requestId: string; outboxStatus: "refused" | "dead"; message: string; code: string | null };

/**
 * Puts the request back to pending if it still holds the decision this outbox row carried: not when it was
 * answered otherwise meanwhile (cancelled by the buyer, a later decision with a newer row). Returns whether it did.
 * respond_by and platform_deadline are left alone: both clocks keep running. The claim stays with its agent.
 */
async function returnDecisionToAgents(tx: Tx, entry: Return, now: Date): Promise<boolean> {
  const [row] = await tx.select().from(requests).where(eq(requests.id, entry.requestId)).limit(1);
  if (!row || (row.status !== "approved" && row.status !== "rejected")) return false;
  if (!await isLatestDelivery(tx, entry.requestId, entry.outboxId)) return false;
  const reverted = await tx
    .update(requests)
    .set({ ...undecidedColumns, platformRefusal: entry.message, platformRefusedAt: now, version: sql`${requests.version} + 1` })
    .where(and(eq(requests.id, row.id), eq(requests.version, row.version)))
    .returning({ id: requests.id });
  if (reverted.length !== 1) throw new Error(`Request ${row.id} changed while its answer was returned`);
  await revertDecisionEffects(tx, row);
  await tx
    .insert(auditLog)
    .values({
      shopId: row.shopId,
      requestId: row.id,
      orderId: row.orderId,
      actorId: null,
      action: platformRefusedAction,
      fromStatus: row.status,
      toStatus: "pending",
      detail: { message: entry.message, code: entry.code, decision: row.decision, outboxId: entry.outboxId, outboxStatus: entry.outboxStatus },
      at: now,
    });
  return true;
}

export type SettledAnswer = { status: OutboxStatus; isReturned: boolean };

/** The platform refused the answer (a business error): the row is parked as refused and the card goes back. */
export async function recordAnswerRefusal(db: Db, outboxId: number, refusal: { message: string; code?: string }, now: Date): Promise<SettledAnswer> {
  const message = getRefusalText(refusal.message);
  const code = refusal.code?.trim() ? refusal.code.trim().slice(0, 100) : null;
  return transact(db, async (tx): Promise<SettledAnswer> => {
    const settled = await writeDeliveryRefused(tx, outboxId, code ? `${code}: ${message}` : message, now);
    // Settled meanwhile by another pass: nothing more to do here
    if (!settled) return { status: "refused", isReturned: false };
    const isReturned = await returnDecisionToAgents(tx, { outboxId, requestId: settled.requestId, outboxStatus: "refused", message, code }, now);
    return { status: "refused", isReturned };
  });
}

/**
 * A transient failure (network, timeout, 5xx, throttling): retried with backoff. After the last try the row is
 * dead and the card goes back exactly as for a refusal, saying the answer could not be delivered.
 */
export async function recordAnswerFailure(db: Db, outboxId: number, error: string, now: Date, random: () => number, options: FailureOptions = {}): Promise<SettledAnswer> {
  return transact(db, async (tx): Promise<SettledAnswer> => {
    const failure = await writeDeliveryFailure(tx, outboxId, error, now, random, options);
    if (!failure) return { status: "pending", isReturned: false };
    if (failure.status !== "dead") return { status: failure.status, isReturned: false };
    const message = getUndeliveredMessage(failure.attempts, error);
    const isReturned = await returnDecisionToAgents(tx, { outboxId, requestId: failure.requestId, outboxStatus: "dead", message, code: null }, now);
    return { status: "dead", isReturned };
  });
}
