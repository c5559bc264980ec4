"use client";

import { ChartLegendList } from "@/components/charts/chart-legend";
import { useLocale, useTranslations } from "next-intl";
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatPercent } from "@/components/metrics/format";
import type { BreakdownRow, StaffingHour } from "@/lib/metrics/report-types";

type ChartSeries = { dataKey: string; name: string; color: string };

/** Counts per day as bars on the left axis and rates (0–1) as lines on the right: the metrics page's day chart and the backtest's. */
export function CountAndRateChart({
  label,
  data,
  bars,
  lines,
  isAnimated = true,
}: {
  label: string;
  data: Record<string, string | number | null>[];
  bars: ChartSeries[];
  lines: ChartSeries[];
  isAnimated?: boolean;
}) {
  const locale = useLocale();
  const rateNames = new Set(lines.map((line) => line.name));
  return (
    <figure aria-label={label} className="h-64 w-full">
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis dataKey="day" tick={{ fontSize: 12 }} />
          <YAxis yAxisId="count" tick={{ fontSize: 12 }} allowDecimals={false} />
          <YAxis yAxisId="rate" orientation="right" domain={[0, 1]} tickFormatter={(value: number) => formatPercent(value, locale)} tick={{ fontSize: 12 }} />
          <Tooltip itemStyle={{ color: "#0f172a" }} formatter={(value, name) => (rateNames.has(String(name)) ? formatPercent(Number(value), locale) : value)} />
          <Legend content={(props) => <ChartLegendList payload={props.payload} />} />
          {bars.map((bar) => (
            <Bar key={bar.dataKey} yAxisId="count" dataKey={bar.dataKey} name={bar.name} fill={bar.color} isAnimationActive={isAnimated} />
          ))}
          {lines.map((line) => (
            <Line key={line.dataKey} yAxisId="rate" dataKey={line.dataKey} name={line.name} stroke={line.color} dot={false} connectNulls isAnimationActive={isAnimated} />
          ))}
        </ComposedChart>
      </ResponsiveContainer>
    </figure>
  );
}

/** Cards received per day (bars) and the day's 3-minute rate (line). */
export function DayChart({ days }: { days: BreakdownRow[] }) {
  const t = useTranslations("metrics");
  const data = days.map((row) => ({ day: row.key.slice(5), received: row.figures.received, rate: row.figures.responseRate }));
  return (
    <CountAndRateChart
      label={t("chart.days")}
      data={data}
      bars={[{ dataKey: "received", name: t("figure.received"), color: "#6ee7b7" }]}
      lines={[{ dataKey: "rate", name: t("figure.responseRate"), color: "#047857" }]}
    />
  );
}

/** Tomorrow per hour: forecast arrivals (bars) and the people Erlang C says are needed (line). */
export function StaffingChart({ hours }: { hours: StaffingHour[] }) {
  const t = useTranslations("metrics");
  const data = hours.map((hour) => ({ hour: `${String(hour.hour).padStart(2, "0")}:00`, arrivals: Math.round(hour.arrivals * 10) / 10, agents: hour.agentsNeeded }));
  return (
    <figure aria-label={t("staffing.chart")} className="h-56 w-full">
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis dataKey="hour" tick={{ fontSize: 11 }} interval={2} />
          <YAxis yAxisId="arrivals" tick={{ fontSize: 12 }} />
          <YAxis yAxisId="agents" orientation="right" allowDecimals={false} tick={{ fontSize: 12 }} />
          <Tooltip itemStyle={{ color: "#0f172a" }} />
          <Legend content={(props) => <ChartLegendList payload={props.payload} />} />
          <Bar yAxisId="arrivals" dataKey="arrivals" name={t("staffing.arrivals")} fill="#93c5fd" />
          <Line yAxisId="agents" type="stepAfter" dataKey="agents" name={t("staffing.agentsNeeded")} stroke="#b45309" dot={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </figure>
  );
}
