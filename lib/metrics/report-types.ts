import type { Platform, Role } from "@/lib/domain";
import type { PeriodDays } from "@/lib/metrics/report-range";
import type { FigureChange, RangeFigures } from "@/lib/metrics/response-metrics";
import type { PlatformScoring } from "@/lib/metrics/scoring-window";
import type { PlannedHour, StaffingRun } from "@/lib/metrics/staffing";

// The JSON of the metrics routes and page props (instants as ISO strings), shared by db/ and the UI.

export type BreakdownRow = { key: string; label: string; figures: RangeFigures };

export type MetricsReport = {
  range: {
    preset: string;
    firstDay: string;
    lastDay: string;
    start: string;
    end: string;
    previousStart: string;
    previousEnd: string;
    /** How the page names this period and the one it is compared with. */
    current: PeriodDays;
    previous: PeriodDays;
  };
  viewer: { role: Role; userId: string };
  shopId: string | null;
  figures: Record<keyof RangeFigures, FigureChange>;
  /** An agent's own answers (cards they answered); null for owners, who see every agent in the breakdown. */
  ownFigures: RangeFigures | null;
  overdueNow: number;
  breakdowns: { shop: BreakdownRow[]; agent: BreakdownRow[]; platform: BreakdownRow[]; kind: BreakdownRow[]; day: BreakdownRow[] };
  /** [weekday 0 = Monday][hour 0–23] over the range: cards received, and cards answered after the reply window. */
  heatmap: { arrivals: number[][]; late: number[][] };
  /** The scoring rules of the platforms of the shops in view. */
  policy: { replyWindowMs: number; target: number; platforms: ({ platform: Platform } & PlatformScoring)[] };
  /** Each shop in view: rounds scored over its platform's look-back up to now, and whether that few leaves it unscored. */
  scoring: { shopId: string; label: string; platform: Platform; scoredRounds: number; minRounds: number | null; isExempt: boolean }[];
  /** False where nothing records the figure yet, so the page says so instead of showing a bare 0. */
  recordedSources: { intervention: boolean; returnFreight: boolean };
};

/** One hour of tomorrow; `levelOnShift` is null when there is no handle time to size with. */
export type StaffingHour = Omit<PlannedHour, "levelOnShift"> & { levelOnShift: number | null };

export type StaffingForecast = {
  day: string;
  weeks: number;
  targetLevel: number;
  targetSeconds: number;
  agentsOnShift: number;
  /** Time spent per card by people over the last `weeks` weeks (lib/metrics/handle-time.ts); null without any. */
  handle: { meanSeconds: number; medianSeconds: number; cards: number; awayLeftOut: number; awayGapMinutes: number } | null;
  /** The best 3-minute rate any number of people can reach with these handle times. */
  reachableLevel: number | null;
  /** Per agent (an agent sees only their own row). */
  agentHandle: { agentId: string; label: string; cards: number; meanSeconds: number | null; medianSeconds: number | null }[];
  /** The one figure per hour that the headline, the on-shift line, the chart and the CSV all show. */
  hours: StaffingHour[];
  /** Runs of consecutive hours needing the same number of people (hours with no cards expected left out). */
  runs: StaffingRun[];
};

export type LiveHourStatus = {
  hourStart: string;
  isScoredHour: boolean;
  received: number;
  answeredInTime: number;
  /** Cards whose outcome is known: answered, or still pending past the reply window. */
  settled: number;
  rate: number | null;
  target: number;
  isHeadingUnder: boolean;
};

