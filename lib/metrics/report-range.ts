import { z } from "zod";
import { idSchema } from "@/lib/ids";
import { getPreviousRange, type TimeRange } from "@/lib/metrics/response-metrics";
import { dayMs, getShanghaiDay, getShanghaiDayStart, getShanghaiTimeOfDayMs, hourMs, minuteMs } from "@/lib/time";

// The owner page's range picker: presets count whole Shanghai days ending with today so far.

export const rangePresets = ["today", "7", "30", "90", "365", "custom"] as const;
export type RangePreset = (typeof rangePresets)[number];

/** A custom range may span two years at most: a year compared with the year before. */
export const maxCustomDays = 731;

const dayText = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Use YYYY-MM-DD");
const emptyToUndefined = (value: unknown) => (value === "" || value === null ? undefined : value);

/** Why a custom range is refused; the page says it in words (ownerPages.metrics.rangeProblem). */
export type RangeProblem = "incomplete" | "no_such_day" | "to_before_from" | "too_long" | "in_future";

const problemMessages: Record<RangeProblem, string> = {
  incomplete: "A custom range needs from and to",
  no_such_day: "No such day",
  to_before_from: "to must not be before from",
  too_long: `At most ${maxCustomDays} days`,
  in_future: "from must not be after today",
};

/**
 * The problem with a custom range, or null when it can be shown: both days given and real, `to` not
 * before `from`, at most `maxCustomDays` days, and (when `today` is given) starting no later than today.
 */
export function getCustomRangeProblem(from: string | undefined, to: string | undefined, today?: string): RangeProblem | null {
  if (!from || !to) return "incomplete";
  let spanDays: number;
  try {
    spanDays = (getShanghaiDayStart(to).getTime() - getShanghaiDayStart(from).getTime()) / dayMs + 1;
  } catch {
    return "no_such_day";
  }
  if (spanDays < 1) return "to_before_from";
  if (spanDays > maxCustomDays) return "too_long";
  if (today !== undefined && from > today) return "in_future";
  return null;
}

export const metricsQuery = z
  .object({
    range: z.preprocess(emptyToUndefined, z.enum(rangePresets).default("30")),
    from: z.preprocess(emptyToUndefined, dayText.optional()),
    to: z.preprocess(emptyToUndefined, dayText.optional()),
    shop: z.preprocess(emptyToUndefined, idSchema("shop").optional()),
  })
  .superRefine((query, ctx) => {
    if (query.range !== "custom") return;
    const problem = getCustomRangeProblem(query.from, query.to);
    if (problem) ctx.addIssue({ code: "custom", path: [problem === "to_before_from" || problem === "too_long" ? "to" : "from"], message: problemMessages[problem], params: { problem } });
  });
export type MetricsQuery = z.infer<typeof metricsQuery>;

export type ReportRange = TimeRange & { preset: RangePreset; firstDay: string; lastDay: string; previous: TimeRange };

/** The days of a period for the page: first and last Shanghai day, and the clock it ends at when that is not midnight. */
export type PeriodDays = { firstDay: string; lastDay: string; endClock: string | null };

export function getPeriodDays(range: TimeRange): PeriodDays {
  const endTimeMs = getShanghaiTimeOfDayMs(range.end);
  const clock = (ms: number) => `${String(Math.floor(ms / hourMs)).padStart(2, "0")}:${String(Math.floor((ms % hourMs) / minuteMs)).padStart(2, "0")}`;
  return {
    firstDay: getShanghaiDay(range.start),
    lastDay: getShanghaiDay(new Date(range.end.getTime() - 1)),
    endClock: endTimeMs === 0 ? null : clock(endTimeMs),
  };
}

/** The instants of a range; a custom range ending after today is cut at `now`, so it never counts the future. */
export function resolveReportRange(query: Pick<MetricsQuery, "range" | "from" | "to">, now: Date): ReportRange {
  const today = getShanghaiDay(now);
  const todayStartMs = getShanghaiDayStart(today).getTime();
  let range: TimeRange;
  if (query.range === "custom" && query.from && query.to) {
    const endMs = Math.min(getShanghaiDayStart(query.to).getTime() + dayMs, now.getTime());
    range = { start: getShanghaiDayStart(query.from), end: new Date(endMs) };
  } else {
    const days = query.range === "today" || query.range === "custom" ? 1 : Number(query.range);
    range = { start: new Date(todayStartMs - (days - 1) * dayMs), end: now };
  }
  if (range.end.getTime() <= range.start.getTime()) range = { start: range.start, end: new Date(range.start.getTime() + 1) };
  return {
    ...range,
    preset: query.range,
    firstDay: getShanghaiDay(range.start),
    lastDay: getShanghaiDay(new Date(range.end.getTime() - 1)),
    previous: getPreviousRange(range),
  };
}
