import { parseJsonBody, withScope } from "@/app/_server/api";
import { getDb } from "@/db/client";
import { decideRequest } from "@/db/workflows/decide";
import { bulkDecisionBody } from "@/lib/api-schemas";
import type { BulkDecisionResult } from "@/lib/api-types";

/**
 * Approves many cards, each in its own conditional transaction with the same rules as a single click:
 * the answer lists which ones someone else had already decided, or the platform's rules refused.
 */
export const POST = withScope(async (request, { scope }) => {
  const body = await parseJsonBody(request, bulkDecisionBody);
  if ("error" in body) return body.error;
  const db = getDb();
  const results: BulkDecisionResult[] = [];
  for (const id of new Set(body.data.ids)) {
    const result = await decideRequest(db, scope, id, { decision: "approve" }, new Date());
    if (result.ok) results.push({ id, outcome: "approved" });
    else if (result.code === "not_found") results.push({ id, outcome: "not_found" });
    else if (result.code === "already_decided") {
      results.push({ id, outcome: "already_decided", decidedBy: result.decidedBy, decision: result.decision, decidedAt: result.decidedAt });
    } else results.push({ id, outcome: "refused", code: result.code });
  }
  return Response.json({ results, approved: results.filter((result) => result.outcome === "approved").length });
});
