import { withScope } from "@/app/_server/api";
import { loadReport } from "@/app/api/metrics/report-params";
import { getDb } from "@/db/client";

export const GET = withScope(async (request, { scope }) => {
  const loaded = await loadReport(getDb(), scope, new URL(request.url).searchParams, new Date());
  if ("error" in loaded) return loaded.error;
  return Response.json(loaded.data, { headers: { "cache-control": "no-store" } });
});
