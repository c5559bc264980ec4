import { notFound } from "next/navigation";
import { requirePageScope } from "@/app/_server/scope";
import { loadReport, loadStaffing } from "@/app/api/metrics/report-params";
import { MetricsView, type MetricsParams } from "@/components/metrics/metrics-view";
import { getDb } from "@/db/client";
import { listScopeShops } from "@/db/queries/users";
import { metricsQuery } from "@/lib/metrics/report-range";

export default async function MetricsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const scope = await requirePageScope();
  const raw = await searchParams;
  // A hand-edited URL with a bad range falls back to the default view instead of failing; a foreign shop is a 404
  const isValid = metricsQuery.safeParse(raw).success;
  const input = isValid ? raw : { shop: raw.shop };
  const db = getDb();
  const now = new Date();
  const [report, staffing, shops] = await Promise.all([loadReport(db, scope, input, now), loadStaffing(db, scope, raw, now), listScopeShops(db, scope)]);
  if ("error" in report) notFound();
  const staffingData = "error" in staffing ? await loadStaffing(db, scope, { shop: report.data.shopId ?? undefined }, now) : staffing;
  if ("error" in staffingData) notFound();
  const params: MetricsParams = {
    range: metricsQuery.parse(isValid ? raw : {}).range,
    from: isValid && typeof raw.from === "string" ? raw.from : undefined,
    to: isValid && typeof raw.to === "string" ? raw.to : undefined,
    shop: report.data.shopId ?? undefined,
    agents: "error" in staffing || typeof raw.agents !== "string" ? undefined : raw.agents,
    target: "error" in staffing || typeof raw.target !== "string" ? undefined : raw.target,
  };
  return <MetricsView report={report.data} staffing={staffingData.data} shops={shops} params={params} />;
}
