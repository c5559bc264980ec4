import { useLocale, useTranslations } from "next-intl";
import { CsvLink } from "@/components/metrics/breakdown-table";
import { StaffingChart } from "@/components/metrics/charts";
import { formatDuration, formatPercent } from "@/components/metrics/format";
import type { MetricsParams } from "@/components/metrics/metrics-view";
import type { StaffingForecast } from "@/lib/metrics/report-types";

const clock = (hour: number) => `${String(hour).padStart(2, "0")}:00`;
const targetOptions = ["0.8", "0.9", "0.95"];

export function StaffingPanel({ staffing, params, csvHref }: { staffing: StaffingForecast; params: MetricsParams; csvHref: string }) {
  const t = useTranslations("metrics.staffing");
  const locale = useLocale();
  const target = formatPercent(staffing.targetLevel, locale);
  const busiest = [...staffing.segments].sort((left, right) => right.agentsNeeded - left.agentsNeeded || left.startHour - right.startHour);
  const shortHours = staffing.hours.filter((hour) => hour.arrivals > 0 && hour.serviceLevel < staffing.targetLevel);
  return (
    <section aria-labelledby="staffing-title" className="space-y-3 rounded-lg bg-white p-4 ring-1 ring-slate-200">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="staffing-title" className="text-sm font-semibold">
          {t("title", { day: staffing.day })}
        </h2>
        <CsvLink href={csvHref} label={t("title", { day: staffing.day })} />
      </div>
      {staffing.handleSeconds === null || staffing.segments.length === 0 ? (
        <p className="text-sm text-slate-500">{t("noHistory", { weeks: staffing.weeks })}</p>
      ) : (
        <>
          <ul className="space-y-1 text-sm" data-testid="staffing-sentences">
            {busiest.slice(0, 3).map((segment) => (
              <li key={segment.startHour} className="font-medium text-slate-900">
                {t("sentence", { from: clock(segment.startHour), to: clock(segment.endHour), agents: segment.agentsNeeded, target })}
              </li>
            ))}
          </ul>
          <p className="text-sm text-slate-700">
            {shortHours.length === 0
              ? t("onShiftEnough", { agents: staffing.agentsOnShift, target })
              : t("onShiftShort", { agents: staffing.agentsOnShift, target, hours: shortHours.map((hour) => clock(hour.hour)).join("、") })}
          </p>
          <StaffingChart hours={staffing.hours} />
        </>
      )}
      <form action="/metrics" className="flex flex-wrap items-end gap-3 text-sm">
        {Object.entries(params)
          .filter(([key, value]) => value && key !== "agents" && key !== "target")
          .map(([key, value]) => (
            <input key={key} type="hidden" name={key} value={value} />
          ))}
        <label className="flex flex-col gap-1">
          {t("agentsOnShift")}
          <input type="number" name="agents" min={1} max={50} defaultValue={staffing.agentsOnShift} className="w-24 rounded border border-slate-300 px-2 py-1" />
        </label>
        <label className="flex flex-col gap-1">
          {t("target")}
          <select name="target" defaultValue={String(staffing.targetLevel)} className="rounded border border-slate-300 px-2 py-1">
            {targetOptions.map((option) => (
              <option key={option} value={option}>
                ≥ {formatPercent(Number(option), locale)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="rounded-md bg-emerald-700 px-3 py-1.5 font-medium text-white hover:bg-emerald-800">
          {t("recompute")}
        </button>
      </form>
      <details className="text-xs text-slate-600">
        <summary className="cursor-pointer font-medium text-slate-700">{t("assumptionsTitle")}</summary>
        <ul className="mt-2 list-disc space-y-1 pl-5">
          <li>{t("assumptionArrivals", { weeks: staffing.weeks })}</li>
          <li>
            {staffing.handleSeconds === null
              ? t("assumptionHandleNone")
              : t("assumptionHandle", { handle: formatDuration(staffing.handleSeconds * 1000, locale), answers: staffing.handleBasisAnswers, weeks: staffing.weeks })}
          </li>
          <li>{t("assumptionErlang", { seconds: staffing.targetSeconds })}</li>
          <li>{t("assumptionLimits")}</li>
        </ul>
        {staffing.agentHandle.length > 0 ? (
          <table className="mt-2 text-left">
            <caption className="text-left font-medium text-slate-700">{t("agentHandleTitle")}</caption>
            <thead>
              <tr>
                <th scope="col" className="pr-4 font-medium">{t("agent")}</th>
                <th scope="col" className="pr-4 font-medium">{t("answered")}</th>
                <th scope="col" className="font-medium">{t("median")}</th>
              </tr>
            </thead>
            <tbody>
              {staffing.agentHandle.map((row) => (
                <tr key={row.agentId}>
                  <td className="pr-4">{row.label}</td>
                  <td className="pr-4 tabular-nums">{row.answered}</td>
                  <td className="tabular-nums">{formatDuration(row.medianSeconds === null ? null : row.medianSeconds * 1000, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </details>
    </section>
  );
}
