import type { Role } from "@/lib/domain";
import type { FigureChange, RangeFigures } from "@/lib/metrics/response-metrics";

// The JSON of the metrics routes and page props (instants as ISO strings), shared by db/ and the UI.

export type BreakdownRow = { key: string; label: string; figures: RangeFigures };

export type MetricsReport = {
  range: { preset: string; firstDay: string; lastDay: string; start: string; end: string; previousStart: string; previousEnd: string };
  viewer: { role: Role; userId: string };
  shopId: string | null;
  figures: Record<keyof RangeFigures, FigureChange>;
  /** An agent's own answers (cards they answered); null for owners, who see every agent in the breakdown. */
  ownFigures: RangeFigures | null;
  overdueNow: number;
  breakdowns: { shop: BreakdownRow[]; agent: BreakdownRow[]; platform: BreakdownRow[]; kind: BreakdownRow[]; day: BreakdownRow[] };
  /** [weekday 0 = Monday][hour 0–23] over the range: cards received, and cards answered after the reply window. */
  heatmap: { arrivals: number[][]; late: number[][] };
  policy: { scoringWindow: { start: string; end: string }; replyWindowMs: number; target: number };
  /** False where nothing records the figure yet, so the page says so instead of showing a bare 0. */
  recordedSources: { intervention: boolean; returnFreight: boolean };
};

export type StaffingHour = { hour: number; arrivals: number; agentsNeeded: number; serviceLevel: number };

export type StaffingForecast = {
  day: string;
  weeks: number;
  targetLevel: number;
  targetSeconds: number;
  agentsOnShift: number;
  /** Assumed handling time per card: the median response of people's answers in the last `weeks` weeks; null without answers. */
  handleSeconds: number | null;
  handleBasisAnswers: number;
  /** Per agent (an agent sees only their own row). */
  agentHandle: { agentId: string; label: string; answered: number; medianSeconds: number | null }[];
  hours: StaffingHour[];
  /** Runs of consecutive hours needing the same number of people (hours with no arrivals left out). */
  segments: { startHour: number; endHour: number; agentsNeeded: number }[];
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

