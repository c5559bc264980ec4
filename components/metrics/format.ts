import type { FigureChange, RangeFigures } from "@/lib/metrics/response-metrics";
import { formatDuration, type UnitsTranslate } from "@/lib/duration";
import { formatFen } from "@/lib/money";

// How each figure reads on the page; the CSV export writes raw numbers instead.

export type FigureName = keyof RangeFigures;

export type FigureKind = "count" | "rate" | "duration" | "money";

export function getFigureKind(name: FigureName): FigureKind {
  if (name.endsWith("Rate") || name.endsWith("Share")) return "rate";
  if (name.endsWith("Ms")) return "duration";
  if (name.endsWith("Fen")) return "money";
  return "count";
}

export function formatPercent(share: number | null, locale: string): string {
  if (share === null) return "—";
  return new Intl.NumberFormat(locale, { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(share);
}

/** Durations and share points in the words of the `units` messages (`t`). */
export function formatFigure(name: FigureName, value: number | null, locale: string, t: UnitsTranslate): string {
  if (value === null) return "—";
  switch (getFigureKind(name)) {
    case "rate":
      return formatPercent(value, locale);
    case "duration":
      return formatDuration(value, t);
    case "money":
      return formatFen(value);
    case "count":
      return new Intl.NumberFormat(locale).format(value);
  }
}

/** The change against the previous range: share points for rates ("+3.0 pp"), otherwise in the figure's unit. */
export function formatDelta(name: FigureName, change: FigureChange, locale: string, t: UnitsTranslate): string | null {
  if (change.delta === null) return null;
  const sign = change.delta > 0 ? "+" : change.delta < 0 ? "−" : "±";
  const size = Math.abs(change.delta);
  if (getFigureKind(name) === "rate") return sign + t("percentPoints", { points: (size * 100).toFixed(1) });
  return `${sign}${formatFigure(name, size, locale, t)}`;
}
