import { withScope } from "@/app/_server/api";
import { loadCardOr404 } from "@/app/_server/request-card";
import { getDb } from "@/db/client";
import { listRequestAudit } from "@/db/queries/requests";

export const GET = withScope<{ id: string }>(async (_request, { scope, params }) => {
  const db = getDb();
  const loaded = await loadCardOr404(db, scope, params.id);
  if ("error" in loaded) return loaded.error;
  const audit = await listRequestAudit(db, scope, loaded.id);
  return Response.json({ card: loaded.card, audit, serverNow: new Date().toISOString() }, { headers: { "cache-control": "no-store" } });
});
