import { z } from "zod";
import { parseJsonBody, withScope } from "@/app/_server/api";
import { answerClaim } from "@/app/_server/claim-response";
import { getDb } from "@/db/client";
import { assignRequest } from "@/db/queries/claims";
import { apiError } from "@/lib/api-error";
import { requestIdParam } from "@/lib/api-schemas";
import { idSchema } from "@/lib/ids";

const assignBody = z.object({ userId: idSchema("usr") }).strict();

/** The owner reassigns a card to a team member who may work its shop. */
export const POST = withScope<{ id: string }>(async (request, { scope, params }) => {
  const id = requestIdParam.safeParse(params.id);
  if (!id.success) return apiError("invalid_id", `Not a request id: ${params.id}`);
  const body = await parseJsonBody(request, assignBody);
  if ("error" in body) return body.error;
  return answerClaim(await assignRequest(getDb(), scope, id.data, body.data.userId, new Date()), scope, id.data);
}, { role: "owner" });
