import { and, eq, inArray, sql, type Placeholder, type SQL } from "drizzle-orm";
import { transact } from "@/db/client";
import type { Db, Tx } from "@/db/client";
import { getDialect } from "@/db/dialect";
import { getPrepared } from "@/db/statements";
import { auditLog, requests } from "@/db/schema";
import { checkDecisionPolicy, type PolicyRefusal } from "@/db/queries/decision-policy";
import { applyDecisionToRollup } from "@/db/queries/metrics/upkeep";
import { enqueueDecision } from "@/db/queries/outbox";
import { getRequestCard, type RequestCard } from "@/db/queries/requests";
import type { Scope } from "@/db/queries/users";
import { openOrderEntry } from "@/db/workflows/entry";
import { statusForDecision, type Decision, type RequestStatus } from "@/lib/domain";
import { getFinalAt } from "@/lib/undo";

// What happens when an agent decides a card, in one transaction: the platform's rules checked again
// (decision-policy), the conditional update that lets exactly one of two racing agents win, the audit row,
// the order's entry opened for an approved re-open card, the metrics rollup, and the answer queued for the
// platform in the outbox (sent by the outbox loop, docs/loops.md). Undo: db/workflows/undo.ts.

export type DecideInput = {
  decision: Decision;
  reasonCode?: string;
  /** The platform's own words for `reasonCode`, from its reason list (never from the agent's request). */
  reasonText?: string;
  message?: string;
  evidenceIds?: string[];
};

export type DecideResult =
  | { ok: true; card: RequestCard }
  | { ok: false; code: "not_found" }
  | ({ ok: false } & PolicyRefusal)
  | {
      ok: false;
      code: "already_decided";
      status: RequestStatus;
      decidedBy: { id: string; name: string } | null;
      decision: Decision | null;
      decidedAt: string | null;
    };

// Every decision runs these two writes: on SQLite prepared once per connection and number of shops in scope
// (db/statements.ts), on PostgreSQL run as built with the values inline (docs/postgres.md#writing-queries-for-both-engines)
const param = (name: string) => sql.placeholder(name) as unknown as SQL;
const shopParams = (shopIds: readonly string[]) => Object.fromEntries(shopIds.map((shopId, index) => [`shop${index}`, shopId]));

type DecideValues = {
  status: RequestStatus;
  decision: Decision;
  decidedAt: Date;
  decidedBy: string;
  finalAt: Date;
  rejectReasonCode: string | null;
  rejectReasonText: string | null;
  rejectMessage: string | null;
};
type Params<T> = { [K in keyof T]: T[K] | SQL };

function buildDecideUpdate(tx: Tx, values: Params<DecideValues>, id: string | Placeholder, shopIds: readonly (string | Placeholder)[]) {
  return tx
    .update(requests)
    .set({
      ...values,
      // A card the platform sent back shows why until it is answered again
      platformRefusal: null,
      platformRefusedAt: null,
      version: sql`${requests.version} + 1`,
    })
    .where(and(eq(requests.id, id), eq(requests.status, "pending"), inArray(requests.shopId, [...shopIds])));
}

function getDecideUpdate(tx: Tx, shopCount: number) {
  return getPrepared(tx, `decide:update:${shopCount}`, () =>
    buildDecideUpdate(
      tx,
      {
        // A placeholder in set() is encoded by its column like a value (a Date becomes epoch ms)
        status: param("status"),
        decision: param("decision"),
        decidedAt: param("decidedAt"),
        decidedBy: param("decidedBy"),
        finalAt: param("finalAt"),
        rejectReasonCode: param("rejectReasonCode"),
        rejectReasonText: param("rejectReasonText"),
        rejectMessage: param("rejectMessage"),
      },
      sql.placeholder("id"),
      Array.from({ length: shopCount }, (_, index) => sql.placeholder(`shop${index}`)),
    ).prepare(),
  );
}

/** The conditional update: whether this call won the card (of two racing agents exactly one does). */
async function writeDecision(tx: Tx, scope: Scope, id: string, values: DecideValues): Promise<boolean> {
  if (getDialect() === "sqlite") return getDecideUpdate(tx, scope.shopIds.length).run({ id, ...values, ...shopParams(scope.shopIds) }).changes === 1;
  const updated = await buildDecideUpdate(tx, values, id, scope.shopIds).returning({ id: requests.id });
  return updated.length === 1;
}

function getAuditInsert(tx: Tx) {
  return getPrepared(tx, "decide:audit", () =>
    tx
      .insert(auditLog)
      .values({
        shopId: sql.placeholder("shopId"),
        requestId: sql.placeholder("requestId"),
        orderId: sql.placeholder("orderId"),
        actorId: sql.placeholder("actorId"),
        action: sql.placeholder("action"),
        fromStatus: sql.placeholder("fromStatus"),
        toStatus: sql.placeholder("toStatus"),
        detail: sql.placeholder("detail"),
        at: sql.placeholder("at"),
      })
      .prepare(),
  );
}

async function writeDecisionAudit(tx: Tx, values: typeof auditLog.$inferInsert): Promise<void> {
  if (getDialect() === "sqlite") getAuditInsert(tx).run(values);
  else await tx.insert(auditLog).values(values);
}

/**
 * One decision per card: the update only touches a pending row, so of two racing agents exactly one
 * changes it; the audit row is written in the same transaction. `read` is the card as the caller has just read it through the same scope (the route does, to check the input), saving a read. */
export async function decideRequest(db: Db, scope: Scope, id: string, input: DecideInput, now: Date, read?: RequestCard): Promise<DecideResult> {
  const card = read?.id === id ? read : await getRequestCard(db, scope, id);
  if (!card) return { ok: false, code: "not_found" };
  const toStatus = statusForDecision(input.decision);
  const won = await transact(db, async (tx): Promise<boolean | PolicyRefusal> => {
    // Platform rules first (docs/domain/README.md): the same check the card's buttons run, inside this transaction
    const refusal = await checkDecisionPolicy(tx, id, input, now);
    if (refusal) return refusal;
    const won = await writeDecision(tx, scope, id, {
      status: toStatus,
      decision: input.decision,
      decidedAt: now,
      decidedBy: scope.userId,
      finalAt: getFinalAt(now),
      rejectReasonCode: input.decision === "reject" ? (input.reasonCode ?? null) : null,
      rejectReasonText: input.decision === "reject" ? (input.reasonText ?? null) : null,
      rejectMessage: input.decision === "reject" ? (input.message ?? null) : null,
    });
    if (!won) return false;
    await writeDecisionAudit(tx, {
      shopId: card.shop.id,
      requestId: id,
      orderId: card.order.id,
      actorId: scope.userId,
      action: input.decision === "approve" ? "approved" : "rejected",
      fromStatus: "pending",
      toStatus,
      detail: input.decision === "reject" ? { reasonCode: input.reasonCode, message: input.message, evidenceIds: input.evidenceIds ?? [] } : {},
      at: now,
    });
    // Approving a re-open card opens the order's entry in the same transaction (docs/domain/after-sales-entry.md)
    if (input.decision === "approve" && card.kind === "entry_reopen") {
      const opened = await openOrderEntry(tx, { orderId: card.order.id, actorId: scope.userId, requestId: id, source: "request", now });
      if (!opened.ok) throw new Error(`Entry of order ${card.order.id} could not be opened: ${opened.eligibility.reason}`);
    }
    // After the audit row: the rollup reads a rejection's proof from it (docs/metrics.md)
    await applyDecisionToRollup(tx, id);
    // The platform hears of the decision only if it is committed, and always if it is (docs/webhooks.md#decisions-out)
    await enqueueDecision(tx, id, now, getFinalAt(now));
    return true;
  });
  if (typeof won === "object") return { ok: false, ...won };
  const current = await getRequestCard(db, scope, id);
  if (!current) return { ok: false, code: "not_found" };
  if (won) return { ok: true, card: current };
  return {
    ok: false,
    code: "already_decided",
    status: current.status,
    decidedBy: current.decidedBy,
    decision: current.decision,
    decidedAt: current.decidedAt,
  };
}
