"use client";

import { useLocale, useTranslations } from "next-intl";
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatPercent } from "@/components/metrics/format";
import type { BreakdownRow, StaffingHour } from "@/lib/metrics/report-types";

/** Cards received per day (bars) and the day's 3-minute rate (line). */
export function DayChart({ days }: { days: BreakdownRow[] }) {
  const t = useTranslations("metrics");
  const locale = useLocale();
  const data = days.map((row) => ({ day: row.key.slice(5), received: row.figures.received, rate: row.figures.responseRate }));
  return (
    <figure aria-label={t("chart.days")} className="h-64 w-full">
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis dataKey="day" tick={{ fontSize: 12 }} />
          <YAxis yAxisId="count" tick={{ fontSize: 12 }} allowDecimals={false} />
          <YAxis yAxisId="rate" orientation="right" domain={[0, 1]} tickFormatter={(value: number) => formatPercent(value, locale)} tick={{ fontSize: 12 }} />
          <Tooltip itemStyle={{ color: "#0f172a" }} formatter={(value, name) => (name === t("figure.responseRate") ? formatPercent(Number(value), locale) : value)} />
          <Legend />
          <Bar yAxisId="count" dataKey="received" name={t("figure.received")} fill="#6ee7b7" />
          <Line yAxisId="rate" dataKey="rate" name={t("figure.responseRate")} stroke="#047857" dot={false} connectNulls />
        </ComposedChart>
      </ResponsiveContainer>
    </figure>
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
          <Legend />
          <Bar yAxisId="arrivals" dataKey="arrivals" name={t("staffing.arrivals")} fill="#93c5fd" />
          <Line yAxisId="agents" type="stepAfter" dataKey="agents" name={t("staffing.agentsNeeded")} stroke="#b45309" dot={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </figure>
  );
}
