import { withScope } from "@/app/_server/api";
import { getDb } from "@/db/client";
import { getLiveHourStatus } from "@/db/queries/metrics/live-hour";
import { getReportShopIds } from "@/db/queries/metrics/report";

export const GET = withScope(async (_request, { scope }) => {
  const db = getDb();
  const shopIds = (await getReportShopIds(db, scope, undefined)) ?? [];
  return Response.json(await getLiveHourStatus(db, shopIds, new Date()), { headers: { "cache-control": "no-store" } });
});
