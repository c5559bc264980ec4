import { withScope } from "@/app/_server/api";
import { ensureRejectReasons } from "@/app/_server/platforms/reject-reasons";
import { loadCardOr404 } from "@/app/_server/request-card";
import { getDb } from "@/db/client";
import type { RejectReasonsBody } from "@/lib/api-types";

// The reasons the reject dialog offers: a connected shop's come from its platform (cached a day); others use the desk's.
export const GET = withScope<{ id: string }>(async (_request, { scope, params }) => {
  const db = getDb();
  const loaded = await loadCardOr404(db, scope, params.id);
  if ("error" in loaded) return loaded.error;
  const { card } = loaded;
  const headers = { "cache-control": "no-store" };
  if (!card.answers) return Response.json({ source: "desk" } satisfies RejectReasonsBody, { headers });
  const list = await ensureRejectReasons(db, { shopId: card.shop.id, kind: card.kind, platformRequestId: card.platformRequestId }, new Date());
  const body: RejectReasonsBody = { source: "platform", reasons: list?.reasons ?? null, fetchedAt: list?.fetchedAt.toISOString() ?? null, isStale: list?.isStale ?? false };
  return Response.json(body, { headers });
});
