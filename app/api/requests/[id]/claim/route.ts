import { withScope } from "@/app/_server/api";
import { parseRequestId } from "@/app/_server/request-card";
import { answerClaim } from "@/app/_server/claim-response";
import { getDb } from "@/db/client";
import { claimRequest, releaseClaim } from "@/db/queries/claims";

/** POST: claim (认领) the card; DELETE: give it back (your own, or any as the owner). */
export const POST = withScope<{ id: string }>(async (_request, { scope, params }) => {
  const parsed = parseRequestId(params.id);
  if ("error" in parsed) return parsed.error;
  const { id } = parsed;
  return answerClaim(await claimRequest(getDb(), scope, id, new Date()), scope, id);
});

export const DELETE = withScope<{ id: string }>(async (_request, { scope, params }) => {
  const parsed = parseRequestId(params.id);
  if ("error" in parsed) return parsed.error;
  const { id } = parsed;
  return answerClaim(await releaseClaim(getDb(), scope, id, new Date()), scope, id);
});
