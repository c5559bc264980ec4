// A span of time in the words of the messages files (`units.*`), from one place for every page that shows one:
// - "figure", the metrics' figures: rounded to the second, signed, zero parts left out ("1 小时 5 分", "45 秒");
// - "countdown", the platform clock on a card: whole seconds left, never below zero, both parts always
//   ("5小时12分", "42分10秒").

export type DurationStyle = "figure" | "countdown";

type DurationKey = "hours" | "hoursMinutes" | "minutes" | "minutesSeconds" | "seconds" | "countdownHoursMinutes" | "countdownMinutesSeconds";

/** The `units` messages, as next-intl's `useTranslations("units")` gives them. */
export type UnitsTranslate = (key: DurationKey | "percentPoints", values: Record<string, number | string>) => string;

/** `null` (no figure yet) reads "—". */
export function formatDuration(ms: number | null, t: UnitsTranslate, style: DurationStyle = "figure"): string {
  if (ms === null) return "—";
  const totalSeconds = style === "countdown" ? Math.max(0, Math.floor(ms / 1000)) : Math.round(Math.abs(ms) / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (style === "countdown") return hours > 0 ? t("countdownHoursMinutes", { hours, minutes }) : t("countdownMinutesSeconds", { minutes, seconds });
  const sign = ms < 0 ? "-" : "";
  if (hours > 0) return sign + (minutes > 0 ? t("hoursMinutes", { hours, minutes }) : t("hours", { hours }));
  if (minutes > 0) return sign + (seconds > 0 ? t("minutesSeconds", { minutes, seconds }) : t("minutes", { minutes }));
  return sign + t("seconds", { seconds });
}
