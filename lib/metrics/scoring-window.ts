import type { Platform } from "@/lib/domain";
import { getShanghaiTimeOfDayMs } from "@/lib/time";

/** Wall-clock hours in Asia/Shanghai during which the platform scores the 3-minute rate, "HH:MM". */
export type ScoringWindow = { start: string; end: string };

/** How a platform scores the 3-minute rate; the sources and their confidence are in docs/metrics.md. */
export type PlatformScoring = {
  window: ScoringWindow;
  /** Shops with fewer rounds (scored cards) in the look-back are not scored at all; null where no minimum is known. */
  minRounds: number | null;
  lookbackDays: number;
  /** True where no public source gives this platform's window: the values are borrowed, and the page says so. */
  isBorrowed: boolean;
};

// Taobao/Tmall 3分钟响应率: 08:00–24:00 over 30 days, shops under 100 rounds exempt (docs/metrics.md, one source
// each, low confidence; a 09:00–23:00 variant is also cited). Douyin 3分钟人工回复率: 08:00–23:00 over 30 days.
// WeChat Shop: no public rule found; Douyin's window is borrowed.
export const platformScoring: Record<Platform, PlatformScoring> = {
  taobao: { window: { start: "08:00", end: "24:00" }, minRounds: 100, lookbackDays: 30, isBorrowed: false },
  tmall: { window: { start: "08:00", end: "24:00" }, minRounds: 100, lookbackDays: 30, isBorrowed: false },
  douyin: { window: { start: "08:00", end: "23:00" }, minRounds: null, lookbackDays: 30, isBorrowed: false },
  wechat: { window: { start: "08:00", end: "23:00" }, minRounds: null, lookbackDays: 30, isBorrowed: true },
};

/** Each platform's scoring hours. */
export type ScoringWindows = Record<Platform, ScoringWindow>;

export const defaultScoringWindows: ScoringWindows = {
  taobao: platformScoring.taobao.window,
  tmall: platformScoring.tmall.window,
  douyin: platformScoring.douyin.window,
  wechat: platformScoring.wechat.window,
};

/** Douyin's 08:00–23:00, for tests and for anything not tied to one platform. */
export const defaultScoringWindow: ScoringWindow = platformScoring.douyin.window;

/** Is a shop with this many scored rounds in the platform's look-back left out of the platform's scoring? */
export function isExemptFromScoring(platform: Platform, scoredRounds: number): boolean {
  const { minRounds } = platformScoring[platform];
  return minRounds !== null && scoredRounds < minRounds;
}

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
