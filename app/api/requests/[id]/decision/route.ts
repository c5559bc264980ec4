import { parseJsonBody, withScope } from "@/app/_server/api";
import { ensureRejectReasons } from "@/app/_server/platforms/reject-reasons";
import { findCardOr404, parseRequestId } from "@/app/_server/request-card";
import { getDb } from "@/db/client";
import { decideRequest } from "@/db/workflows/decide";
import { apiError } from "@/lib/api-error";
import { decisionBody } from "@/lib/api-schemas";
import { checkDecisionInput } from "@/lib/decision";
import { getPolicyProfile } from "@/lib/policy/profiles";
import { toProfileReasons } from "@/lib/platforms/reject-reasons";
import { policyRefusalError } from "@/app/api/requests/[id]/policy-refusal";

export const POST = withScope<{ id: string }>(async (request, { scope, params }) => {
  const parsedId = parseRequestId(params.id);
  if ("error" in parsedId) return parsedId.error;
  const { id } = parsedId;
  const body = await parseJsonBody(request, decisionBody);
  if ("error" in body) return body.error;
  const db = getDb();
  const found = await findCardOr404(db, scope, id);
  if ("error" in found) return found.error;
  const { card } = found;
  const now = new Date();
  // A connected shop rejects with its platform's reasons: today's list is cached first (the policy check reads it,
  // and answers reasons_unavailable when the platform could not be read)
  const platformReasons = card.answers && body.data.decision === "reject" ? await ensureRejectReasons(db, { shopId: card.shop.id, kind: card.kind, platformRequestId: card.platformRequestId }, now) : null;
  const profile = getPolicyProfile(card.platform);
  if (!card.answers || platformReasons) {
    const issues = checkDecisionInput(platformReasons ? { ...profile, rejectReasons: toProfileReasons(platformReasons.reasons) } : profile, body.data);
    if (issues.length > 0) return apiError("invalid_body", issues[0].message, { issues });
  }
  // The platform's words for its reason are kept with the rejection, so the card reads them and not the bare id
  const reasonText = platformReasons?.reasons.find((reason) => reason.id === body.data.reasonCode)?.text;
  const result = await decideRequest(db, scope, id, { ...body.data, reasonText }, now, card);
  if (result.ok) return Response.json({ card: result.card });
  if (result.code === "not_found") return apiError("not_found", `No request ${id}`);
  if (result.code !== "already_decided") return policyRefusalError(result);
  const { code: _code, ok: _ok, ...winner } = result;
  const message = winner.decidedBy
    ? `Already decided by ${winner.decidedBy.name} at ${winner.decidedAt}`
    : `This request is ${winner.status} and can no longer be decided`;
  return apiError("already_decided", message, winner);
});
