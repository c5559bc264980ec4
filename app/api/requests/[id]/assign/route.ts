import { z } from "zod";
import { parseJsonBody, withScope } from "@/app/_server/api";
import { parseRequestId } from "@/app/_server/request-card";
import { answerClaim } from "@/app/_server/claim-response";
import { getDb } from "@/db/client";
import { assignRequest } from "@/db/queries/claims";
import { idSchema } from "@/lib/ids";

const assignBody = z.object({ userId: idSchema("usr") }).strict();

/** The owner reassigns a card to a team member who may work its shop. */
export const POST = withScope<{ id: string }>(async (request, { scope, params }) => {
  const parsed = parseRequestId(params.id);
  if ("error" in parsed) return parsed.error;
  const { id } = parsed;
  const body = await parseJsonBody(request, assignBody);
  if ("error" in body) return body.error;
  return answerClaim(await assignRequest(getDb(), scope, id, body.data.userId, new Date()), scope, id);
}, { role: "owner" });
