import { Download } from "lucide-react";
import { useLocale, useTranslations } from "next-intl";
import { formatDuration, formatPercent } from "@/components/metrics/format";
import { formatFen } from "@/lib/money";
import type { BreakdownRow } from "@/lib/metrics/report-types";

export type BreakdownName = "shop" | "agent" | "platform" | "kind" | "day";

/** Link to the same table as CSV (UTF-8 with BOM, so Excel shows the Chinese). */
export function CsvLink({ href, label }: { href: string; label: string }) {
  const t = useTranslations("metrics");
  return (
    <a href={href} download className="inline-flex items-center gap-1 text-sm text-emerald-700 hover:underline" aria-label={`${t("exportCsv")}: ${label}`}>
      <Download className="size-4" aria-hidden />
      {t("exportCsv")}
    </a>
  );
}

export function BreakdownTable({ name, rows, csvHref, getLabel }: { name: BreakdownName; rows: BreakdownRow[]; csvHref: string; getLabel: (row: BreakdownRow) => string }) {
  const t = useTranslations("metrics");
  const tOwner = useTranslations("ownerPages.metrics");
  const locale = useLocale();
  const title = t(`breakdown.${name}`);
  // Shop and agent names are the merchant's own words, not the page's
  const isUserText = name === "shop" || name === "agent";
  return (
    <section aria-label={title} className="rounded-lg bg-white ring-1 ring-slate-200">
      <div className="flex items-center justify-between border-b border-slate-100 px-4 py-2">
        <h3 className="text-sm font-semibold">{t("breakdownTitle", { name: title })}</h3>
        <CsvLink href={csvHref} label={title} />
      </div>
      {rows.length === 0 ? (
        <p className="px-4 py-6 text-center text-sm text-slate-500">{t("noRows")}</p>
      ) : (
        // A scrolling region must be reachable by keyboard to scroll it (WCAG 2.1.1): focusable, named, with a visible focus ring
        <div className="max-h-96 overflow-auto rounded-b-lg focus-visible:outline-2 focus-visible:outline-offset-[-2px] focus-visible:outline-emerald-700" tabIndex={0} role="group" aria-label={tOwner("scrollRegion", { name: t("breakdownTitle", { name: title }) })}>
          <table className="w-full text-left text-sm">
            <thead className="sticky top-0 bg-slate-50 text-xs text-slate-600">
              <tr>
                <th scope="col" className="px-3 py-2 font-medium">{title}</th>
                <th scope="col" className="px-3 py-2 text-right font-medium">{t("figure.received")}</th>
                <th scope="col" className="px-3 py-2 text-right font-medium">{t("figure.responseRate")}</th>
                <th scope="col" className="px-3 py-2 text-right font-medium">{t("figure.scoringHoursResponseRate")}</th>
                <th scope="col" className="px-3 py-2 text-right font-medium">{t("figure.p90ResponseMs")}</th>
                <th scope="col" className="px-3 py-2 text-right font-medium">{t("figure.rejected")}</th>
                <th scope="col" className="px-3 py-2 text-right font-medium">{t("figure.refundFen")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((row) => (
                <tr key={row.key}>
                  <th scope="row" className="px-3 py-1.5 font-medium" data-user-text={isUserText || undefined}>
                    {getLabel(row)}
                  </th>
                  <td className="px-3 py-1.5 text-right tabular-nums">{row.figures.received}</td>
                  <td className="px-3 py-1.5 text-right tabular-nums">{formatPercent(row.figures.responseRate, locale)}</td>
                  <td className="px-3 py-1.5 text-right tabular-nums">{formatPercent(row.figures.scoringHoursResponseRate, locale)}</td>
                  <td className="px-3 py-1.5 text-right tabular-nums">{formatDuration(row.figures.p90ResponseMs, locale)}</td>
                  <td className="px-3 py-1.5 text-right tabular-nums">{row.figures.rejected}</td>
                  <td className="px-3 py-1.5 text-right tabular-nums">{formatFen(row.figures.refundFen)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
