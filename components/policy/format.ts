import { getShanghaiDate } from "@/lib/time";

/** "2026-12-07": the calendar date in Asia/Shanghai, whatever the browser's zone (docs/domain/README.md#conventions). */
export function formatShanghaiDate(instant: Date | string): string {
  const { year, month, day } = getShanghaiDate(typeof instant === "string" ? new Date(instant) : instant);
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}
