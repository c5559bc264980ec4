import { and, asc, desc, eq, inArray, isNull, lte, sql, type Placeholder } from "drizzle-orm";
import { transact, type Db, type Tx } from "@/db/client";
import { getDialect, skippingLocked, toBoolean } from "@/db/dialect";
import { getPrepared } from "@/db/statements";
import { orders, requests } from "@/db/schema";
import { outbox, shopPlatformEndpoints, shopWebhookSecrets } from "@/db/schema-webhooks";
import { openStoredOrNull, secretPurposes } from "@/db/secrets";
import type { Scope } from "@/db/queries/users";
import { buildDecisionEvent } from "@/lib/webhook/outbound";
import type { DeliveryRow, OutboxStatus } from "@/lib/webhook/settings-types";
import { defaultRetrySchedule, getNextAttemptDelayMs, isDeadLetter } from "@/lib/webhook/retry-schedule";

/**
 * Called inside the decision's transaction, after the request row is decided: the decision and its
 * delivery are committed together or not at all. Sent from notBefore on (the end of the undo window).
 */
// Run with every decision: on SQLite prepared once per connection (db/statements.ts), on PostgreSQL run as built
// with the values inline. Each builder takes a value or the placeholder standing for it.
type Param = Placeholder | string;

function selectDecision(tx: Tx, requestId: Param) {
  return tx
    .select({ request: requests, platformOrderId: orders.platformOrderId })
    .from(requests)
    .innerJoin(orders, eq(orders.id, requests.orderId))
    .where(eq(requests.id, requestId));
}

function countEarlierAnswers(tx: Tx, requestId: Param) {
  return tx
    .select({ count: sql<number>`count(*)`.mapWith(Number) })
    .from(outbox)
    .where(eq(outbox.requestId, requestId));
}

type OutboxInsert = { shopId: Param; requestId: Param; idempotencyKey: Param; payload: Param; nextAttemptAt: Placeholder | Date; createdAt: Placeholder | Date };

function insertDelivery(tx: Tx, values: OutboxInsert) {
  return tx.insert(outbox).values(values).onConflictDoNothing({ target: outbox.idempotencyKey });
}

export async function enqueueDecision(tx: Tx, requestId: string, now: Date, notBefore: Date = now): Promise<void> {
  const isSqlite = getDialect() === "sqlite";
  const row = isSqlite
    ? getPrepared(tx, "outbox:decision", () => selectDecision(tx, sql.placeholder("requestId")).prepare()).get({ requestId })
    : (await selectDecision(tx, requestId).limit(1))[0];
  const decision = row?.request.decision;
  if (!decision) throw new Error(`Request ${requestId} has no decision to send`);
  const { request } = row;
  // Every outbox row left on this request is an earlier answer the platform saw (an undo deletes an unsent one):
  // after a refusal the new decision is the next in line and gets its own key (docs/platforms/refusals.md)
  const earlier = isSqlite
    ? getPrepared(tx, "outbox:earlier-answers", () => countEarlierAnswers(tx, sql.placeholder("requestId")).prepare()).get({ requestId })
    : (await countEarlierAnswers(tx, requestId))[0];
  const event = buildDecisionEvent({
    requestId: request.id,
    platformRequestId: request.platformRequestId,
    platformOrderId: row.platformOrderId,
    decision,
    amountFen: request.amountFen,
    reasonCode: request.rejectReasonCode ?? undefined,
    message: request.rejectMessage ?? undefined,
    decidedAt: request.decidedAt ?? now,
    sequence: (earlier?.count ?? 0) + 1,
  });
  const values = {
    shopId: request.shopId,
    requestId: request.id,
    idempotencyKey: event.id,
    payload: JSON.stringify(event),
    // Not before the decision is final: an undo inside the window deletes this row unsent.
    nextAttemptAt: notBefore,
    createdAt: now,
  };
  if (isSqlite) {
    getPrepared(tx, "outbox:enqueue", () =>
      insertDelivery(tx, {
        shopId: sql.placeholder("shopId"),
        requestId: sql.placeholder("requestId"),
        idempotencyKey: sql.placeholder("idempotencyKey"),
        payload: sql.placeholder("payload"),
        nextAttemptAt: sql.placeholder("nextAttemptAt"),
        createdAt: sql.placeholder("createdAt"),
      }).prepare(),
    ).run(values);
  } else {
    await insertDelivery(tx, values);
  }
}

export type DueDelivery = {
  id: number;
  shopId: string;
  idempotencyKey: string;
  payload: string;
  attempts: number;
  endpointUrl: string | null;
  secret: string | null;
};

/** A due row a pass has claimed, with until when it holds it (the row's next_attempt_at while it is being sent). */
export type ClaimedDelivery = DueDelivery & { leaseUntil: Date };

/**
 * How long a claimed row is kept from the other instances while one sends it (docs/loops.md#the-outbox-on-several-instances):
 * well over a send's longest run (a platform answer is a few calls of 10 s at most). When the sender dies mid-send,
 * the row is due again this long after it was claimed. SQLite has one process and one pass at a time, so nobody is
 * kept out and a row whose send a crash cut short is due again at once, as before.
 */
export const sendLeaseMs = 120_000;

export function getSendLeaseMs(): number {
  return getDialect() === "postgres" ? sendLeaseMs : 0;
}

/**
 * Claims up to `limit` due rows for this pass, oldest first, and returns them with where to send them and what to sign
 * with (the secret opened). Claiming moves the row's next_attempt_at to the end of the lease, so no other pass finds
 * it due meanwhile, and stamps last_attempt_at, so an undo no longer deletes it (it may be out). On PostgreSQL the
 * rows are picked `for update skip locked`: of several instances claiming at once, each takes rows no other is taking,
 * and none waits for another. The claim is its own short transaction: none stays open while a row is sent.
 */
export async function claimDueDeliveries(db: Db, now: Date, leaseMs: number, limit = 20): Promise<ClaimedDelivery[]> {
  const leaseUntil = new Date(now.getTime() + leaseMs);
  const isDue = and(eq(outbox.status, "pending"), lte(outbox.nextAttemptAt, now));
  // Two statements, not `update … where id in (select … limit … for update skip locked)`: PostgreSQL may run that
  // subquery again for each row it updates (a nested-loop semi-join), and each run locks the next rows, so one
  // claim took every due row whatever the limit
  const claimed = await transact(db, async (tx) => {
    const due = await skippingLocked(tx.select({ id: outbox.id }).from(outbox).where(isDue).orderBy(asc(outbox.nextAttemptAt), asc(outbox.id)).limit(limit));
    if (due.length === 0) return [];
    return tx
      .update(outbox)
      .set({ nextAttemptAt: leaseUntil, lastAttemptAt: now })
      .where(and(inArray(outbox.id, due.map((row) => row.id)), isDue))
      .returning({ id: outbox.id });
  });
  if (claimed.length === 0) return [];
  const rows = await db
    .select({
      id: outbox.id,
      shopId: outbox.shopId,
      idempotencyKey: outbox.idempotencyKey,
      payload: outbox.payload,
      attempts: outbox.attempts,
      endpointUrl: shopPlatformEndpoints.url,
      secret: shopWebhookSecrets.secret,
    })
    .from(outbox)
    .leftJoin(shopPlatformEndpoints, eq(shopPlatformEndpoints.shopId, outbox.shopId))
    .leftJoin(shopWebhookSecrets, and(eq(shopWebhookSecrets.shopId, outbox.shopId), isNull(shopWebhookSecrets.rotatedOutAt)))
    .where(inArray(outbox.id, claimed.map((row) => row.id)))
    .orderBy(asc(outbox.id));
  return rows.map((row) => ({ ...row, secret: openStoredOrNull(db, secretPurposes.webhookSecret, row.secret), leaseUntil }));
}

export async function recordDeliverySuccess(db: Db, id: number, now: Date): Promise<void> {
  await db
    .update(outbox)
    .set({ status: "delivered", deliveredAt: now, lastAttemptAt: now, lastError: null })
    .where(and(eq(outbox.id, id), eq(outbox.status, "pending")));
}

export type RetryPolicy = { baseMs: number; capMs: number; maxAttempts: number };

export type DeliveryFailure = { status: Extract<OutboxStatus, "pending" | "dead">; attempts: number; requestId: string };

/** How a failure is written: the retry schedule, and the lease of the pass that tried (see ClaimedDelivery). */
export type FailureOptions = { schedule?: RetryPolicy; leaseUntil?: Date };

/**
 * One more failed try, inside the caller's transaction: the next one after a jittered backoff, or parked as dead
 * after the last. null when the row is no longer pending (someone settled it meanwhile) or, given `leaseUntil`, when
 * the row no longer carries that lease (it ran out and another pass took the row: that pass writes its outcome).
 * The outbox sender calls it through db/workflows/platform-refusal.ts, which returns the card to the agents in the
 * same transaction when dead.
 */
export async function writeDeliveryFailure(tx: Tx | Db, id: number, error: string, now: Date, random: () => number, options: FailureOptions = {}): Promise<DeliveryFailure | null> {
  const { schedule = defaultRetrySchedule, leaseUntil } = options;
  const [row] = await tx.select({ attempts: outbox.attempts, requestId: outbox.requestId }).from(outbox).where(eq(outbox.id, id)).limit(1);
  if (!row) throw new Error(`No outbox row ${id}`);
  const attempts = row.attempts + 1;
  const status = isDeadLetter(attempts, schedule.maxAttempts) ? "dead" : "pending";
  const nextAttemptAt = status === "dead" ? now : new Date(now.getTime() + getNextAttemptDelayMs(attempts, random, schedule));
  const updated = await tx
    .update(outbox)
    .set({ attempts, status, nextAttemptAt, lastAttemptAt: now, lastError: error.slice(0, 500) })
    .where(and(eq(outbox.id, id), eq(outbox.status, "pending"), leaseUntil ? eq(outbox.nextAttemptAt, leaseUntil) : undefined))
    .returning({ id: outbox.id });
  return updated.length === 1 ? { status, attempts, requestId: row.requestId } : null;
}

/** The platform said no to this row's answer: parked as refused with its words, inside the caller's transaction. */
export async function writeDeliveryRefused(tx: Tx, id: number, error: string, now: Date): Promise<{ requestId: string } | null> {
  const [row] = await tx.select({ requestId: outbox.requestId }).from(outbox).where(and(eq(outbox.id, id), eq(outbox.status, "pending"))).limit(1);
  if (!row) return null;
  await tx
    .update(outbox)
    .set({ status: "refused", lastAttemptAt: now, lastError: error.slice(0, 500) })
    .where(and(eq(outbox.id, id), eq(outbox.status, "pending")));
  return row;
}

/** Whether `id` is the request's latest answer: an older row speaks for a decision the card no longer holds. */
export async function isLatestDelivery(tx: Tx | Db, requestId: string, id: number): Promise<boolean> {
  const [latest] = await tx
    .select({ id: sql<number | null>`max(${outbox.id})`.mapWith(Number) })
    .from(outbox)
    .where(eq(outbox.requestId, requestId));
  return latest?.id === id;
}

/** SQL twin of isLatestDelivery plus "the card still holds that decision", for the listing and the retry button. */
const stillDecidedSql = sql<boolean>`(${requests.status} in ('approved', 'rejected') and ${outbox.id} = (select max("o2"."id") from "outbox" "o2" where "o2"."request_id" = ${outbox.requestId}))`.mapWith(toBoolean);

/**
 * The owner's retry button: a fresh series of attempts, starting now. Only for a dead row whose card still holds
 * that decision (one parked before undelivered answers went back to the agents); a dead row whose card came back
 * is answered by the agents' next decision, and a refused or delivered row stays as it is.
 */
export async function retryDelivery(db: Db, scope: Scope, id: number, now: Date): Promise<boolean> {
  if (scope.shopIds.length === 0) return false;
  const [row] = await db
    .select({ id: outbox.id, stillDecided: stillDecidedSql })
    .from(outbox)
    .innerJoin(requests, eq(requests.id, outbox.requestId))
    .where(and(eq(outbox.id, id), inArray(outbox.shopId, scope.shopIds), eq(outbox.status, "dead")));
  if (!row || !row.stillDecided) return false;
  const result = await db
    .update(outbox)
    .set({ status: "pending", attempts: 0, nextAttemptAt: now })
    .where(and(eq(outbox.id, id), eq(outbox.status, "dead")))
    .returning({ id: outbox.id });
  return result.length === 1;
}


export async function listRecentDeliveries(db: Db, shopIds: string[], limit = 50): Promise<DeliveryRow[]> {
  if (shopIds.length === 0) return [];
  const rows = await db
    .select({ row: outbox, platformRequestId: requests.platformRequestId, stillDecided: stillDecidedSql })
    .from(outbox)
    .innerJoin(requests, eq(requests.id, outbox.requestId))
    .where(inArray(outbox.shopId, shopIds))
    .orderBy(desc(outbox.id))
    .limit(limit);
  return rows.map(({ row, platformRequestId, stillDecided }) => ({
    id: row.id,
    shopId: row.shopId,
    requestId: row.requestId,
    platformRequestId,
    idempotencyKey: row.idempotencyKey,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.nextAttemptAt.toISOString(),
    lastError: row.lastError,
    createdAt: row.createdAt.toISOString(),
    deliveredAt: row.deliveredAt ? row.deliveredAt.toISOString() : null,
    isRetryable: row.status === "dead" && Boolean(stillDecided),
  }));
}

/** Undo: the decision's delivery goes too, but only if it was never tried (else it is already out). */
export async function cancelUnsentDecision(tx: Tx, requestId: string): Promise<boolean> {
  const deleted = await tx
    .delete(outbox)
    .where(and(eq(outbox.requestId, requestId), eq(outbox.status, "pending"), eq(outbox.attempts, 0), isNull(outbox.lastAttemptAt)))
    .returning({ id: outbox.id });
  return deleted.length > 0;
}
