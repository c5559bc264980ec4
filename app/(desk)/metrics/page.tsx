import { notFound } from "next/navigation";
import { requirePageScope } from "@/app/_server/scope";
import { loadReport, loadStaffing } from "@/app/api/metrics/report-params";
import { MetricsView, type MetricsParams } from "@/components/metrics/metrics-view";
import { getDb } from "@/db/client";
import { listScopeShops } from "@/db/queries/users";
import { getCustomRangeProblem, metricsQuery } from "@/lib/metrics/report-range";
import { getShanghaiDay } from "@/lib/time";

export default async function MetricsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const scope = await requirePageScope();
  const raw = await searchParams;
  const text = (value: string | string[] | undefined) => (typeof value === "string" && value !== "" ? value : undefined);
  const db = getDb();
  const now = new Date();
  // A custom range the page cannot show (to before from, too long, in the future…) is refused in words, with
  // the owner's days kept in the form; any other hand-edited bad range falls back to the default view. A
  // foreign shop is a 404.
  const rangeProblem = raw.range === "custom" ? getCustomRangeProblem(text(raw.from), text(raw.to), getShanghaiDay(now)) : null;
  const isValid = rangeProblem === null && metricsQuery.safeParse(raw).success;
  const input = isValid ? raw : { shop: raw.shop };
  const [report, staffing, shops] = await Promise.all([loadReport(db, scope, input, now), loadStaffing(db, scope, raw, now), await listScopeShops(db, scope)]);
  if ("error" in report) notFound();
  const staffingData = "error" in staffing ? await loadStaffing(db, scope, { shop: report.data.shopId ?? undefined }, now) : staffing;
  if ("error" in staffingData) notFound();
  const keepsDays = isValid || rangeProblem !== null;
  const params: MetricsParams = {
    range: metricsQuery.parse(isValid ? raw : {}).range,
    from: keepsDays ? text(raw.from) : undefined,
    to: keepsDays ? text(raw.to) : undefined,
    shop: report.data.shopId ?? undefined,
    agents: "error" in staffing ? undefined : text(raw.agents),
    target: "error" in staffing ? undefined : text(raw.target),
    rangeProblem: rangeProblem ?? undefined,
  };
  return <MetricsView report={report.data} staffing={staffingData.data} shops={shops} params={params} />;
}
