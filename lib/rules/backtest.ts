import type { PriorRefundState, RequestKind, RequestStatus } from "@/lib/domain";
import { defaultRollupPolicy, isAnsweredInTime } from "@/lib/metrics/response-metrics";
import { isProductCategory } from "@/lib/policy/categories";
import { getPolicyProfile } from "@/lib/policy/profiles";
import { findFirstMatch, getEffectiveRules, isApproveAllowed, type RuleFacts } from "@/lib/rules/match";
import type { AutoRule, RuleSet } from "@/lib/rules/schema";
import { dayMs, shanghaiOffsetMs } from "@/lib/time";

// What a draft rule set would have done to a shop's past requests, one row at a time (rows come in
// receipt order, so the accumulator keeps no history, only counts). Pure: the caller reads the rows.

const sampleLimit = 20;
const refundKinds: readonly RequestKind[] = ["refund_only", "return_refund"];

/** One past request as the backtest reads it. */
export type BacktestRow = RuleFacts & {
  requestId: string;
  status: RequestStatus;
  /** The first answer as it really happened; null if never answered. */
  decidedAtMs: number | null;
  priorRefund: PriorRefundState;
  entryOpenedAtMs: number | null;
  entryTimesOpened: number;
};

export type BacktestDay = { day: string; received: number; answered: number; inTimeWithout: number; inTimeWith: number };

export type BacktestSample = {
  requestId: string;
  receivedAt: string;
  platform: RuleFacts["platform"];
  kind: RequestKind;
  amountFen: number;
  ruleId: string;
  ruleName: string;
  actualStatus: RequestStatus;
  /** The order's title; the caller fills it for the few samples. */
  title: string | null;
};

export type BacktestFigures = {
  received: number;
  /** Requests the rules would have approved at once. */
  answered: number;
  /** Refunds those approvals pay out (refund-only and return & refund), in fen. */
  refundFen: number;
  /** Of those, how many agents had actually rejected. */
  rejectedByAgents: number;
  /** Matched a rule but the platform rules forbade approving (e.g. a re-open past 2 years): left to a person. */
  ineligible: number;
  rateWithout: number | null;
  rateWith: number | null;
};

export type BacktestResult = BacktestFigures & {
  days: BacktestDay[];
  perRule: { ruleId: string; ruleName: string; answered: number; refundFen: number }[];
  samples: BacktestSample[];
};

export type BacktestState = {
  rules: AutoRule[];
  windowStartMs: number;
  windowEndMs: number;
  figures: Omit<BacktestFigures, "rateWithout" | "rateWith"> & { inTimeWithout: number; inTimeWith: number };
  days: Map<number, BacktestDay>;
  perRule: Map<string, { answered: number; refundFen: number }>;
  /** The latest matches, oldest first; made into samples only at the end (most matches are pushed out). */
  matches: { row: BacktestRow; rule: AutoRule }[];
};

export function createBacktest(ruleSet: RuleSet, window: { startMs: number; endMs: number }): BacktestState {
  const rules = getEffectiveRules(ruleSet);
  return {
    // The backtest asks what the rules would do if switched on, so 只记录 rules count as answering
    rules,
    windowStartMs: window.startMs,
    windowEndMs: window.endMs,
    figures: { received: 0, answered: 0, refundFen: 0, rejectedByAgents: 0, ineligible: 0, inTimeWithout: 0, inTimeWith: 0 },
    days: new Map(),
    perRule: new Map(rules.map((rule) => [rule.id, { answered: 0, refundFen: 0 }])),
    matches: [],
  };
}

function getShanghaiDayIndex(instantMs: number): number {
  return Math.floor((instantMs + shanghaiOffsetMs) / dayMs);
}

function isRuleAllowed(row: BacktestRow): boolean {
  // The order as it was then: an opening after this request had not happened yet
  const entryOpenedAt = row.entryOpenedAtMs !== null && row.entryOpenedAtMs <= row.receivedAtMs ? new Date(row.entryOpenedAtMs) : null;
  const receivedAt = new Date(row.receivedAtMs);
  return isApproveAllowed(
    getPolicyProfile(row.platform),
    {
      category: isProductCategory(row.category) ? row.category : "other",
      amountFen: row.orderAmountFen,
      // Shipping and receipt only bear on rejecting and proposals, never on approving
      shippedAt: null,
      receivedAt: null,
      completedAt: row.completedAtMs === null ? null : new Date(row.completedAtMs),
      priorRefundState: row.priorRefund,
      entryOpenedAt,
      timesOpened: row.entryTimesOpened,
    },
    { kind: row.kind, amountFen: row.requestedAmountFen, receivedAt, isSevenDayNoReason: row.reasonCode === "no_reason_7d" },
    receivedAt,
  );
}

/** Counts one request received inside the window (the caller keeps rows outside it away). */
export function addBacktestRow(state: BacktestState, row: BacktestRow): void {
  const { figures } = state;
  const dayIndex = getShanghaiDayIndex(row.receivedAtMs);
  let day = state.days.get(dayIndex);
  if (!day) {
    day = { day: new Date(dayIndex * dayMs).toISOString().slice(0, 10), received: 0, answered: 0, inTimeWithout: 0, inTimeWith: 0 };
    state.days.set(dayIndex, day);
  }
  figures.received++;
  day.received++;
  const wasInTime = row.decidedAtMs !== null && isAnsweredInTime(defaultRollupPolicy, Math.max(0, row.decidedAtMs - row.receivedAtMs));
  if (wasInTime) {
    figures.inTimeWithout++;
    day.inTimeWithout++;
  }
  const rule = findFirstMatch(state.rules, row);
  const isAnswered = rule !== null && isRuleAllowed(row);
  if (rule && !isAnswered) figures.ineligible++;
  if (isAnswered || wasInTime) {
    figures.inTimeWith++;
    day.inTimeWith++;
  }
  if (!rule || !isAnswered) return;
  const refundFen = refundKinds.includes(row.kind) ? row.requestedAmountFen : 0;
  figures.answered++;
  figures.refundFen += refundFen;
  if (row.status === "rejected") figures.rejectedByAgents++;
  day.answered++;
  const perRule = state.perRule.get(rule.id)!;
  perRule.answered++;
  perRule.refundFen += refundFen;
  // Rows arrive oldest first: keep the latest matches (a copy: the caller may refill the row it passed)
  if (state.matches.length === sampleLimit) state.matches.shift();
  state.matches.push({ row: { ...row }, rule });
}

function toSample({ row, rule }: { row: BacktestRow; rule: AutoRule }): BacktestSample {
  return {
    requestId: row.requestId,
    receivedAt: new Date(row.receivedAtMs).toISOString(),
    platform: row.platform,
    kind: row.kind,
    amountFen: row.requestedAmountFen,
    ruleId: rule.id,
    ruleName: rule.name,
    actualStatus: row.status,
    title: null,
  };
}

export function getBacktestResult(state: BacktestState): BacktestResult {
  const { inTimeWithout, inTimeWith, ...figures } = state.figures;
  const rate = (inTime: number) => (figures.received === 0 ? null : inTime / figures.received);
  // Every day of the window, even those with nothing received, so the chart's axis is the window
  const days: BacktestDay[] = [];
  for (let index = getShanghaiDayIndex(state.windowStartMs); index <= getShanghaiDayIndex(state.windowEndMs - 1); index++) {
    days.push(state.days.get(index) ?? { day: new Date(index * dayMs).toISOString().slice(0, 10), received: 0, answered: 0, inTimeWithout: 0, inTimeWith: 0 });
  }
  return {
    ...figures,
    rateWithout: rate(inTimeWithout),
    rateWith: rate(inTimeWith),
    days,
    perRule: state.rules
      .filter((rule) => rule.enabled)
      .map((rule) => ({ ruleId: rule.id, ruleName: rule.name, ...state.perRule.get(rule.id)! })),
    samples: state.matches.map(toSample).reverse(),
  };
}

/** Keeps, per buyer, the receipt times of the last 90 days; rows must come oldest first. */
export function createBuyerHistoryCounter(windowMs = 90 * dayMs) {
  // Times before `start` have left the window; dropped in bulk rather than shifting the array on every row
  const historyByBuyer = new Map<string, { times: number[]; start: number }>();
  return {
    /** The buyer's requests in [t − 90 days, t), then records this one. */
    countThenAdd(buyerId: string, receivedAtMs: number): number {
      let history = historyByBuyer.get(buyerId);
      if (!history) {
        history = { times: [], start: 0 };
        historyByBuyer.set(buyerId, history);
      }
      const { times } = history;
      while (history.start < times.length && times[history.start] < receivedAtMs - windowMs) history.start++;
      if (history.start > 64 && history.start * 2 > times.length) {
        times.splice(0, history.start);
        history.start = 0;
      }
      let end = times.length;
      while (end > history.start && times[end - 1] >= receivedAtMs) end--;
      times.push(receivedAtMs);
      return end - history.start;
    },
  };
}
