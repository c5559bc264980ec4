import type { FigureChange, RangeFigures } from "@/lib/metrics/response-metrics";
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

/** "45 秒", "2 分 10 秒", "1 小时 5 分" (zh) or "45 s", "2 min 10 s", "1 h 5 min" (en). */
export function formatDuration(ms: number | null, locale: string): string {
  if (ms === null) return "—";
  const isZh = locale.startsWith("zh");
  const totalSeconds = Math.round(Math.abs(ms) / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  const sign = ms < 0 ? "-" : "";
  const [h, m, s] = isZh ? [" 小时", " 分", " 秒"] : [" h", " min", " s"];
  if (hours > 0) return `${sign}${hours}${h}${minutes > 0 ? ` ${minutes}${m}` : ""}`;
  if (minutes > 0) return `${sign}${minutes}${m}${seconds > 0 ? ` ${seconds}${s}` : ""}`;
  return `${sign}${seconds}${s}`;
}

export function formatFigure(name: FigureName, value: number | null, locale: string): string {
  if (value === null) return "—";
  switch (getFigureKind(name)) {
    case "rate":
      return formatPercent(value, locale);
    case "duration":
      return formatDuration(value, locale);
    case "money":
      return formatFen(value);
    case "count":
      return new Intl.NumberFormat(locale).format(value);
  }
}

/** The change against the previous range: share points for rates ("+3.0 pp"), otherwise in the figure's unit. */
export function formatDelta(name: FigureName, change: FigureChange, locale: string): string | null {
  if (change.delta === null) return null;
  const sign = change.delta > 0 ? "+" : change.delta < 0 ? "−" : "±";
  const size = Math.abs(change.delta);
  if (getFigureKind(name) === "rate") return `${sign}${(size * 100).toFixed(1)} ${locale.startsWith("zh") ? "个百分点" : "pp"}`;
  return `${sign}${formatFigure(name, size, locale)}`;
}
