import { csvDecimal, csvYuan, toCsv, type CsvCell } from "@/lib/csv";
import { estimateReturnFreight, formatVerdictSentence, getVerdict, type FreightTranslate } from "@/lib/return-freight/estimator";
import type { EstimatorParameters } from "@/lib/return-freight/parameters";

// CSV export of saved scenarios (docs/return-freight.md), written by the desk's one CSV writer (lib/csv.ts): BOM,
// RFC 4180, money as yuan numbers, shares as percent numbers, text guarded against formulas. The headings and
// words come from the `freight` messages through `t`.

export type Scenario = {
  name: string;
  /** Parameters for one month (see `scaleToMonth`). */
  parameters: EstimatorParameters;
};

const columns = ["scenario", "shippedPerMonth", "returnRate", "premiumSource", "premium", "costWithout", "costWith", "saving", "savingShare", "breakEven", "verdict"] as const;

/** A share as a percentage with two decimals, a number cell ("35.00"). */
function percent(share: number | null): CsvCell {
  return share === null ? null : csvDecimal(share * 100, 2);
}

export function toScenarioCsv(scenarios: Scenario[], t: FreightTranslate): string {
  const rows = scenarios.map((scenario): CsvCell[] => {
    const estimate = estimateReturnFreight(scenario.parameters);
    return [
      scenario.name,
      Number(estimate.shippedOrders.toFixed(2)),
      percent(estimate.shopReturnRate),
      t(`csv.${estimate.premiumSource}`),
      csvYuan(estimate.premiumFen),
      csvYuan(estimate.costWithoutFen),
      csvYuan(estimate.costWithFen),
      csvYuan(estimate.savingFen),
      percent(estimate.savingShare),
      csvYuan(estimate.breakEvenPremiumFen),
      formatVerdictSentence(getVerdict(scenario.parameters), t),
    ];
  });
  return toCsv(
    columns.map((column) => t(`csv.${column}`)),
    rows,
  );
}
