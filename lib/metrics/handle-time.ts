// Handle time: the time an agent spends on one card, which the staffing forecast needs (docs/metrics.md).
//
// The desk stores when a card arrived and when a person decided it, not when they started on it. An
// agent works one card after another, so their work on a card began when they finished their previous
// card, or when the card arrived if they were free before that:
//
//   handle = decidedAt − max(receivedAt, the same agent's previous decidedAt)
//
// Gaps longer than `awayGapMs` are an agent away from the desk (a break, a meeting), not work on one
// card, so they are left out of the average rather than counted as handling. A response time (from
// arrival to decision) is no handle time: it also holds the time the card waited for a free agent.

/** Longer than this between "free" and a decision is an agent away, not handling (10 minutes). */
export const awayGapMs = 10 * 60_000;

/** One decision a person made; `isCounted` is false for decisions in shops outside the report (they still end the agent's previous card). */
export type PersonDecision = { agentId: string; receivedAt: Date; decidedAt: Date; isCounted: boolean };

export type HandledCard = { agentId: string; handleMs: number };

export type HandleMeasurement = {
  /** Cards whose handle time was measured. */
  cards: HandledCard[];
  /** Counted decisions left out because the gap before them was longer than `awayGapMs`. */
  awayLeftOut: number;
};

/**
 * The handle time of every counted decision, per the rule above. Decisions are taken in decision order per
 * agent (ties keep their input order: a bulk approval of many cards at one instant costs ~0 s per card).
 */
export function measureHandleTimes(decisions: readonly PersonDecision[], maxGapMs: number = awayGapMs): HandleMeasurement {
  if (!(maxGapMs > 0)) throw new RangeError(`The away gap must be > 0 ms, got ${maxGapMs}`);
  const byAgent = new Map<string, PersonDecision[]>();
  for (const decision of decisions) {
    const list = byAgent.get(decision.agentId);
    if (list) list.push(decision);
    else byAgent.set(decision.agentId, [decision]);
  }
  const cards: HandledCard[] = [];
  let awayLeftOut = 0;
  for (const [agentId, list] of byAgent) {
    const ordered = list.map((decision, index) => ({ decision, index })).sort((left, right) => left.decision.decidedAt.getTime() - right.decision.decidedAt.getTime() || left.index - right.index);
    let previousDecidedMs = -Infinity;
    for (const { decision } of ordered) {
      const decidedMs = decision.decidedAt.getTime();
      const startedMs = Math.max(decision.receivedAt.getTime(), previousDecidedMs);
      previousDecidedMs = decidedMs;
      if (!decision.isCounted) continue;
      const handleMs = Math.max(0, decidedMs - startedMs);
      if (handleMs > maxGapMs) awayLeftOut += 1;
      else cards.push({ agentId, handleMs });
    }
  }
  return { cards, awayLeftOut };
}

/** What the forecast needs of handle times: their mean, and how they spread (whole seconds → cards). */
export type HandleProfile = {
  meanSeconds: number;
  /** Cards per whole second of handle time, ascending; the spread the forecast uses for "answered within 3 minutes". */
  distribution: readonly { seconds: number; cards: number }[];
  cards: number;
};

/** Null without any measured card. Each time is rounded up to a whole second, so the spread never looks faster than it was. */
export function toHandleProfile(handleMs: readonly number[]): HandleProfile | null {
  if (handleMs.length === 0) return null;
  const counts = new Map<number, number>();
  let totalMs = 0;
  for (const ms of handleMs) {
    if (!(ms >= 0)) throw new RangeError(`A handle time must be ≥ 0 ms, got ${ms}`);
    totalMs += ms;
    const seconds = Math.ceil(ms / 1000);
    counts.set(seconds, (counts.get(seconds) ?? 0) + 1);
  }
  return {
    // A mean of 0 would make the traffic 0 Erlangs: a bulk-only history still takes the agents a moment
    meanSeconds: Math.max(1, totalMs / handleMs.length / 1000),
    distribution: [...counts.entries()].sort((left, right) => left[0] - right[0]).map(([seconds, cards]) => ({ seconds, cards })),
    cards: handleMs.length,
  };
}

/** The middle handle time in seconds (lower middle for an even count), or null. */
export function getMedianSeconds(handleMs: readonly number[]): number | null {
  if (handleMs.length === 0) return null;
  const sorted = [...handleMs].sort((left, right) => left - right);
  return sorted[Math.floor((sorted.length - 1) / 2)] / 1000;
}
