"use client";

import { useMutation } from "@tanstack/react-query";
import { useFormatter, useLocale, useTranslations } from "next-intl";
import { useState } from "react";
import { CountAndRateChart } from "@/components/metrics/charts";
import { formatPercent } from "@/components/metrics/format";
import { postBacktest } from "@/components/rules/api";
import { Button } from "@/components/ui/button";
import { formatFen } from "@/lib/money";
import { classifyRequestError } from "@/lib/request-error";
import type { BacktestReport } from "@/lib/rules/api-types";
import { backtestWindows, type RuleSet } from "@/lib/rules/schema";

function Figure({ label, value, note, how, testId }: { label: string; value: string; note?: string; how: string; testId: string }) {
  return (
    <div className="rounded-lg bg-white p-3 ring-1 ring-slate-200" data-testid={testId}>
      <dt className="text-xs text-slate-600">{label}</dt>
      <dd className="mt-1 text-xl font-semibold tabular-nums">{value}</dd>
      {note ? <dd className="mt-1 text-xs text-amber-800">{note}</dd> : null}
      <dd className="mt-1 text-xs text-slate-600">{how}</dd>
    </div>
  );
}

function DayChart({ report }: { report: BacktestReport }) {
  const t = useTranslations("rules.backtest");
  const data = report.days.map((day) => ({
    day: day.day.slice(5),
    answered: day.answered,
    received: day.received,
    without: day.received ? day.inTimeWithout / day.received : null,
    with: day.received ? day.inTimeWith / day.received : null,
  }));
  return (
    <CountAndRateChart
      label={t("chart")}
      data={data}
      bars={[
        { dataKey: "received", name: t("chartReceived"), color: "#cbd5e1" },
        { dataKey: "answered", name: t("chartAnswered"), color: "#34d399" },
      ]}
      lines={[
        { dataKey: "without", name: t("rateWithout"), color: "#b45309" },
        { dataKey: "with", name: t("rateWith"), color: "#047857" },
      ]}
      isAnimated={false}
    />
  );
}

/** Runs the draft (saved or not) over the shop's last 30 or 90 days and shows what it would have done. */
export function BacktestPanel({ shopId, ruleSet, isValid }: { shopId: string; ruleSet: RuleSet; isValid: boolean }) {
  const t = useTranslations();
  const locale = useLocale();
  const format = useFormatter();
  const [windowDays, setWindowDays] = useState<(typeof backtestWindows)[number]>(30);
  const backtest = useMutation({ mutationFn: () => postBacktest({ shopId, windowDays, ruleSet }) });
  const report = backtest.data?.report ?? null;
  return (
    <section className="space-y-4 rounded-lg bg-slate-50 p-4 ring-1 ring-slate-200" aria-labelledby="backtest-heading">
      <div className="flex flex-wrap items-end gap-3">
        <div className="mr-auto">
          <h2 id="backtest-heading" className="font-medium">
            {t("rules.backtest.heading")}
          </h2>
          <p className="text-sm text-slate-600">{t("rules.backtest.help")}</p>
        </div>
        <label className="text-sm">
          <span className="mr-2 text-slate-600">{t("rules.backtest.window")}</span>
          <select
            className="h-9 rounded-md border border-slate-300 px-2"
            value={windowDays}
            onChange={(event) => setWindowDays(Number(event.target.value) === 90 ? 90 : 30)}
          >
            {backtestWindows.map((days) => (
              <option key={days} value={days}>
                {t("rules.backtest.days", { days })}
              </option>
            ))}
          </select>
        </label>
        <Button variant="primary" onClick={() => backtest.mutate()} disabled={!isValid || backtest.isPending}>
          {backtest.isPending ? t("rules.backtest.running") : t("rules.backtest.run")}
        </Button>
      </div>
      {backtest.error ? <p role="alert" className="text-sm text-rose-700">{t("rules.backtest.failed", { message: t(`ownerPages.requestError.${classifyRequestError(backtest.error)}`) })}</p> : null}
      {report ? (
        <div className="space-y-4" data-testid="backtest-report">
          <dl className="grid grid-cols-2 gap-3 md:grid-cols-4">
            <Figure testId="bt-received" label={t("rules.backtest.received")} how={t("ownerPages.rules.how.received")} value={String(report.received)} />
            <Figure testId="bt-answered" label={t("rules.backtest.answered")} how={t("ownerPages.rules.how.answered")} value={String(report.answered)} />
            <Figure testId="bt-refund" label={t("rules.backtest.refund")} how={t("ownerPages.rules.how.refund")} value={formatFen(report.refundFen)} />
            <Figure testId="bt-rejected" label={t("rules.backtest.rejectedByAgents")} how={t("ownerPages.rules.how.rejectedByAgents")} value={String(report.rejectedByAgents)} />
            <Figure
              testId="bt-intervention"
              label={t("rules.backtest.intervention")} how={t("ownerPages.rules.how.intervention")}
              value={String(report.intervention)}
              note={report.interventionRecorded ? undefined : t("rules.backtest.interventionNotRecorded")}
            />
            <Figure testId="bt-ineligible" label={t("rules.backtest.ineligible")} how={t("ownerPages.rules.how.ineligible")} value={String(report.ineligible)} />
            <Figure testId="bt-rate-without" label={t("rules.backtest.rateWithout")} how={t("ownerPages.rules.how.rateWithout")} value={formatPercent(report.rateWithout, locale)} />
            <Figure testId="bt-rate-with" label={t("rules.backtest.rateWith")} how={t("ownerPages.rules.how.rateWith")} value={formatPercent(report.rateWith, locale)} />
          </dl>
          <p className="text-xs text-slate-600">{t("rules.backtest.elapsed", { ms: report.elapsedMs })}</p>
          <DayChart report={report} />
          <div className="grid grid-cols-1 gap-4 lg:grid-cols-[minmax(0,1fr)_minmax(0,2fr)]">
            <table className="w-full self-start text-sm">
              <caption className="mb-1 text-left font-medium">{t("rules.backtest.perRule")}</caption>
              <thead>
                <tr className="text-left text-xs text-slate-600">
                  <th className="py-1">{t("rules.backtest.column.rule")}</th>
                  <th className="py-1 text-right">{t("rules.backtest.column.answered")}</th>
                  <th className="py-1 text-right">{t("rules.backtest.column.refund")}</th>
                </tr>
              </thead>
              <tbody>
                {report.perRule.map((row) => (
                  <tr key={row.ruleId} className="border-t border-slate-200">
                    <td className="py-1" data-user-text>
                      {row.ruleName}
                    </td>
                    <td className="py-1 text-right tabular-nums">{row.answered}</td>
                    <td className="py-1 text-right tabular-nums">{formatFen(row.refundFen)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <table className="w-full text-sm">
              <caption className="mb-1 text-left font-medium">{t("rules.backtest.samples", { count: report.samples.length })}</caption>
              <thead>
                <tr className="text-left text-xs text-slate-600">
                  <th className="py-1">{t("rules.backtest.column.receivedAt")}</th>
                  <th className="py-1">{t("rules.backtest.column.title")}</th>
                  <th className="py-1">{t("rules.backtest.column.kind")}</th>
                  <th className="py-1 text-right">{t("rules.backtest.column.amount")}</th>
                  <th className="py-1">{t("rules.backtest.column.rule")}</th>
                  <th className="py-1">{t("rules.backtest.column.actual")}</th>
                </tr>
              </thead>
              <tbody>
                {report.samples.length === 0 ? (
                  <tr>
                    <td colSpan={6} className="py-2 text-slate-600">
                      {t("rules.backtest.noSamples")}
                    </td>
                  </tr>
                ) : (
                  report.samples.map((sample) => (
                    <tr key={sample.requestId} className="border-t border-slate-200">
                      <td className="py-1 tabular-nums">{format.dateTime(new Date(sample.receivedAt), { month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hour12: false })}</td>
                      <td className="py-1" data-user-text>
                        {sample.title ?? "—"}
                      </td>
                      <td className="py-1">{t(`kind.${sample.kind}`)}</td>
                      <td className="py-1 text-right tabular-nums">{formatFen(sample.amountFen)}</td>
                      <td className="py-1" data-user-text>
                        {sample.ruleName}
                      </td>
                      <td className="py-1">{t(`status.${sample.actualStatus}`)}</td>
                    </tr>
                  ))
                )}
              </tbody>
            </table>
          </div>
        </div>
      ) : null}
    </section>
  );
}
