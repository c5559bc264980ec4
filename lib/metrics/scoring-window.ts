import { getShanghaiTimeOfDayMs } from "@/lib/metrics/shanghai-time";

/** Wall-clock hours in Asia/Shanghai during which the platform scores the 3-minute rate, "HH:MM". */
export type ScoringWindow = { start: string; end: string };

// Douyin and Taobao's daily variant score 08:00–23:00; Taobao is also cited as 08:00–24:00, so it stays a policy setting (NUMBERS.md §1e, L)
export const defaultScoringWindow: ScoringWindow = { start: "08:00", end: "23:00" };

const clockPattern = /^(\d{2}):(\d{2})$/;

function parseClockMs(clock: string, isEnd: boolean): number {
  const match = clockPattern.exec(clock);
  const hours = match ? Number(match[1]) : NaN;
  const minutes = match ? Number(match[2]) : NaN;
  const isValid = minutes < 60 && (hours < 24 || (isEnd && hours === 24 && minutes === 0));
  if (!isValid) throw new RangeError(`Not a ${isEnd ? "window end (00:00–24:00)" : "window start (00:00–23:59)"}: "${clock}"`);
  return (hours * 60 + minutes) * 60_000;
}

/**
 * Half-open [start, end) on the Shanghai wall clock: 08:00:00.000 is in, 23:00:00.000 is out, and
 * "24:00" as the end means up to midnight. Windows that cross midnight are rejected, since no
 * platform uses one.
 */
export function isInScoringHours(window: ScoringWindow, instant: Date): boolean {
  const startMs = parseClockMs(window.start, false);
  const endMs = parseClockMs(window.end, true);
  if (startMs >= endMs) throw new RangeError(`Scoring window must start before it ends: ${window.start}–${window.end}`);
  const timeOfDayMs = getShanghaiTimeOfDayMs(instant);
  return timeOfDayMs >= startMs && timeOfDayMs < endMs;
}
