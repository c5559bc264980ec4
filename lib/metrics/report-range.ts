import { z } from "zod";
import { idSchema } from "@/lib/ids";
import { getPreviousRange, type TimeRange } from "@/lib/metrics/response-metrics";
import { dayMs, getShanghaiDay, getShanghaiDayStart } from "@/lib/metrics/shanghai-time";

// The owner page's range picker: presets count whole Shanghai days ending with today so far.

export const rangePresets = ["today", "7", "30", "90", "365", "custom"] as const;
export type RangePreset = (typeof rangePresets)[number];

/** A custom range may span two years at most: a year compared with the year before. */
export const maxCustomDays = 731;

const dayText = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Use YYYY-MM-DD");
const emptyToUndefined = (value: unknown) => (value === "" || value === null ? undefined : value);

export const metricsQuery = z
  .object({
    range: z.preprocess(emptyToUndefined, z.enum(rangePresets).default("30")),
    from: z.preprocess(emptyToUndefined, dayText.optional()),
    to: z.preprocess(emptyToUndefined, dayText.optional()),
    shop: z.preprocess(emptyToUndefined, idSchema("shop").optional()),
  })
  .superRefine((query, ctx) => {
    if (query.range !== "custom") return;
    if (!query.from || !query.to) {
      ctx.addIssue({ code: "custom", path: ["from"], message: "A custom range needs from and to" });
      return;
    }
    try {
      const spanDays = (getShanghaiDayStart(query.to).getTime() - getShanghaiDayStart(query.from).getTime()) / dayMs + 1;
      if (spanDays < 1) ctx.addIssue({ code: "custom", path: ["to"], message: "to must not be before from" });
      if (spanDays > maxCustomDays) ctx.addIssue({ code: "custom", path: ["to"], message: `At most ${maxCustomDays} days` });
    } catch {
      ctx.addIssue({ code: "custom", path: ["from"], message: "No such day" });
    }
  });
export type MetricsQuery = z.infer<typeof metricsQuery>;

export type ReportRange = TimeRange & { preset: RangePreset; firstDay: string; lastDay: string; previous: TimeRange };

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
