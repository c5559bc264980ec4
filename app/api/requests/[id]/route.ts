import { withScope } from "@/app/_server/api";
import { getDb } from "@/db/client";
import { getRequestCard, listRequestAudit } from "@/db/queries/requests";
import { apiError } from "@/lib/api-error";
import { requestIdParam } from "@/lib/api-schemas";

export const GET = withScope<{ id: string }>(async (_request, { scope, params }) => {
  const id = requestIdParam.safeParse(params.id);
  if (!id.success) return apiError("invalid_id", `Not a request id: ${params.id}`);
  const db = getDb();
  const card = await getRequestCard(db, scope, id.data);
  if (!card) return apiError("not_found", `No request ${id.data}`);
  const audit = await listRequestAudit(db, scope, id.data);
  return Response.json({ card, audit, serverNow: new Date().toISOString() }, { headers: { "cache-control": "no-store" } });
});
