import { withScope } from "@/app/_server/api";
import { answerClaim } from "@/app/_server/claim-response";
import { getDb } from "@/db/client";
import { claimRequest, releaseClaim } from "@/db/queries/claims";
import { apiError } from "@/lib/api-error";
import { requestIdParam } from "@/lib/api-schemas";

/** POST: claim (认领) the card; DELETE: give it back (your own, or any as the owner). */
export const POST = withScope<{ id: string }>(async (_request, { scope, params }) => {
  const id = requestIdParam.safeParse(params.id);
  if (!id.success) return apiError("invalid_id", `Not a request id: ${params.id}`);
  return answerClaim(await claimRequest(getDb(), scope, id.data, new Date()), scope, id.data);
});

export const DELETE = withScope<{ id: string }>(async (_request, { scope, params }) => {
  const id = requestIdParam.safeParse(params.id);
  if (!id.success) return apiError("invalid_id", `Not a request id: ${params.id}`);
  return answerClaim(await releaseClaim(getDb(), scope, id.data, new Date()), scope, id.data);
});
