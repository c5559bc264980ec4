import { estimateReturnFreight, formatVerdictSentence, getVerdict, type VerdictLocale } from "@/lib/return-freight/estimator";
import type { EstimatorParameters } from "@/lib/return-freight/parameters";

// CSV export of saved scenarios (docs/return-freight.md). RFC 4180: CRLF rows, fields with a comma, quote or line break
// are quoted and quotes doubled. The string has no BOM: the caller adds "\uFEFF" so Excel reads UTF-8.

export type Scenario = {
  name: string;
  /** Parameters for one month (see `scaleToMonth`). */
  parameters: EstimatorParameters;
};

const headers: Record<VerdictLocale, string[]> = {
  zh: [
    "方案",
    "每月发货单数",
    "退货率",
    "保费来源",
    "每单保费(元)",
    "不订阅每月成本(元)",
    "订阅每月成本(元)",
    "每月节省(元)",
    "节省比例",
    "保本保费(元/单)",
    "结论",
  ],
  en: [
    "Scenario",
    "Shipped orders per month",
    "Return rate",
    "Premium source",
    "Premium per order (yuan)",
    "Monthly cost without (yuan)",
    "Monthly cost with (yuan)",
    "Monthly saving (yuan)",
    "Saving share",
    "Break-even premium (yuan/order)",
    "Verdict",
  ],
};

const premiumSourceLabels: Record<VerdictLocale, { quote: string; estimate: string }> = {
  zh: { quote: "报价", estimate: "估算" },
  en: { quote: "quote", estimate: "estimate" },
};

/** Text a spreadsheet would run as a formula gets a leading apostrophe (OWASP CSV injection). */
function neutralizeFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function quoteField(field: string): string {
  return /[",\r\n]|^\s|\s$/.test(field) ? `"${field.replaceAll('"', '""')}"` : field;
}

/** Yuan with two decimals and no grouping, so spreadsheets read a number; fen are already whole. */
function formatYuanCell(amountFen: number): string {
  return (amountFen / 100).toFixed(2);
}

function formatPercentCell(share: number | null): string {
  return share === null ? "" : `${(share * 100).toFixed(2)}%`;
}

export function toScenarioCsv(scenarios: Scenario[], locale: VerdictLocale = "zh"): string {
  const rows = scenarios.map((scenario) => {
    const estimate = estimateReturnFreight(scenario.parameters);
    const verdict = getVerdict(scenario.parameters);
    return [
      neutralizeFormula(scenario.name),
      String(Number(estimate.shippedOrders.toFixed(2))),
      formatPercentCell(estimate.shopReturnRate),
      premiumSourceLabels[locale][estimate.premiumSource],
      formatYuanCell(estimate.premiumFen),
      formatYuanCell(estimate.costWithoutFen),
      formatYuanCell(estimate.costWithFen),
      formatYuanCell(estimate.savingFen),
      formatPercentCell(estimate.savingShare),
      formatYuanCell(estimate.breakEvenPremiumFen),
      neutralizeFormula(formatVerdictSentence(verdict, locale)),
    ];
  });
  return [headers[locale], ...rows].map((row) => row.map(quoteField).join(",")).join("\r\n") + "\r\n";
}
