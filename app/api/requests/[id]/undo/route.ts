import { withScope } from "@/app/_server/api";
import { parseRequestId } from "@/app/_server/request-card";
import { getDb } from "@/db/client";
import { undoDecision } from "@/db/workflows/undo";
import { apiError } from "@/lib/api-error";

const refusalMessages = {
  not_decided: "This request has no decision to undo",
  not_yours: "Only the agent who decided can undo it",
  final: "The decision is final and has been sent to the platform",
} as const;

export const POST = withScope<{ id: string }>(async (_request, { scope, params }) => {
  const parsed = parseRequestId(params.id);
  if ("error" in parsed) return parsed.error;
  const { id } = parsed;
  const result = await undoDecision(getDb(), scope, id, new Date());
  if (result.ok) return Response.json({ card: result.card });
  if (result.code === "not_found") return apiError("not_found", `No request ${id}`);
  return apiError("undo_refused", refusalMessages[result.reason], { reason: result.reason });
});
