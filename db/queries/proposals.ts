import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { transact } from "@/db/client";
import type { Db, Tx } from "@/db/client";
import { jsonObjectText } from "@/db/dialect-workflows";
import { auditLog, requests, shops } from "@/db/schema";
import { counterOffers, platformProposals } from "@/db/schema-policy";
import { checkAction, readPolicySnapshot, type PolicyRefusal } from "@/db/queries/decision-policy";
import type { Scope } from "@/db/queries/users";
import type { CardCounterOffer, CardProposal } from "@/lib/api-types";
import { newId } from "@/lib/ids";
import { getProposalApplicability } from "@/lib/policy/platform-negotiation";
import { validateCounterOffer, type CounterOffer, type CounterOfferProblem } from "@/lib/policy/seller-negotiation";

// Douyin 主动介入协商 proposals and the seller's own counter-offers (Taobao 2025): docs/domain/negotiation.md.

export type RecordProposalInput = {
  shopId: string;
  /** Our request id (requests.id) the platform's proposal is about. */
  requestId: string;
  platformProposalId: string;
  proposedAt: Date;
  /** The platform's own expiry; without it the profile's 12 h apply. */
  expiresAt: Date | null;
  now: Date;
};

/**
 * Stores a platform proposal inside the caller's transaction (webhook ingest, seed). One that cannot
 * apply (生鲜/鲜花园艺/宠物活体, partial refund, before receipt, not Douyin) is kept with its reason and
 * locks nothing. The same proposal id again changes nothing; returns whether it was new.
 */
export async function recordProposal(tx: Tx, input: RecordProposalInput): Promise<boolean> {
  const snapshot = await readPolicySnapshot(tx, input.requestId);
  if (!snapshot || snapshot.request.shopId !== input.shopId) throw new Error(`No request ${input.requestId} in shop ${input.shopId}`);
  const applicability = getProposalApplicability(snapshot.profile, snapshot.order, snapshot.policyRequest);
  const invalidReason = applicability.isApplicable ? null : applicability.reason;
  const inserted = await tx
    .insert(platformProposals)
    .values({
      id: newId("prp"),
      shopId: input.shopId,
      requestId: input.requestId,
      platformProposalId: input.platformProposalId,
      proposedAt: input.proposedAt,
      expiresAt: input.expiresAt,
      invalidReason,
      recordedAt: input.now,
    })
    .onConflictDoNothing({ target: [platformProposals.shopId, platformProposals.platformProposalId] })
    .returning({ id: platformProposals.id });
  if (inserted.length === 0) return false;
  await tx
    .insert(auditLog)
    .values({
      shopId: input.shopId,
      requestId: input.requestId,
      orderId: snapshot.request.orderId,
      action: invalidReason ? "proposal_invalid" : "proposal_received",
      detail: { platformProposalId: input.platformProposalId, expiresAt: input.expiresAt?.toISOString() ?? null, invalidReason },
      at: input.now,
    });
  return true;
}

export type ResolveProposalInput = {
  shopId: string;
  platformProposalId: string;
  outcome: "accepted" | "rejected" | "lapsed";
  now: Date;
};

/**
 * The buyer's answer to a proposal, once. Accepted (and valid, on a pending request): the request becomes
 * return & refund with the return freight paid by the seller (docs/domain/negotiation.md); rejected or lapsed: the seller
 * reviews the original request as usual. Returns whether anything changed.
 */
export async function resolveProposal(tx: Tx, input: ResolveProposalInput): Promise<boolean> {
  const [proposal] = await tx
    .update(platformProposals)
    .set({ outcome: input.outcome, resolvedAt: input.now })
    .where(
      and(
        eq(platformProposals.shopId, input.shopId),
        eq(platformProposals.platformProposalId, input.platformProposalId),
        isNull(platformProposals.outcome),
      ),
    )
    .returning();
  if (!proposal) return false;
  const [request] = await tx.select().from(requests).where(eq(requests.id, proposal.requestId)).limit(1);
  if (!request) return false;
  const converts = input.outcome === "accepted" && proposal.invalidReason === null && request.status === "pending" && request.kind === "refund_only";
  if (converts) {
    await tx
      .update(requests)
      .set({ kind: "return_refund", version: sql`${requests.version} + 1` })
      .where(and(eq(requests.id, request.id), eq(requests.status, "pending")));
  }
  await tx
    .insert(auditLog)
    .values({
      shopId: input.shopId,
      requestId: request.id,
      orderId: request.orderId,
      action: `proposal_${input.outcome}`,
      detail: converts
        ? { platformProposalId: input.platformProposalId, fromKind: "refund_only", toKind: "return_refund", returnFreightPaidBy: "seller" }
        : { platformProposalId: input.platformProposalId },
      at: input.now,
    });
  return true;
}

export type CounterOfferResult =
  | { ok: true; counterOffer: CardCounterOffer }
  | { ok: false; code: "not_found" | "already_decided" }
  | { ok: false; code: "invalid_counter_offer"; problems: CounterOfferProblem[] }
  | ({ ok: false } & PolicyRefusal);

/** The seller proposes a partial refund or a change to return & refund; the request stays open for the buyer's answer. */
export async function makeCounterOffer(db: Db, scope: Scope, requestId: string, offer: CounterOffer, now: Date): Promise<CounterOfferResult> {
  if (scope.shopIds.length === 0) return { ok: false, code: "not_found" };
  const [owned] = await db
    .select({ id: requests.id })
    .from(requests)
    .innerJoin(shops, eq(shops.id, requests.shopId))
    .where(and(eq(requests.id, requestId), inArray(requests.shopId, scope.shopIds), eq(shops.merchantId, scope.merchantId)));
  if (!owned) return { ok: false, code: "not_found" };
  return transact(db, async (tx): Promise<CounterOfferResult> => {
    const snapshot = await readPolicySnapshot(tx, requestId);
    if (!snapshot) return { ok: false, code: "not_found" };
    if (snapshot.request.status !== "pending") return { ok: false, code: "already_decided" };
    // Douyin: no counter-offer while the platform's proposal is valid (docs/domain/negotiation.md)
    const refusal = checkAction(snapshot, "counter_offer", now);
    if (refusal) return { ok: false, ...refusal };
    const check = validateCounterOffer(snapshot.request, offer);
    if (!check.ok) return { ok: false, code: "invalid_counter_offer", problems: check.problems };
    const amountFen = offer.kind === "partial_refund" ? offer.amountFen : null;
    await tx
      .insert(counterOffers)
      .values({ id: newId("cof"), shopId: snapshot.request.shopId, requestId, kind: offer.kind, amountFen, createdBy: scope.userId, createdAt: now });
    await tx
      .update(requests)
      .set({ version: sql`${requests.version} + 1` })
      .where(eq(requests.id, requestId));
    await tx
      .insert(auditLog)
      .values({
        shopId: snapshot.request.shopId,
        requestId,
        orderId: snapshot.request.orderId,
        actorId: scope.userId,
        action: "counter_offered",
        detail: { kind: offer.kind, amountFen, requestedFen: snapshot.request.amountFen },
        at: now,
      });
    return { ok: true, counterOffer: { kind: offer.kind, amountFen, createdAt: now.toISOString() } };
  });
}

/** The request's latest proposal as one JSON column of the card query (no extra round trip per card). */
export const latestProposalJson = sql<string | null>`(select ${jsonObjectText([
  ["proposedAt", platformProposals.proposedAt],
  ["expiresAt", platformProposals.expiresAt],
  ["outcome", platformProposals.outcome],
  ["resolvedAt", platformProposals.resolvedAt],
  ["invalidReason", platformProposals.invalidReason],
])} from ${platformProposals} where ${platformProposals.requestId} = ${requests.id} order by ${platformProposals.proposedAt} desc, ${platformProposals.recordedAt} desc limit 1)`;

export const latestCounterOfferJson = sql<string | null>`(select ${jsonObjectText([
  ["kind", counterOffers.kind],
  ["amountFen", counterOffers.amountFen],
  ["createdAt", counterOffers.createdAt],
])} from ${counterOffers} where ${counterOffers.requestId} = ${requests.id} order by ${counterOffers.createdAt} desc limit 1)`;

const isoOrNull = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function parseCardProposal(json: string | null): CardProposal | null {
  if (!json) return null;
  const row = JSON.parse(json) as { proposedAt: number; expiresAt: number | null; outcome: CardProposal["outcome"]; resolvedAt: number | null; invalidReason: string | null };
  return {
    proposedAt: new Date(row.proposedAt).toISOString(),
    expiresAt: isoOrNull(row.expiresAt),
    outcome: row.outcome,
    resolvedAt: isoOrNull(row.resolvedAt),
    invalidReason: row.invalidReason,
  };
}

export function parseCardCounterOffer(json: string | null): CardCounterOffer | null {
  if (!json) return null;
  const row = JSON.parse(json) as { kind: CardCounterOffer["kind"]; amountFen: number | null; createdAt: number };
  return { kind: row.kind, amountFen: row.amountFen, createdAt: new Date(row.createdAt).toISOString() };
}
