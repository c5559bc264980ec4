import { Download } from "lucide-react";
import { useLocale, useTranslations } from "next-intl";
import { formatPercent } from "@/components/metrics/format";
import { formatDuration } from "@/lib/duration";
import { formatFen } from "@/lib/money";
import type { BreakdownRow } from "@/lib/metrics/report-types";
import { Table, TableBody, TableHead, Td, Th } from "@/components/ui/table";

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
  const tUnits = useTranslations("units");
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
        <Table
          frameProps={{
            className: "max-h-96 overflow-auto rounded-none rounded-b-lg bg-transparent ring-0 focus-visible:outline-2 focus-visible:outline-offset-[-2px] focus-visible:outline-emerald-700",
            tabIndex: 0,
            role: "group",
            "aria-label": tOwner("scrollRegion", { name: t("breakdownTitle", { name: title }) }),
          }}
        >
            <TableHead className="sticky top-0 text-xs">
              <tr>
                <Th>{title}</Th>
                <Th isNumeric>{t("figure.received")}</Th>
                <Th isNumeric>{t("figure.responseRate")}</Th>
                <Th isNumeric>{t("figure.scoringHoursResponseRate")}</Th>
                <Th isNumeric>{t("figure.p90ResponseMs")}</Th>
                <Th isNumeric>{t("figure.rejected")}</Th>
                <Th isNumeric>{t("figure.refundFen")}</Th>
              </tr>
            </TableHead>
            <TableBody>
              {rows.map((row) => (
                <tr key={row.key}>
                  <Th scope="row" className="py-1.5" data-user-text={isUserText || undefined}>
                    {getLabel(row)}
                  </Th>
                  <Td isNumeric className="py-1.5">{row.figures.received}</Td>
                  <Td isNumeric className="py-1.5">{formatPercent(row.figures.responseRate, locale)}</Td>
                  <Td isNumeric className="py-1.5">{formatPercent(row.figures.scoringHoursResponseRate, locale)}</Td>
                  <Td isNumeric className="py-1.5">{formatDuration(row.figures.p90ResponseMs, tUnits)}</Td>
                  <Td isNumeric className="py-1.5">{row.figures.rejected}</Td>
                  <Td isNumeric className="py-1.5">{formatFen(row.figures.refundFen)}</Td>
                </tr>
              ))}
            </TableBody>
        </Table>
      )}
    </section>
  );
}
