import { useLocale, useTranslations } from "next-intl";
import { CsvLink } from "@/components/metrics/breakdown-table";
import { StaffingChart } from "@/components/metrics/charts";
import { formatPercent } from "@/components/metrics/format";
import type { MetricsParams } from "@/components/metrics/metrics-params";
import { formatDuration } from "@/lib/duration";
import type { StaffingForecast } from "@/lib/metrics/report-types";
import { floorLevel } from "@/lib/metrics/staffing";
import { Table, TableBody, TableHead, Td, Th } from "@/components/ui/table";

const clock = (hour: number) => `${String(hour).padStart(2, "0")}:00`;
const targetOptions = ["0.8", "0.9", "0.95"];

/**
 * Tomorrow's staffing. Every sentence, the chart, the hour table and the CSV read the same figure per hour
 * (`hours[].agentsNeeded`), so they cannot disagree; levels are cut down to 0.1% so 94.96% never shows as 95.0%.
 */
export function StaffingPanel({ staffing, params, csvHref }: { staffing: StaffingForecast; params: MetricsParams; csvHref: string }) {
  const t = useTranslations("metrics.staffing");
  const tOwner = useTranslations("ownerPages.staffing");
  const tUnits = useTranslations("units");
  const locale = useLocale();
  const target = formatPercent(staffing.targetLevel, locale);
  const level = (value: number) => formatPercent(floorLevel(value), locale);
  const duration = (seconds: number) => formatDuration(seconds * 1000, tUnits);
  const shortRuns = staffing.runs.filter((run) => run.isShort);
  const isUnreachable = staffing.reachableLevel !== null && staffing.reachableLevel <= staffing.targetLevel;
  return (
    <section aria-labelledby="staffing-title" className="space-y-3 rounded-lg bg-white p-4 ring-1 ring-slate-200">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="staffing-title" className="text-sm font-semibold">
          {t("title", { day: staffing.day })}
        </h2>
        <CsvLink href={csvHref} label={t("title", { day: staffing.day })} />
      </div>
      {staffing.handle === null || staffing.runs.length === 0 ? (
        <p className="text-sm text-slate-600">{staffing.handle === null ? t("noHistory", { weeks: staffing.weeks }) : tOwner("noArrivals", { weeks: staffing.weeks })}</p>
      ) : (
        <>
          <p className="text-sm text-slate-700" data-testid="staffing-handle">
            {tOwner("handleLine", { weeks: staffing.weeks, mean: duration(staffing.handle.meanSeconds), median: duration(staffing.handle.medianSeconds), cards: staffing.handle.cards })}
            {staffing.reachableLevel !== null && staffing.reachableLevel < 1 ? ` ${tOwner("reachable", { level: level(staffing.reachableLevel) })}` : null}
          </p>
          {isUnreachable ? (
            <p role="status" className="rounded-md bg-amber-50 p-2 text-sm text-amber-900 ring-1 ring-amber-200">
              {tOwner("unreachable", { target })}
            </p>
          ) : null}
          <ul className="space-y-1 text-sm" data-testid="staffing-sentences">
            {staffing.runs.map((run) => (
              <li key={run.startHour} className="font-medium text-slate-900">
                {run.agentsNeeded === null
                  ? tOwner("runUnreachable", { from: clock(run.startHour), to: clock(run.endHour), target })
                  : t("sentence", { from: clock(run.startHour), to: clock(run.endHour), agents: run.agentsNeeded, target })}
              </li>
            ))}
          </ul>
          <p className="text-sm text-slate-700" data-testid="staffing-on-shift">
            {shortRuns.length === 0
              ? t("onShiftEnough", { agents: staffing.agentsOnShift, target })
              : t("onShiftShort", {
                  agents: staffing.agentsOnShift,
                  target,
                  hours: shortRuns
                    .map((run) =>
                      run.agentsNeeded === null
                        ? tOwner("shortRunUnreachable", { from: clock(run.startHour), to: clock(run.endHour) })
                        : tOwner("shortRun", { from: clock(run.startHour), to: clock(run.endHour), agents: run.agentsNeeded }),
                    )
                    .join("、"),
                })}
          </p>
          <StaffingChart hours={staffing.hours} />
          <details className="text-sm">
            <summary className="cursor-pointer font-medium text-slate-700">{tOwner("tableTitle")}</summary>
            <Table
              density="compact"
              isFramed
              data-testid="staffing-hours"
              frameProps={{ className: "mt-2 max-h-80 overflow-auto rounded bg-transparent ring-0 focus-visible:outline-2 focus-visible:outline-emerald-700", tabIndex: 0, role: "group", "aria-label": tOwner("tableTitle") }}
            >
              <TableHead className="sticky top-0 bg-slate-50">
                <tr>
                  <Th>{tOwner("hour")}</Th>
                  <Th isNumeric>{t("arrivals")}</Th>
                  <Th isNumeric>{t("agentsNeeded")}</Th>
                  <Th isNumeric>{tOwner("levelOnShift", { agents: staffing.agentsOnShift })}</Th>
                </tr>
              </TableHead>
              <TableBody>
                {staffing.hours.map((hour) => (
                  <tr key={hour.hour} className={hour.isShort ? "bg-amber-50" : undefined}>
                    <Th scope="row" className="font-normal tabular-nums">
                      {clock(hour.hour)}
                    </Th>
                    <Td isNumeric>{new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(hour.arrivals)}</Td>
                    <Td isNumeric>{hour.agentsNeeded === null ? tOwner("unreachableCell") : hour.agentsNeeded}</Td>
                    <Td isNumeric>{hour.levelOnShift === null ? "—" : level(hour.levelOnShift)}</Td>
                  </tr>
                ))}
              </TableBody>
            </Table>
          </details>
        </>
      )}
      <form action="/metrics" className="flex flex-wrap items-end gap-3 text-sm">
        {Object.entries(params)
          .filter(([key, value]) => value && key !== "agents" && key !== "target" && key !== "rangeProblem")
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
            {staffing.handle === null
              ? t("assumptionHandleNone")
              : t("assumptionHandle", { handle: duration(staffing.handle.meanSeconds), answers: staffing.handle.cards, weeks: staffing.weeks })}
          </li>
          <li>{tOwner("howHandle", { gap: staffing.handle?.awayGapMinutes ?? 10, weeks: staffing.weeks, away: staffing.handle?.awayLeftOut ?? 0 })}</li>
          <li>{t("assumptionErlang", { seconds: staffing.targetSeconds })}</li>
          <li>{tOwner("howCheck")}</li>
          <li>{t("assumptionLimits")}</li>
        </ul>
        {staffing.agentHandle.length > 0 ? (
          // Set in the notes' small type at its natural width, cells spaced only to their right, no row rules
          <Table density="compact" className="mt-2 w-auto text-xs">
            <caption className="text-left font-medium text-slate-700">{t("agentHandleTitle")}</caption>
            <TableHead>
              <tr>
                <Th className="p-0 pr-4">{t("agent")}</Th>
                <Th className="p-0 pr-4">{t("answered")}</Th>
                <Th className="p-0 pr-4">{tOwner("agentMean")}</Th>
                <Th className="p-0">{t("median")}</Th>
              </tr>
            </TableHead>
            <TableBody className="divide-y-0">
              {staffing.agentHandle.map((row) => (
                <tr key={row.agentId}>
                  <Td className="p-0 pr-4" data-user-text>
                    {row.label}
                  </Td>
                  <Td className="p-0 pr-4 tabular-nums">{row.cards}</Td>
                  <Td className="p-0 pr-4 tabular-nums">{row.meanSeconds === null ? "—" : duration(row.meanSeconds)}</Td>
                  <Td className="p-0 tabular-nums">{row.medianSeconds === null ? "—" : duration(row.medianSeconds)}</Td>
                </tr>
              ))}
            </TableBody>
          </Table>
        ) : null}
      </details>
    </section>
  );
}
