"use client";

import { ChartLegendList } from "@/components/charts/chart-legend";
import { useTranslations } from "next-intl";
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { cn } from "@/components/ui/cn";
import { Table, TableBody, TableHead, Td, Th } from "@/components/ui/table";
import { formatShare } from "@/components/freight/format";
import { fenToYuan, formatFen, yuanToFen } from "@/lib/money";
import type { SensitivityGrid } from "@/lib/return-freight/estimator";

const lineColors = ["#94a3b8", "#64748b", "#047857", "#b45309", "#b91c1c"];

const yuan = (amountFen: number) => formatFen(amountFen).replace(/\.00$/, "");

/**
 * Monthly saving against the premium (±30%), one line per return rate (±20%): a line crossing zero is
 * where the verdict flips. The grid below says the same in numbers, flipped cells marked.
 */
export function SensitivityChart({ grid }: { grid: SensitivityGrid }) {
  const t = useTranslations("freight");
  const premiums = grid.rows[0]?.cells.map((cell) => cell.premiumFen) ?? [];
  const data = premiums.map((premiumFen, column) => ({
    premium: fenToYuan(premiumFen),
    ...Object.fromEntries(grid.rows.map((row) => [`r${row.returnRateFactor}`, fenToYuan(row.cells[column].savingFen)])),
  }));
  return (
    <div className="space-y-3">
      <div className="h-72" data-testid="sensitivity-chart" data-base-premium-fen={grid.basePremiumFen}>
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={data} margin={{ top: 16, right: 24, bottom: 8, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
            <XAxis dataKey="premium" type="number" domain={["dataMin", "dataMax"]} tickFormatter={(value: number) => formatFen(yuanToFen(value))} label={{ value: t("chart.premiumAxis"), position: "insideBottomRight", offset: -4, fontSize: 12 }} />
            <YAxis tickFormatter={(value: number) => yuan(yuanToFen(value))} width={80} />
            <Tooltip itemStyle={{ color: "#0f172a" }} formatter={(value) => formatFen(yuanToFen(Number(value)))} labelFormatter={(value) => `${t("chart.premium")} ${formatFen(yuanToFen(Number(value)))}`} />
            <Legend content={(props) => <ChartLegendList payload={props.payload} />} />
            <ReferenceLine y={0} stroke="#0f172a" strokeWidth={1.5} label={{ value: t("chart.flipLine"), position: "insideTopLeft", fontSize: 12 }} />
            <ReferenceLine x={fenToYuan(grid.basePremiumFen)} stroke="#047857" strokeDasharray="4 4" label={{ value: t("chart.current", { premium: formatFen(grid.basePremiumFen) }), position: "top", fontSize: 12 }} />
            {grid.rows.map((row, index) => (
              <Line
                key={row.returnRateFactor}
                type="linear"
                dataKey={`r${row.returnRateFactor}`}
                name={t("chart.returnRateLine", { rate: formatShare(row.shopReturnRate), factor: `${row.returnRateFactor >= 1 ? "+" : ""}${Math.round((row.returnRateFactor - 1) * 100)}%` })}
                stroke={lineColors[index % lineColors.length]}
                strokeWidth={row.returnRateFactor === 1 ? 2.5 : 1.5}
                dot={{ r: 2 }}
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
      {/* Focusable so a keyboard can scroll it on a narrow screen */}
      <div className="overflow-x-auto rounded focus-visible:outline-2 focus-visible:outline-emerald-700" tabIndex={0} role="group" aria-label={t("chart.gridLabel")}>
        <Table density="compact" className="text-right text-xs tabular-nums" aria-label={t("chart.gridLabel")}>
          <TableHead>
            <tr className="text-slate-500">
              <Th className="text-left">{t("chart.rateByPremium")}</Th>
              {premiums.map((premiumFen) => (
                <Th key={premiumFen}>{formatFen(premiumFen)}</Th>
              ))}
              <Th>{t("breakEven")}</Th>
            </tr>
          </TableHead>
          {/* Coloured cells, no row rules */}
          <TableBody className="divide-y-0">
            {grid.rows.map((row) => (
              <tr key={row.returnRateFactor}>
                <Th scope="row" className="text-left text-slate-600">
                  {formatShare(row.shopReturnRate)}
                </Th>
                {row.cells.map((cell) => (
                  <Td
                    key={cell.premiumFactor}
                    data-flipped={cell.isFlipped}
                    className={cn(cell.isWorthSubscribing ? "bg-emerald-50 text-emerald-800" : "bg-rose-50 text-rose-800", cell.isFlipped && "font-semibold ring-1 ring-inset ring-amber-500")}
                  >
                    {cell.isFlipped ? "⇄ " : ""}
                    {formatFen(cell.savingFen)}
                  </Td>
                ))}
                <Td className="text-slate-700">{formatFen(row.breakEvenPremiumFen)}</Td>
              </tr>
            ))}
          </TableBody>
        </Table>
        <p className="mt-1 text-xs text-slate-600">{t("chart.gridHint")}</p>
      </div>
    </div>
  );
}

/** Our saving share next to the platform's claimed 10–30% (docs/return-freight.md): the claim is a band, ours a bar. */
export function ClaimComparisonChart({ ourShare, claimed }: { ourShare: number | null; claimed: { min: number; max: number } }) {
  const t = useTranslations("freight");
  const data = [
    { name: t("claim.ours"), share: ourShare === null ? 0 : [Math.min(0, ourShare * 100), Math.max(0, ourShare * 100)] },
    { name: t("claim.platform"), share: [claimed.min * 100, claimed.max * 100] },
  ];
  return (
    <div className="h-40" data-testid="claim-chart">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} layout="vertical" margin={{ top: 8, right: 24, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis type="number" tickFormatter={(value: number) => `${value}%`} domain={[(min: number) => Math.min(0, Math.floor(min / 10) * 10), (max: number) => Math.max(40, Math.ceil(max / 10) * 10)]} />
          <YAxis type="category" dataKey="name" width={96} />
          <ReferenceLine x={0} stroke="#0f172a" />
          <Tooltip itemStyle={{ color: "#0f172a" }} formatter={(value) => (Array.isArray(value) ? value.map((part) => `${Number(part).toFixed(1)}%`).join(" – ") : `${Number(value).toFixed(1)}%`)} />
          <Bar dataKey="share" fill="#047857" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
