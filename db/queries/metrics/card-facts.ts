import { sql } from "drizzle-orm";
import { jsonArrayLengthAt } from "@/db/dialect-metrics";
import { requests } from "@/db/schema";
import type { RequestKind } from "@/lib/domain";
import { ruleAgentId, type CardFacts } from "@/lib/metrics/response-metrics";
import type { MetricsReport } from "@/lib/metrics/report-types";
import { getPolicyProfile } from "@/lib/policy/profiles";
import { getRejectionRequirements } from "@/lib/policy/rejection";

// From a request row to the facts a rollup counts

/** The request columns the rollups depend on; any change to one of them must go through applyRollupChange. */
export type RollupSource = Pick<
  typeof requests.$inferSelect,
  "shopId" | "platform" | "kind" | "status" | "receivedAt" | "decidedAt" | "decidedBy" | "rejectReasonCode" | "rejectMessage" | "amountFen"
> & {
  /** Proof files the seller attached to the rejection (the "rejected" audit row's evidenceIds); 0 otherwise. */
  rejectEvidenceCount: number;
};

function buildRollupSourceColumns() {
  return {
    shopId: requests.shopId,
    platform: requests.platform,
    kind: requests.kind,
    status: requests.status,
    receivedAt: requests.receivedAt,
    decidedAt: requests.decidedAt,
    decidedBy: requests.decidedBy,
    rejectReasonCode: requests.rejectReasonCode,
    rejectMessage: requests.rejectMessage,
    amountFen: requests.amountFen,
    // The latest rejection's proof, from its audit row (audit_request_idx); decisions keep no proof column of their own
    // Spelled out: drizzle leaves columns unqualified here, and "id" would bind to audit_log's own id
    // Only a rejected card looks (CASE skips the subquery otherwise, which a rebuild of a million cards notices)
    rejectEvidenceCount: sql<number>`case when "requests"."status" = 'rejected' then coalesce((select ${sql.raw(jsonArrayLengthAt('a."detail"', "evidenceIds"))} from "audit_log" a where a."request_id" = "requests"."id" and a."action" = 'rejected' order by a."at" desc limit 1), 0) else 0 end`.mapWith(Number),
  };
}

let rollupSourceColumns: ReturnType<typeof buildRollupSourceColumns> | undefined;

/** The select of a request's RollupSource; built on first use, once the engine is known (db/dialect.ts). */
export function getRollupSourceColumns(): ReturnType<typeof buildRollupSourceColumns> {
  rollupSourceColumns ??= buildRollupSourceColumns();
  return rollupSourceColumns;
}

const refundKinds: readonly RequestKind[] = ["refund_only", "return_refund"];

function isRejectEvidenceRequired(row: RollupSource): boolean {
  // The card is already rejected, so "may it be rejected at all" is moot: only the evidence requirement is read
  const requirement = getRejectionRequirements(getPolicyProfile(row.platform), { shippedAt: row.receivedAt }, { kind: row.kind }, row.rejectReasonCode).find(
    (candidate) => candidate.code === "evidence",
  );
  return requirement?.code === "evidence" && requirement.isRequired;
}

/**
 * A decision is the card's first answer; a decision without a person is a rule's (docs/domain/automatic-rules.md). Nothing
 * records platform intervention or seller-paid return freight yet, so both are 0 (the page says so).
 */
export function toCardFacts(row: RollupSource): CardFacts {
  const isRejected = row.status === "rejected";
  return {
    shopId: row.shopId,
    platform: row.platform,
    kind: row.kind,
    receivedAt: row.receivedAt,
    answeredAt: row.decidedAt,
    answeredBy: row.decidedAt ? (row.decidedBy ?? ruleAgentId) : null,
    status: row.status,
    hasRejectReason: isRejected && Boolean(row.rejectReasonCode) && Boolean(row.rejectMessage?.trim()),
    // Rejecting without proof where the platform or the reason calls for it counts as 卖家有责 (docs/metrics.md)
    hasRejectEvidence: isRejected && (row.rejectEvidenceCount > 0 || !isRejectEvidenceRequired(row)),
    hasIntervention: false,
    refundFen: row.status === "approved" && refundKinds.includes(row.kind) ? row.amountFen : 0,
    returnFreightFen: 0,
  };
}

/** Which of the figures have a source that records them today. */
export const recordedSources: MetricsReport["recordedSources"] = { intervention: false, returnFreight: false };
