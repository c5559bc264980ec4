import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { getHotRow } from "@/db/dialect-workflows";
import { evidenceFiles, orders, requests } from "@/db/schema";
import { platformProposals } from "@/db/schema-policy";
import { toEntryIneligibility, toPolicyOrder } from "@/db/queries/orders";
import type { EntryIneligibility } from "@/lib/api-types";
import type { Decision, RequestKind } from "@/lib/domain";
import { newId } from "@/lib/ids";
import { getAllowedActions, withPlatformAnswers, type ActionOrder, type ActionRequest, type SellerAction } from "@/lib/policy/allowed-actions";
import type { PlatformProposal } from "@/lib/policy/platform-negotiation";
import { getPolicyProfile, type PolicyProfile, type UnrejectableRule } from "@/lib/policy/profiles";
import { getRejectReasonListKey, toProfileReasons } from "@/lib/platforms/reject-reasons";
import { checkPlatformAnswer, getAnswerAvailability } from "@/lib/platforms/answer-table";
import type { AnswerProblem, NativeRefund, NotOfferedReason, PlatformRejectReason } from "@/lib/platforms/types";
import { platformApps, platformRefunds, platformRejectReasons } from "@/db/schema-platforms";
import { validateRejection, type RejectionProblem } from "@/lib/policy/rejection";

// The server's side of the card's buttons: the same pure rules the UI runs, read inside the deciding
// transaction so a proposal or an opening that lands a moment earlier is seen.

type ProposalRecord = typeof platformProposals.$inferSelect;

/** A proposal as the rules read it; "lapsed" from the platform ends it when it said so. */
export function toPlatformProposal(row: Pick<ProposalRecord, "proposedAt" | "expiresAt" | "outcome" | "resolvedAt">): PlatformProposal {
  if (row.outcome === "lapsed") return { createdAt: row.proposedAt, expiresAt: row.resolvedAt ?? row.expiresAt };
  return { createdAt: row.proposedAt, expiresAt: row.expiresAt, buyerResponse: row.outcome };
}

/** 七天无理由 is the buyer's reason code; such requests may not be refused on Taobao/Tmall (docs/domain/rejections.md). */
export function toPolicyRequest(request: Pick<typeof requests.$inferSelect, "kind" | "amountFen" | "receivedAt" | "reasonCode">): ActionRequest {
  return {
    kind: request.kind,
    amountFen: request.amountFen,
    receivedAt: request.receivedAt,
    isSevenDayNoReason: request.reasonCode === "no_reason_7d",
  };
}

/** A connected shop's platform side of the card: the refund's native state and the platform's reasons for its kind. */
export type PlatformSnapshot = { native: NativeRefund | null; reasons: PlatformRejectReason[] | null };

export type PolicySnapshot = {
  request: typeof requests.$inferSelect;
  profile: PolicyProfile;
  order: ActionOrder;
  policyRequest: ActionRequest;
  proposal: PlatformProposal | null;
  /** null: the shop speaks our own contract, which takes every answer. */
  platform: PlatformSnapshot | null;
};

async function readPlatformSnapshot(tx: Tx, shopId: string, platformRequestId: string, kind: RequestKind): Promise<PlatformSnapshot | null> {
  const connected = await getHotRow(
    tx,
    "policy-snapshot:app",
    (params) => tx.select({ shopId: platformApps.shopId }).from(platformApps).where(eq(platformApps.shopId, params.shopId)),
    { shopId },
  );
  if (!connected) return null;
  const native = await getHotRow(
    tx,
    "policy-snapshot:native",
    (params) =>
      tx
        .select({ native: platformRefunds.native })
        .from(platformRefunds)
        .where(and(eq(platformRefunds.shopId, params.shopId), eq(platformRefunds.platformRequestId, params.platformRequestId))),
    { shopId, platformRequestId },
  );
  // The list for this refund as the platform lists it (Taobao: per phase and state), never another refund's
  const listKey = getRejectReasonListKey(kind, native?.native ?? null);
  const reasons = await getHotRow(
    tx,
    "policy-snapshot:reasons",
    (params) =>
      tx
        .select({ reasons: platformRejectReasons.reasons })
        .from(platformRejectReasons)
        .where(and(eq(platformRejectReasons.shopId, params.shopId), eq(platformRejectReasons.kind, params.kind))),
    { shopId, kind: listKey },
  );
  return { native: native?.native ?? null, reasons: reasons?.reasons ?? null };
}

export async function readPolicySnapshot(tx: Tx, requestId: string): Promise<PolicySnapshot | null> {
  // Read inside every decision's transaction: prepared once per connection on SQLite
  const row = await getHotRow(
    tx,
    "policy-snapshot:request",
    (params) => tx.select({ request: requests, order: orders }).from(requests).innerJoin(orders, eq(orders.id, requests.orderId)).where(eq(requests.id, params.requestId)),
    { requestId },
  );
  if (!row) return null;
  const proposal = await getHotRow(
    tx,
    "policy-snapshot:proposal",
    (params) =>
      tx
        .select()
        .from(platformProposals)
        .where(eq(platformProposals.requestId, params.requestId))
        .orderBy(desc(platformProposals.proposedAt), desc(platformProposals.recordedAt))
        .limit(1),
    { requestId },
  );
  return {
    request: row.request,
    profile: getPolicyProfile(row.request.platform),
    order: toPolicyOrder(row.order),
    policyRequest: toPolicyRequest(row.request),
    proposal: proposal ? toPlatformProposal(proposal) : null,
    platform: await readPlatformSnapshot(tx, row.request.shopId, row.request.platformRequestId, row.request.kind),
  };
}

export type PolicyRefusal =
  | { code: "negotiation_lock"; until: string }
  | { code: "not_rejectable"; rules: UnrejectableRule[] }
  | { code: "not_eligible"; eligibility: EntryIneligibility }
  | { code: "not_negotiable" }
  | { code: "rejection_incomplete"; missing: RejectionProblem[] }
  | { code: "evidence_not_found"; evidenceIds: string[] }
  /** The platform's API has no answer for this card now (the button says why). */
  | { code: "answer_not_offered"; reason: NotOfferedReason }
  /** The answer would be refused by the platform as drafted (message length, proof, reason). */
  | { code: "platform_refuses"; problems: AnswerProblem[] };

/** Whether one of the card's actions is allowed now (getAllowedActions); null when it is. */
export function checkAction(snapshot: PolicySnapshot, action: SellerAction, now: Date): PolicyRefusal | null {
  const answers = snapshot.platform ? getAnswerAvailability(snapshot.request.platform, snapshot.request.kind, snapshot.platform.native) : null;
  // The card's buttons ask the same (components/policy/card-policy-state.ts)
  const permission = withPlatformAnswers(getAllowedActions(snapshot.profile, snapshot.order, snapshot.policyRequest, snapshot.proposal, now), answers)[action];
  if (permission.isAllowed) return null;
  switch (permission.reason) {
    case "negotiation_lock":
      return { code: "negotiation_lock", until: permission.until.toISOString() };
    case "not_rejectable":
      return { code: "not_rejectable", rules: permission.rules };
    case "not_eligible":
      return { code: "not_eligible", eligibility: toEntryIneligibility(permission.eligibility) };
    case "not_negotiable":
      return { code: "not_negotiable" };
    case "answer_not_offered":
      return { code: "answer_not_offered", reason: permission.notOffered };
  }
}

export type DecisionPolicyInput = { decision: Decision; reasonCode?: string; message?: string; evidenceIds?: string[] };

/**
 * The rules a decision must pass, checked inside the deciding transaction. A card that is no longer
 * pending passes here, so the caller answers already_decided (who won matters more than why not).
 */
export async function checkDecisionPolicy(tx: Tx, requestId: string, input: DecisionPolicyInput, now: Date): Promise<PolicyRefusal | null> {
  const snapshot = await readPolicySnapshot(tx, requestId);
  if (!snapshot || snapshot.request.status !== "pending") return null;
  const refusal = checkAction(snapshot, input.decision, now);
  if (refusal || input.decision === "approve") return refusal;
  if (snapshot.platform && snapshot.platform.reasons === null) return { code: "platform_refuses", problems: [{ code: "reasons_unavailable" }] };
  const evidenceIds = [...new Set(input.evidenceIds ?? [])];
  // Only files uploaded under this request's shop count as its proof
  const files = evidenceIds.length
    ? await tx
        .select({ id: evidenceFiles.id, name: evidenceFiles.name, type: evidenceFiles.mimeType, sizeBytes: sql<number>`length(${evidenceFiles.bytes})`.mapWith(Number) })
        .from(evidenceFiles)
        .where(and(inArray(evidenceFiles.id, evidenceIds), eq(evidenceFiles.shopId, snapshot.request.shopId)))
    : [];
  const unknown = evidenceIds.filter((id) => !files.some((file) => file.id === id));
  if (unknown.length > 0) return { code: "evidence_not_found", evidenceIds: unknown };
  // A connected shop rejects with its platform's own reasons (and their proof rules), not the desk's list
  const profile = snapshot.platform?.reasons ? { ...snapshot.profile, rejectReasons: toProfileReasons(snapshot.platform.reasons) } : snapshot.profile;
  const check = validateRejection(profile, snapshot.order, snapshot.policyRequest, {
    reasonCode: input.reasonCode ?? null,
    message: input.message ?? "",
    evidence: files,
  });
  if (!check.ok) return { code: "rejection_incomplete", missing: check.missing };
  if (!snapshot.platform) return null;
  const problems = checkPlatformAnswer(snapshot.request.platform, {
    kind: snapshot.request.kind,
    action: "reject",
    native: snapshot.platform.native,
    message: input.message ?? "",
    reasonCode: input.reasonCode ?? null,
    reasons: snapshot.platform.reasons,
    proof: files,
  });
  return problems.length > 0 ? { code: "platform_refuses", problems } : null;
}

/** Stores a seller's proof under the request's shop (evidence_files); type and size were checked by the caller. */
export async function saveRejectionEvidence(
  db: Db,
  input: { shopId: string; name: string; mimeType: string; bytes: Buffer },
): Promise<{ id: string; name: string; type: string; sizeBytes: number }> {
  const id = newId("evd");
  await db.insert(evidenceFiles).values({ id, shopId: input.shopId, name: input.name, mimeType: input.mimeType, bytes: input.bytes });
  return { id, name: input.name, type: input.mimeType, sizeBytes: input.bytes.length };
}
