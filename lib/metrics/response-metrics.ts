import type { Platform, RequestKind, RequestStatus } from "@/lib/domain";
import { defaultScoringWindows, isInScoringHours, type ScoringWindows } from "@/lib/metrics/scoring-window";
import { dayMs, getShanghaiHourBucket } from "@/lib/time";

/** `answeredBy` / `agentId` of a card that an automatic rule answered. */
export const ruleAgentId = "rule";

/**
 * What the rollup counts about one card, as it stands now. A card lives in exactly one rollup row,
 * the hour it was received, even when it is answered or decided in a later hour, so rates over any
 * range compare answers with the very cards received in that range; when a card changes (answered,
 * decided, a decision undone) remove its old facts and add its new ones.
 */
export type CardFacts = {
  shopId: string;
  platform: Platform;
  kind: RequestKind;
  receivedAt: Date;
  /** First answer to the card; null while unanswered. */
  answeredAt: Date | null;
  /** Agent who gave the first answer, `ruleAgentId` for a rule, null while unanswered. */
  answeredBy: string | null;
  status: RequestStatus;
  /** Only read when rejected: rejecting without both counts as 卖家有责 (docs/metrics.md). */
  hasRejectReason: boolean;
  hasRejectEvidence: boolean;
  hasIntervention: boolean;
  /** Refund paid out on this card; 0 if none. */
  refundFen: number;
  /** Return freight the seller paid on this card; 0 if none. */
  returnFreightFen: number;
};

export type RollupPolicy = {
  /** An answer at exactly this response time is still in time; 1 ms later it is late. */
  replyWindowMs: number;
  /** A card is scored by its own platform's hours. */
  scoringWindows: ScoringWindows;
};

// 3分钟响应率: 180 s on every platform (docs/metrics.md)
export const defaultRollupPolicy: RollupPolicy = { replyWindowMs: 180_000, scoringWindows: defaultScoringWindows };

/** The bucket of an hourly rollup row. Hours are Shanghai hours, stored as their UTC start instant. */
export type RollupKey = {
  shopId: string;
  /** Null for cards not answered yet, `ruleAgentId` for automatic answers. */
  agentId: string | null;
  platform: Platform;
  kind: RequestKind;
  hourStart: Date;
};

/** Every field is a plain sum, so hourly rows add up to any range and removing a card subtracts exactly. */
export type RollupCounters = {
  received: number;
  receivedInScoringHours: number;
  answered: number;
  answeredWithin3Min: number;
  answeredWithin3MinInScoringHours: number;
  approved: number;
  rejected: number;
  rejectedWithoutReasonOrEvidence: number;
  autoAnswered: number;
  intervention: number;
  refundFen: number;
  returnFreightFen: number;
  /** Sum of response times of answered cards, for the mean. */
  responseMsTotal: number;
  /** Answered cards per response-time bucket, aligned with `responseHistogramUpperEdgesMs` plus one overflow bucket. */
  responseHistogram: number[];
};

// 10 s steps up to 3 min so the 3-minute mark is an exact edge, then ×1.2 steps (rounded to whole seconds) up to 24 h
function buildUpperEdgesMs(): number[] {
  const edgesSeconds: number[] = [];
  for (let seconds = 10; seconds <= 180; seconds += 10) edgesSeconds.push(seconds);
  let seconds = 180;
  while (seconds < 86_400) {
    seconds = Math.min(86_400, Math.round(seconds * 1.2));
    edgesSeconds.push(seconds);
  }
  return edgesSeconds.map((edgeSeconds) => edgeSeconds * 1000);
}

/**
 * Bucket i holds response times in (upperEdge[i-1], upperEdge[i]] (the first one [0, 10 s]); one more
 * bucket after the last holds everything over 24 h. Never change these edges: stored rows depend on them.
 */
export const responseHistogramUpperEdgesMs: readonly number[] = buildUpperEdgesMs();

const zeroScalarCounters: Omit<RollupCounters, "responseHistogram"> = {
  received: 0,
  receivedInScoringHours: 0,
  answered: 0,
  answeredWithin3Min: 0,
  answeredWithin3MinInScoringHours: 0,
  approved: 0,
  rejected: 0,
  rejectedWithoutReasonOrEvidence: 0,
  autoAnswered: 0,
  intervention: 0,
  refundFen: 0,
  returnFreightFen: 0,
  responseMsTotal: 0,
};
// Built from the literal above, so a counter added to the type cannot be forgotten when merging
const scalarCounterNames = Object.keys(zeroScalarCounters) as (keyof typeof zeroScalarCounters)[];

export function createEmptyRollup(): RollupCounters {
  return { ...zeroScalarCounters, responseHistogram: new Array<number>(responseHistogramUpperEdgesMs.length + 1).fill(0) };
}

function getHistogramBucketIndex(responseMs: number): number {
  const index = responseHistogramUpperEdgesMs.findIndex((upperEdgeMs) => responseMs <= upperEdgeMs);
  return index === -1 ? responseHistogramUpperEdgesMs.length : index;
}

/** Milliseconds from receipt to first answer; null while unanswered. */
export function getResponseMs(card: Pick<CardFacts, "receivedAt" | "answeredAt">): number | null {
  if (!card.answeredAt) return null;
  // Platform receipt stamps and our clock can disagree by a few ms; an answer never precedes its card
  return Math.max(0, card.answeredAt.getTime() - card.receivedAt.getTime());
}

/** Exactly `replyWindowMs` (3:00) counts as in time, matching the reply clock in lib/response-timer.ts. */
export function isAnsweredInTime(policy: Pick<RollupPolicy, "replyWindowMs">, responseMs: number | null): boolean {
  return responseMs !== null && responseMs <= policy.replyWindowMs;
}

export function getRollupKey(card: CardFacts): RollupKey {
  return {
    shopId: card.shopId,
    agentId: card.answeredBy,
    platform: card.platform,
    kind: card.kind,
    hourStart: getShanghaiHourBucket(card.receivedAt),
  };
}

function assertFen(label: string, amountFen: number): void {
  if (!Number.isSafeInteger(amountFen)) throw new RangeError(`${label} must be whole fen, got ${amountFen}`);
}

function getCardCounters(card: CardFacts, policy: RollupPolicy): RollupCounters {
  assertFen("refundFen", card.refundFen);
  assertFen("returnFreightFen", card.returnFreightFen);
  const counters = createEmptyRollup();
  const responseMs = getResponseMs(card);
  // The platform scores a round by when the buyer asked, so the receipt time decides scoring hours
  const isScored = isInScoringHours(policy.scoringWindows[card.platform], card.receivedAt);
  const isInTime = isAnsweredInTime(policy, responseMs);
  const isRejected = card.status === "rejected";
  counters.received = 1;
  counters.receivedInScoringHours = isScored ? 1 : 0;
  counters.answered = responseMs === null ? 0 : 1;
  counters.answeredWithin3Min = isInTime ? 1 : 0;
  counters.answeredWithin3MinInScoringHours = isInTime && isScored ? 1 : 0;
  counters.approved = card.status === "approved" ? 1 : 0;
  counters.rejected = isRejected ? 1 : 0;
  counters.rejectedWithoutReasonOrEvidence = isRejected && !(card.hasRejectReason && card.hasRejectEvidence) ? 1 : 0;
  counters.autoAnswered = responseMs !== null && card.answeredBy === ruleAgentId ? 1 : 0;
  counters.intervention = card.hasIntervention ? 1 : 0;
  counters.refundFen = card.refundFen;
  counters.returnFreightFen = card.returnFreightFen;
  if (responseMs !== null) {
    counters.responseMsTotal = responseMs;
    counters.responseHistogram[getHistogramBucketIndex(responseMs)] = 1;
  }
  return counters;
}

/** Adds one card's counters into `rollup` in place: rebuilds fold a million cards into a few thousand rows this way. */
export function addCardInto(rollup: RollupCounters, card: CardFacts, policy: RollupPolicy = defaultRollupPolicy): void {
  const counters = getCardCounters(card, policy);
  if (rollup.responseHistogram.length !== counters.responseHistogram.length) throw new RangeError("Histograms differ in length");
  for (const name of scalarCounterNames) rollup[name] += counters[name];
  for (let index = 0; index < counters.responseHistogram.length; index += 1) rollup.responseHistogram[index] += counters.responseHistogram[index];
}

/**
 * Nearest-rank percentile (0 < percentile ≤ 100: the smallest response time that `percentile`% of
 * answers do not exceed), estimated as the upper edge of the bucket holding that rank. Error bound:
 * exact ≤ estimate ≤ exact + 10 s up to 3 min, and exact ≤ estimate < 1.21 × exact from 3 min to 24 h.
 * A rank in the overflow bucket reports 24 h, meaning "over 24 h". Null when the histogram is empty.
 */
export function getPercentileFromHistogram(histogram: readonly number[], percentile: number): number | null {
  if (!(percentile > 0 && percentile <= 100)) throw new RangeError(`Percentile must be in (0, 100], got ${percentile}`);
  const total = histogram.reduce((sum, count) => sum + count, 0);
  if (total === 0) return null;
  const rank = Math.ceil((percentile / 100) * total);
  let seen = 0;
  for (const [index, count] of histogram.entries()) {
    seen += count;
    if (seen >= rank) return responseHistogramUpperEdgesMs[Math.min(index, responseHistogramUpperEdgesMs.length - 1)];
  }
  return responseHistogramUpperEdgesMs[responseHistogramUpperEdgesMs.length - 1];
}

/**
 * 3分钟响应率 = answered within the reply window ÷ received (docs/metrics.md); null with nothing received.
 * Cards still unanswered count against the rate, so a card received moments before the range ends lowers it.
 */
export function getResponseRate(rollup: RollupCounters, hours: "all_day" | "scoring_hours" = "all_day"): number | null {
  const received = hours === "all_day" ? rollup.received : rollup.receivedInScoringHours;
  const inTime = hours === "all_day" ? rollup.answeredWithin3Min : rollup.answeredWithin3MinInScoringHours;
  return received === 0 ? null : inTime / received;
}

/** The figure cards of the owner's page for one range. */
export type RangeFigures = {
  received: number;
  responseRate: number | null;
  scoringHoursResponseRate: number | null;
  meanResponseMs: number | null;
  p50ResponseMs: number | null;
  p90ResponseMs: number | null;
  p99ResponseMs: number | null;
  /** Of the cards answered, the share a rule answered. */
  autoAnsweredShare: number | null;
  approved: number;
  rejected: number;
  rejectedWithoutReasonOrEvidence: number;
  intervention: number;
  refundFen: number;
  returnFreightFen: number;
};

export function getRangeFigures(rollup: RollupCounters): RangeFigures {
  const hasAnswers = rollup.answered > 0;
  return {
    received: rollup.received,
    responseRate: getResponseRate(rollup, "all_day"),
    scoringHoursResponseRate: getResponseRate(rollup, "scoring_hours"),
    meanResponseMs: hasAnswers ? rollup.responseMsTotal / rollup.answered : null,
    p50ResponseMs: getPercentileFromHistogram(rollup.responseHistogram, 50),
    p90ResponseMs: getPercentileFromHistogram(rollup.responseHistogram, 90),
    p99ResponseMs: getPercentileFromHistogram(rollup.responseHistogram, 99),
    autoAnsweredShare: hasAnswers ? rollup.autoAnswered / rollup.answered : null,
    approved: rollup.approved,
    rejected: rollup.rejected,
    rejectedWithoutReasonOrEvidence: rollup.rejectedWithoutReasonOrEvidence,
    intervention: rollup.intervention,
    refundFen: rollup.refundFen,
    returnFreightFen: rollup.returnFreightFen,
  };
}

/** `delta` is current − previous (for rates: in share points, 0.93 − 0.90 = 0.03); null when either side has no value. */
export type FigureChange = { current: number | null; previous: number | null; delta: number | null };

export function compareWithPrevious(
  current: RollupCounters,
  previous: RollupCounters,
): Record<keyof RangeFigures, FigureChange> {
  const currentFigures = getRangeFigures(current);
  const previousFigures = getRangeFigures(previous);
  const names = Object.keys(currentFigures) as (keyof RangeFigures)[];
  return Object.fromEntries(
    names.map((name) => {
      const now = currentFigures[name];
      const before = previousFigures[name];
      return [name, { current: now, previous: before, delta: now === null || before === null ? null : now - before }];
    }),
  ) as Record<keyof RangeFigures, FigureChange>;
}

/** Half-open [start, end) in UTC instants. */
export type TimeRange = { start: Date; end: Date };

/**
 * The range just before, shifted back by the length rounded up to whole days, so "today so far"
 * compares with yesterday up to the same hour and 7 days with the 7 days before; whole Shanghai days
 * stay whole days because Shanghai has no DST.
 */
export function getPreviousRange(range: TimeRange): TimeRange {
  const lengthMs = range.end.getTime() - range.start.getTime();
  if (!(lengthMs > 0)) throw new RangeError("A range must end after it starts");
  const shiftMs = Math.ceil(lengthMs / dayMs) * dayMs;
  return { start: new Date(range.start.getTime() - shiftMs), end: new Date(range.end.getTime() - shiftMs) };
}
