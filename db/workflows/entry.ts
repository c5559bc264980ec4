import { and, eq, sql } from "drizzle-orm";
import { transact } from "@/db/client";
import type { Db, Tx } from "@/db/client";
import { auditLog, orders, requests } from "@/db/schema";
import { applyDecisionToRollup } from "@/db/queries/metrics/upkeep";
import { getOrderRow, toPolicyOrder } from "@/db/queries/orders";
import { enqueueDecision } from "@/db/queries/outbox";
import type { Scope } from "@/db/queries/users";
import type { OrderRow } from "@/lib/api-types";
import { getEntryOpenUntil, getEntryReopenEligibility, isEntryOpen, type EntryReopenEligibility } from "@/lib/policy/entry-reopen";
import { getPolicyProfile } from "@/lib/policy/profiles";

// Opening an order's after-sales entry (售后入口): from the Orders page, when a re-open card is approved (by an
// agent or a rule), and the system's own answer to a re-open request while the entry is already open.

export type OpenEntryResult =
  | { ok: true; openedAt: Date; openUntil: Date; timesOpened: number }
  | { ok: false; eligibility: Extract<EntryReopenEligibility, { eligible: false }> };

/**
 * Opens the order's after-sales entry if the rules allow it now, with its audit row, inside the caller's
 * transaction. The update is conditional on the opened-at it checked, so two racing openings count once.
 */
export async function openOrderEntry(
  tx: Tx,
  input: { orderId: string; actorId: string | null; requestId: string | null; source: "request" | "orders_page"; now: Date },
): Promise<OpenEntryResult> {
  const [order] = await tx.select().from(orders).where(eq(orders.id, input.orderId)).limit(1);
  if (!order) throw new Error(`No order ${input.orderId}`);
  const profile = getPolicyProfile(order.platform);
  const eligibility = getEntryReopenEligibility(profile, toPolicyOrder(order), input.now);
  if (!eligibility.eligible) return { ok: false, eligibility };
  const timesOpened = order.entryTimesOpened + 1;
  const updated = await tx
    .update(orders)
    .set({ entryOpenedAt: input.now, entryTimesOpened: timesOpened })
    .where(and(eq(orders.id, order.id), eq(orders.entryTimesOpened, order.entryTimesOpened)))
    .returning({ id: orders.id });
  // Someone opened it a moment ago: checking again answers already_open with its end
  if (updated.length !== 1) return openOrderEntry(tx, input);
  await tx
    .insert(auditLog)
    .values({
      shopId: order.shopId,
      requestId: input.requestId,
      orderId: order.id,
      actorId: input.actorId,
      action: "entry_opened",
      // previousOpenedAt lets an undo of the approval put the order back as it was.
      detail: { source: input.source, openUntil: eligibility.openUntil.toISOString(), timesOpened, previousOpenedAt: order.entryOpenedAt?.toISOString() ?? null },
      at: input.now,
    });
  return { ok: true, openedAt: input.now, openUntil: eligibility.openUntil, timesOpened };
}

/**
 * A re-open request for an order whose entry is already open needs no agent (docs/domain/after-sales-entry.md): it is approved
 * by the system at once, with "已开启，至 …" in the audit, and the platform is told like any decision.
 * Call it right after inserting a request (seed, webhook ingest); returns whether it answered.
 */
export async function answerReopenIfEntryOpen(tx: Tx, requestId: string, now: Date): Promise<boolean> {
  const [row] = await tx
    .select({ request: requests, order: orders })
    .from(requests)
    .innerJoin(orders, eq(orders.id, requests.orderId))
    .where(eq(requests.id, requestId))
    .limit(1);
  if (!row || row.request.kind !== "entry_reopen" || row.request.status !== "pending") return false;
  const profile = getPolicyProfile(row.order.platform);
  if (!row.order.entryOpenedAt || !isEntryOpen(profile, row.order, now)) return false;
  const openUntil = getEntryOpenUntil(profile, row.order.entryOpenedAt);
  const updated = await tx
    .update(requests)
    .set({ status: "approved", decision: "approve", decidedAt: now, decidedBy: null, version: sql`${requests.version} + 1` })
    .where(and(eq(requests.id, requestId), eq(requests.status, "pending")))
    .returning({ id: requests.id });
  if (updated.length !== 1) return false;
  // Answered at once by the rule: it counts in the response metrics like any decision (docs/metrics.md)
  await applyDecisionToRollup(tx, requestId);
  await tx
    .insert(auditLog)
    .values({
      shopId: row.request.shopId,
      requestId,
      orderId: row.order.id,
      actorId: null,
      action: "entry_already_open",
      fromStatus: "pending",
      toStatus: "approved",
      detail: { openUntil: openUntil?.toISOString() ?? null },
      at: now,
    });
  await enqueueDecision(tx, requestId, now);
  return true;
}

export type OpenEntryForScopeResult =
  | { ok: true; order: OrderRow }
  | { ok: false; code: "not_found" | "forbidden" }
  | { ok: false; code: "not_eligible"; eligibility: Extract<EntryReopenEligibility, { eligible: false }> };

/** The Orders page's "开启售后入口": owners, or agents where the owner allows it (checked here, not only in the UI). */
export async function openEntryForScope(db: Db, scope: Scope, orderId: string, now: Date): Promise<OpenEntryForScopeResult> {
  const row = await getOrderRow(db, scope, orderId, now);
  if (!row) return { ok: false, code: "not_found" };
  if (!row.canOpenEntry) return { ok: false, code: "forbidden" };
  const result = await transact(db, async (tx) =>
    openOrderEntry(tx, { orderId, actorId: scope.userId, requestId: null, source: "orders_page", now }));
  if (!result.ok) return { ok: false, code: "not_eligible", eligibility: result.eligibility };
  const order = await getOrderRow(db, scope, orderId, now);
  return order ? { ok: true, order } : { ok: false, code: "not_found" };
}
