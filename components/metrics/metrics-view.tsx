import Link from "next/link";
import { useLocale, useTranslations } from "next-intl";
import { BreakdownTable, CsvLink, type BreakdownName } from "@/components/metrics/breakdown-table";
import { DayChart } from "@/components/metrics/charts";
import { formatDelta, formatFigure, type FigureName } from "@/components/metrics/format";
import { Heatmap } from "@/components/metrics/heatmap";
import { StaffingPanel } from "@/components/metrics/staffing-panel";
import { cn } from "@/components/ui/cn";
import { PlatformBadge } from "@/components/inbox/badges";
import type { Platform } from "@/lib/domain";
import { formatDuration } from "@/lib/duration";
import type { MetricsParams } from "@/components/metrics/metrics-params";
import { maxCustomDays, rangePresets, type PeriodDays } from "@/lib/metrics/report-range";
import type { BreakdownRow, MetricsReport, StaffingForecast } from "@/lib/metrics/report-types";

/**
 * The page's URL state: range, shop and the staffing inputs all live in the query string. `rangeProblem` is
 * not: it says why a custom range in the URL was refused (the form keeps the days the owner chose).
 */
export type { MetricsParams };

export function toMetricsSearch(params: MetricsParams, extra: Record<string, string> = {}): string {
  const search = new URLSearchParams();
  const { rangeProblem: _problem, ...urlParams } = params;
  // The days of a refused custom range stay in the form only: links carry the range actually on the page
  const carried = params.rangeProblem ? { ...urlParams, from: undefined, to: undefined } : urlParams;
  for (const [key, value] of Object.entries({ ...carried, ...extra })) if (value) search.set(key, value);
  return search.toString();
}

const headlineFigures: FigureName[] = [
  "received",
  "scoringHoursResponseRate",
  "responseRate",
  "p50ResponseMs",
  "p90ResponseMs",
  "p99ResponseMs",
  "autoAnsweredShare",
  "approved",
  "rejected",
  "rejectedWithoutReasonOrEvidence",
  "refundFen",
];

function FigureCard({ label, value, delta, note, how, testId }: { label: string; value: string; delta?: string | null; note?: string; how: string; testId: string }) {
  const t = useTranslations("metrics");
  return (
    <div className="rounded-lg bg-white p-3 ring-1 ring-slate-200" data-testid={testId}>
      <dt className="text-xs text-slate-600">{label}</dt>
      <dd className="mt-1 text-xl font-semibold tabular-nums">{value}</dd>
      {delta ? <dd className="text-xs text-slate-600">{t("vsPrevious", { delta })}</dd> : null}
      {note ? <dd className="mt-1 text-xs text-amber-800">{note}</dd> : null}
      <dd className="mt-1 text-xs text-slate-600">{how}</dd>
    </div>
  );
}

/** "2026-10-25 至 2026-11-23（截至 14:30）", or one day. */
function usePeriodText() {
  const t = useTranslations("ownerPages.metrics.period");
  return ({ firstDay, lastDay, endClock }: PeriodDays) => {
    if (firstDay === lastDay) return endClock ? t("dayUntil", { day: firstDay, clock: endClock }) : t("day", { day: firstDay });
    return endClock ? t("daysUntil", { first: firstDay, last: lastDay, clock: endClock }) : t("days", { first: firstDay, last: lastDay });
  };
}

export function MetricsView({
  report,
  staffing,
  shops,
  params,
}: {
  report: MetricsReport;
  staffing: StaffingForecast;
  shops: { id: string; name: string; platform: Platform }[];
  params: MetricsParams;
}) {
  const t = useTranslations();
  const tUnits = useTranslations("units");
  const locale = useLocale();
  const periodText = usePeriodText();
  const isOwner = report.viewer.role === "owner";
  const isEmpty = report.figures.received.current === 0;
  const csvHref = (table: string) => `/api/metrics/export?${toMetricsSearch(params, { table })}`;
  const getLabel = (name: BreakdownName) => (row: BreakdownRow) => {
    if (name === "platform") return t(`platform.${row.key}` as "platform.tmall");
    if (name === "kind") return t(`kind.${row.key}` as "kind.refund_only");
    if (name === "agent" && row.key === "rule") return t("metrics.agentRule");
    if (name === "agent" && row.key === "") return t("metrics.agentUnanswered");
    return row.label;
  };
  // One platform in view: its own hours in the label; several: the list below the figures says each one's
  const onlyPlatform = report.policy.platforms.length === 1 ? report.policy.platforms[0] : null;
  const previousReceived = report.figures.received.previous ?? 0;
  const currentReceived = report.figures.received.current ?? 0;
  const scoredShops = report.scoring.filter((shop) => shop.minRounds !== null);

  return (
    <section aria-labelledby="metrics-title" className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 id="metrics-title" className="text-lg font-semibold">
            {t("metrics.title")}
          </h1>
          <p className="text-sm text-slate-600" data-testid="metrics-range">
            {t("ownerPages.metrics.comparedWith", { current: periodText(report.range.current), previous: periodText(report.range.previous), count: previousReceived })}
            {previousReceived * 4 < currentReceived ? ` ${t("ownerPages.metrics.fewPrevious")}` : null}
          </p>
          <p className="text-sm text-slate-600">{isOwner ? t("metrics.viewOwner") : t("metrics.viewAgent")}</p>
        </div>
        <CsvLink href={csvHref("summary")} label={t("metrics.summary")} />
      </div>

      <nav aria-label={t("metrics.rangeLabel")} className="flex flex-wrap items-center gap-2">
        {rangePresets
          .filter((preset) => preset !== "custom")
          .map((preset) => (
            <Link
              key={preset}
              href={`/metrics?${toMetricsSearch({ ...params, range: preset, from: undefined, to: undefined })}`}
              aria-current={params.range === preset ? "page" : undefined}
              className={cn(
                "rounded-full px-3 py-1 text-sm ring-1 ring-inset",
                params.range === preset ? "bg-emerald-700 text-white ring-emerald-700" : "bg-white text-slate-700 ring-slate-300 hover:bg-slate-50",
              )}
            >
              {t(`metrics.preset.${preset}`)}
            </Link>
          ))}
        <form action="/metrics" className="flex flex-wrap items-center gap-1 text-sm">
          <input type="hidden" name="range" value="custom" />
          {params.shop ? <input type="hidden" name="shop" value={params.shop} /> : null}
          <label className="flex items-center gap-1">
            {t("metrics.from")}
            <input type="date" name="from" required defaultValue={params.from ?? report.range.firstDay} aria-invalid={params.rangeProblem ? true : undefined} aria-describedby={params.rangeProblem ? "range-problem" : undefined} className="rounded border border-slate-300 px-1 py-0.5" />
          </label>
          <label className="flex items-center gap-1">
            {t("metrics.to")}
            <input type="date" name="to" required defaultValue={params.to ?? report.range.lastDay} aria-invalid={params.rangeProblem ? true : undefined} aria-describedby={params.rangeProblem ? "range-problem" : undefined} className="rounded border border-slate-300 px-1 py-0.5" />
          </label>
          <button type="submit" className={cn("rounded-full px-3 py-1 ring-1 ring-inset", params.range === "custom" && !params.rangeProblem ? "bg-emerald-700 text-white ring-emerald-700" : "bg-white ring-slate-300")}>
            {t("metrics.preset.custom")}
          </button>
        </form>
      </nav>
      {params.rangeProblem ? (
        <p id="range-problem" role="alert" className="rounded-md bg-rose-50 p-3 text-sm text-rose-900 ring-1 ring-rose-200" data-testid="range-problem">
          {t(`ownerPages.metrics.rangeProblem.${params.rangeProblem}`, { max: maxCustomDays })} {t("ownerPages.metrics.rangeProblemShowing")}
        </p>
      ) : null}

      {shops.length > 1 ? (
        <nav aria-label={t("metrics.shopLabel")} className="flex flex-wrap items-center gap-2 text-sm">
          <Link href={`/metrics?${toMetricsSearch({ ...params, shop: undefined })}`} aria-current={!params.shop ? "page" : undefined} className={cn("rounded px-2 py-1", !params.shop ? "bg-slate-800 text-white" : "text-slate-700 hover:bg-slate-100")}>
            {t("metrics.allShops")}
          </Link>
          {shops.map((shop) => (
            <Link
              key={shop.id}
              href={`/metrics?${toMetricsSearch({ ...params, shop: shop.id })}`}
              aria-current={params.shop === shop.id ? "page" : undefined}
              className={cn("inline-flex items-center gap-1 rounded px-2 py-1", params.shop === shop.id ? "bg-slate-800 text-white" : "text-slate-700 hover:bg-slate-100")}
            >
              <PlatformBadge platform={shop.platform} />
              {shop.name}
            </Link>
          ))}
        </nav>
      ) : null}

      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-4" aria-label={t("metrics.summary")}>
        {headlineFigures.map((name) => (
          <FigureCard
            key={name}
            testId={`figure-${name}`}
            label={
              name === "scoringHoursResponseRate" && onlyPlatform
                ? t("metrics.figure.scoringHoursResponseRateWindow", { window: `${onlyPlatform.window.start}–${onlyPlatform.window.end}` })
                : t(`metrics.figure.${name}`)
            }
            value={formatFigure(name, report.figures[name].current, locale, tUnits)}
            delta={formatDelta(name, report.figures[name], locale, tUnits)}
            how={t(`ownerPages.metrics.how.${name}`)}
          />
        ))}
        <FigureCard testId="figure-overdueNow" label={t("metrics.figure.overdueNow")} value={String(report.overdueNow)} note={t("metrics.liveNote")} how={t("ownerPages.metrics.how.overdueNow")} />
        <FigureCard
          testId="figure-intervention"
          label={t("metrics.figure.intervention")}
          value={formatFigure("intervention", report.figures.intervention.current, locale, tUnits)}
          note={report.recordedSources.intervention ? undefined : t("metrics.notRecorded")}
          how={t("ownerPages.metrics.how.intervention")}
        />
        <FigureCard
          testId="figure-returnFreightFen"
          label={t("metrics.figure.returnFreightFen")}
          value={report.recordedSources.returnFreight ? formatFigure("returnFreightFen", report.figures.returnFreightFen.current, locale, tUnits) : t("metrics.noData")}
          note={report.recordedSources.returnFreight ? undefined : t("metrics.notRecorded")}
          how={t("ownerPages.metrics.how.returnFreightFen")}
        />
      </dl>
      <p className="text-xs text-slate-600">
        {t("metrics.definitions", { seconds: report.policy.replyWindowMs / 1000, target: formatFigure("responseRate", report.policy.target, locale, tUnits) })}
      </p>
      {report.policy.platforms.length > 0 ? (
        <section aria-labelledby="scoring-title" className="rounded-lg bg-white p-4 text-sm ring-1 ring-slate-200" data-testid="scoring-rules">
          <h2 id="scoring-title" className="mb-1 text-sm font-semibold">
            {t("ownerPages.metrics.scoring.title")}
          </h2>
          <ul className="list-disc space-y-1 pl-5 text-slate-700">
            {report.policy.platforms.map((scoring) => (
              <li key={scoring.platform}>
                {scoring.isBorrowed
                  ? t("ownerPages.metrics.scoring.borrowed", { platform: t(`platform.${scoring.platform}`), start: scoring.window.start, end: scoring.window.end })
                  : t("ownerPages.metrics.scoring.window", { platform: t(`platform.${scoring.platform}`), start: scoring.window.start, end: scoring.window.end, days: scoring.lookbackDays })}
                {scoring.minRounds !== null ? ` ${t("ownerPages.metrics.scoring.minRounds", { days: scoring.lookbackDays, min: scoring.minRounds })}` : null}
              </li>
            ))}
            {scoredShops.map((shop) => (
              <li key={shop.shopId} data-testid="scoring-shop" data-exempt={shop.isExempt}>
                {t(shop.isExempt ? "ownerPages.metrics.scoring.exempt" : "ownerPages.metrics.scoring.counted", {
                  shop: shop.label,
                  days: report.policy.platforms.find((scoring) => scoring.platform === shop.platform)?.lookbackDays ?? 30,
                  rounds: shop.scoredRounds,
                  min: shop.minRounds ?? 0,
                })}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {report.ownFigures ? (
        <section aria-labelledby="own-title" className="rounded-lg bg-emerald-50 p-4 ring-1 ring-emerald-200" data-testid="own-figures">
          <h2 id="own-title" className="text-sm font-semibold text-emerald-900">
            {t("metrics.ownTitle")}
          </h2>
          <p className="mt-1 text-sm text-emerald-900">
            {t("metrics.ownLine", {
              answered: report.ownFigures.received,
              rate: formatFigure("responseRate", report.ownFigures.responseRate, locale, tUnits),
              p50: formatDuration(report.ownFigures.p50ResponseMs, tUnits),
            })}
          </p>
        </section>
      ) : null}

      {isEmpty ? (
        <p className="rounded-lg bg-white px-4 py-12 text-center text-sm text-slate-500 ring-1 ring-slate-200" data-testid="metrics-empty">
          {t("metrics.empty")}
        </p>
      ) : (
        <>
          <section aria-labelledby="days-title" className="rounded-lg bg-white p-4 ring-1 ring-slate-200">
            <h2 id="days-title" className="mb-2 text-sm font-semibold">
              {t("metrics.chart.days")}
            </h2>
            <DayChart days={report.breakdowns.day} />
          </section>
          <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
            {(["shop", "agent", "platform", "kind"] as const).map((name) => (
              <BreakdownTable key={name} name={name} rows={report.breakdowns[name]} csvHref={csvHref(name)} getLabel={getLabel(name)} />
            ))}
          </div>
          <BreakdownTable name="day" rows={report.breakdowns.day} csvHref={csvHref("day")} getLabel={getLabel("day")} />
          <section aria-labelledby="heatmap-title" className="space-y-3 rounded-lg bg-white p-4 ring-1 ring-slate-200">
            <div className="flex items-center justify-between">
              <h2 id="heatmap-title" className="text-sm font-semibold">
                {t("metrics.heatmap.title")}
              </h2>
              <CsvLink href={csvHref("heatmap")} label={t("metrics.heatmap.title")} />
            </div>
            <Heatmap title={t("metrics.heatmap.arrivals")} counts={report.heatmap.arrivals} hue="emerald" />
            <Heatmap title={t("metrics.heatmap.late")} counts={report.heatmap.late} hue="rose" />
          </section>
        </>
      )}

      <StaffingPanel staffing={staffing} params={params} csvHref={csvHref("staffing")} />
    </section>
  );
}
