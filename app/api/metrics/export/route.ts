import { getTranslations } from "next-intl/server";
import { z } from "zod";
import { withScope, zodIssues } from "@/app/_server/api";
import { loadReport, loadStaffing } from "@/app/api/metrics/report-params";
import { getDb } from "@/db/client";
import type { BreakdownRow, MetricsReport } from "@/lib/metrics/report-types";
import { unansweredAgentId } from "@/db/schema-metrics";
import { apiError } from "@/lib/api-error";
import { csvYuan, toCsv, type CsvCell } from "@/lib/csv";
import { ruleAgentId, type RangeFigures } from "@/lib/metrics/response-metrics";
import { getStaffingCsvRows } from "@/lib/metrics/staffing";

const exportTables = ["summary", "shop", "agent", "platform", "kind", "day", "heatmap", "staffing"] as const;
const exportTable = z.enum(exportTables);

type Translate = Awaited<ReturnType<typeof getTranslations>>;

// Rates as percentages and money as yuan with two decimals: what a spreadsheet user expects to sum or chart
const percent = (share: number | null): CsvCell => (share === null ? null : Math.round(share * 1000) / 10);
const seconds = (ms: number | null): CsvCell => (ms === null ? null : Math.round(ms / 100) / 10);
// A number cell, not text: a negative amount (a delta) written as text would get the formula guard's apostrophe
const yuan = csvYuan;

function figureHeaders(t: Translate): string[] {
  return [
    t("metrics.csv.received"),
    t("metrics.csv.rateAllDay"),
    t("metrics.csv.rateScoring"),
    t("metrics.csv.p50"),
    t("metrics.csv.p90"),
    t("metrics.csv.p99"),
    t("metrics.csv.approved"),
    t("metrics.csv.rejected"),
    t("metrics.csv.rejectedLacking"),
    t("metrics.csv.autoShare"),
    t("metrics.csv.refund"),
  ];
}

function figureCells(figures: RangeFigures): CsvCell[] {
  return [
    figures.received,
    percent(figures.responseRate),
    percent(figures.scoringHoursResponseRate),
    seconds(figures.p50ResponseMs),
    seconds(figures.p90ResponseMs),
    seconds(figures.p99ResponseMs),
    figures.approved,
    figures.rejected,
    figures.rejectedWithoutReasonOrEvidence,
    percent(figures.autoAnsweredShare),
    yuan(figures.refundFen),
  ];
}

function getRowLabel(t: Translate, table: "shop" | "agent" | "platform" | "kind" | "day", row: BreakdownRow): string {
  if (table === "platform") return t(`platform.${row.key}` as "platform.tmall");
  if (table === "kind") return t(`kind.${row.key}` as "kind.refund_only");
  if (table === "agent" && row.key === ruleAgentId) return t("metrics.agentRule");
  if (table === "agent" && row.key === unansweredAgentId) return t("metrics.agentUnanswered");
  return row.label;
}

function buildSummary(t: Translate, report: MetricsReport): string {
  const names = Object.keys(report.figures) as (keyof RangeFigures)[];
  const format = (name: keyof RangeFigures, value: number | null): CsvCell => {
    if (value === null) return null;
    if (name.endsWith("Rate") || name.endsWith("Share")) return percent(value);
    if (name.endsWith("Ms")) return seconds(value);
    if (name.endsWith("Fen")) return yuan(value);
    return value;
  };
  return toCsv(
    [t("metrics.csv.figure"), `${report.range.firstDay}–${report.range.lastDay}`, `${t("metrics.csv.previous")} ${report.range.previous.firstDay}–${report.range.previous.lastDay}`, t("metrics.csv.delta")],
    [
      ...names.map((name) => {
        const change = report.figures[name];
        return [t(`metrics.figure.${name}`), format(name, change.current), format(name, change.previous), format(name, change.delta)];
      }),
      [t("metrics.figure.overdueNow"), report.overdueNow, null, null],
    ],
  );
}

export const GET = withScope(async (request, { scope }) => {
  const params = new URL(request.url).searchParams;
  const table = exportTable.safeParse(params.get("table"));
  if (!table.success) return apiError("invalid_query", "Unknown table", { issues: zodIssues(table.error) });
  const t = await getTranslations();
  const db = getDb();
  const now = new Date();
  let csv: string;
  let name: string;
  if (table.data === "staffing") {
    const loaded = await loadStaffing(db, scope, params, now);
    if ("error" in loaded) return loaded.error;
    const forecast = loaded.data;
    csv = toCsv(
      [t("metrics.csv.hour"), t("metrics.csv.forecastArrivals"), t("metrics.csv.agentsNeeded"), t("metrics.csv.serviceLevel", { agents: forecast.agentsOnShift })],
      // The page's own figure per hour (lib/metrics/staffing.ts), so the file and the page agree
      getStaffingCsvRows(forecast.hours, t("ownerPages.staffing.unreachableCell")),
    );
    name = `staffing-${forecast.day}`;
  } else {
    const loaded = await loadReport(db, scope, params, now);
    if ("error" in loaded) return loaded.error;
    const report = loaded.data;
    name = `${table.data}-${report.range.firstDay}_${report.range.lastDay}`;
    if (table.data === "summary") {
      csv = buildSummary(t, report);
    } else if (table.data === "heatmap") {
      const hours = Array.from({ length: 24 }, (_, hour) => `${String(hour).padStart(2, "0")}:00`);
      const weekdays = Array.from({ length: 7 }, (_, weekday) => t(`metrics.weekday.${weekday}` as "metrics.weekday.0"));
      csv = toCsv(
        [t("metrics.csv.series"), t("metrics.csv.weekday"), ...hours],
        [
          ...report.heatmap.arrivals.map((counts, weekday) => [t("metrics.heatmap.arrivals"), weekdays[weekday], ...counts]),
          ...report.heatmap.late.map((counts, weekday) => [t("metrics.heatmap.late"), weekdays[weekday], ...counts]),
        ],
      );
    } else {
      const breakdown = table.data;
      csv = toCsv(
        [t(`metrics.breakdown.${breakdown}`), ...figureHeaders(t)],
        report.breakdowns[breakdown].map((row) => [getRowLabel(t, breakdown, row), ...figureCells(row.figures)]),
      );
    }
  }
  return new Response(csv, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="metrics-${name}.csv"`,
      "cache-control": "no-store",
    },
  });
});
