import { withScope } from "@/app/_server/api";
import { getDb } from "@/db/client";
import { listRecentDeliveries } from "@/db/queries/outbox";
import { listRecentEvents, listShopConnections } from "@/db/queries/webhooks";

/** The settings page's data: connections, the last 50 events and the last 50 deliveries. */
export const GET = withScope(async (_request, { scope }) => {
  const db = getDb();
  const [connections, events, deliveries] = await Promise.all([
    await listShopConnections(db, scope.merchantId, scope.shopIds, new Date()),
    await listRecentEvents(db, scope.shopIds),
    await listRecentDeliveries(db, scope.shopIds),
  ]);
  return Response.json({ connections, events, deliveries }, { headers: { "cache-control": "no-store" } });
}, { role: "owner" });
