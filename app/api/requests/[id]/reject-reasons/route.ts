import { withScope } from "@/app/_server/api";
import { ensureRejectReasons } from "@/app/_server/platforms/reject-reasons";
import { getDb } from "@/db/client";
import { getRequestCard } from "@/db/queries/requests";
import { apiError } from "@/lib/api-error";
import { requestIdParam } from "@/lib/api-schemas";
import type { RejectReasonsBody } from "@/lib/api-types";

// The reasons the reject dialog offers: a connected shop's come from its platform (cached a day); others use the desk's.
export const GET = withScope<{ id: string }>(async (_request, { scope, params }) => {
  const id = requestIdParam.safeParse(params.id);
  if (!id.success) return apiError("invalid_id", `Not a request id: ${params.id}`);
  const db = getDb();
  const card = await getRequestCard(db, scope, id.data);
  if (!card) return apiError("not_found", `No request ${id.data}`);
  const headers = { "cache-control": "no-store" };
  if (!card.answers) return Response.json({ source: "desk" } satisfies RejectReasonsBody, { headers });
  const list = await ensureRejectReasons(db, { shopId: card.shop.id, kind: card.kind, platformRequestId: card.platformRequestId }, new Date());
  const body: RejectReasonsBody = { source: "platform", reasons: list?.reasons ?? null, fetchedAt: list?.fetchedAt.toISOString() ?? null, isStale: list?.isStale ?? false };
  return Response.json(body, { headers });
});
