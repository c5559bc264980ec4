import { withScope } from "@/app/_server/api";
import { getDb } from "@/db/client";
import { undoDecision } from "@/db/workflows/undo";
import { apiError } from "@/lib/api-error";
import { requestIdParam } from "@/lib/api-schemas";

const refusalMessages = {
  not_decided: "This request has no decision to undo",
  not_yours: "Only the agent who decided can undo it",
  final: "The decision is final and has been sent to the platform",
} as const;

export const POST = withScope<{ id: string }>(async (_request, { scope, params }) => {
  const id = requestIdParam.safeParse(params.id);
  if (!id.success) return apiError("invalid_id", `Not a request id: ${params.id}`);
  const result = await undoDecision(getDb(), scope, id.data, new Date());
  if (result.ok) return Response.json({ card: result.card });
  if (result.code === "not_found") return apiError("not_found", `No request ${id.data}`);
  return apiError("undo_refused", refusalMessages[result.reason], { reason: result.reason });
});
