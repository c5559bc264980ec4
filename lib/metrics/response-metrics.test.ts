import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { platforms, requestKinds, requestStatuses } from "@/lib/domain";
import {
  addCardInto,
  compareWithPrevious,
  createEmptyRollup,
  defaultRollupPolicy,
  getPercentileFromHistogram,
  getPreviousRange,
  getRangeFigures,
  getResponseMs,
  getResponseRate,
  getRollupKey,
  isAnsweredInTime,
  responseHistogramUpperEdgesMs,
  ruleAgentId,
  type CardFacts,
  type RollupCounters,
  type RollupPolicy,
} from "@/lib/metrics/response-metrics";

// Shanghai wall-clock time on 2026-11-23 (a Monday) as a UTC instant
function atShanghai(clock: string): Date {
  return new Date(`2026-11-23T${clock}+08:00`);
}

function makeCard(overrides: Partial<CardFacts> & Pick<CardFacts, "receivedAt">): CardFacts {
  return {
    shopId: "shop-1",
    // Douyin scores 08:00–23:00; Taobao until midnight (tested below)
    platform: "douyin",
    kind: "refund_only",
    answeredAt: null,
    answeredBy: null,
    status: "pending",
    hasRejectReason: false,
    hasRejectEvidence: false,
    hasIntervention: false,
    refundFen: 0,
    returnFreightFen: 0,
    ...overrides,
  };
}

function answeredAfter(receivedAt: Date, responseMs: number): Date {
  return new Date(receivedAt.getTime() + responseMs);
}

function buildRollup(cards: readonly CardFacts[], policy: RollupPolicy = defaultRollupPolicy): RollupCounters {
  const rollup = createEmptyRollup();
  for (const card of cards) addCardInto(rollup, card, policy);
  return rollup;
}

function getHistogramWith(responseMsList: readonly number[]): number[] {
  return buildRollup(
    responseMsList.map((responseMs) => {
      const receivedAt = atShanghai("12:00:00.000");
      return makeCard({ receivedAt, answeredAt: answeredAfter(receivedAt, responseMs), answeredBy: "agent-1" });
    }),
  ).responseHistogram;
}

function getExactPercentile(responseMsList: readonly number[], percentile: number): number {
  const sorted = [...responseMsList].sort((left, right) => left - right);
  return sorted[Math.ceil((percentile / 100) * sorted.length) - 1];
}

// A small day worked out by hand; comments give each card's part in the totals
const card1At = atShanghai("07:59:59.999"); // outside scoring hours
const card2At = atShanghai("08:00:00.000"); // first scored instant
const card3At = atShanghai("10:59:00.000"); // answered in the next hour
const card4At = atShanghai("12:00:00.000");
const card5At = atShanghai("23:00:00.000"); // scoring hours just ended
const handDay: CardFacts[] = [
  makeCard({ receivedAt: card1At, answeredAt: answeredAfter(card1At, 60_000), answeredBy: "agent-1", status: "approved", refundFen: 5_000 }),
  makeCard({
    receivedAt: card2At,
    answeredAt: answeredAfter(card2At, 180_000),
    answeredBy: "agent-1",
    status: "rejected",
    hasRejectReason: true,
    hasRejectEvidence: true,
  }),
  makeCard({
    receivedAt: card3At,
    answeredAt: answeredAfter(card3At, 180_001),
    answeredBy: "agent-2",
    status: "rejected",
    hasRejectReason: true,
    hasIntervention: true,
  }),
  makeCard({
    receivedAt: card4At,
    answeredAt: answeredAfter(card4At, 2_000),
    answeredBy: ruleAgentId,
    status: "approved",
    refundFen: 3_000,
    returnFreightFen: 1_000,
  }),
  makeCard({ receivedAt: card5At }),
];

describe("the 3-minute rule", () => {
  it.each([
    ["answered at once", 0, true],
    ["exactly 3:00", 180_000, true],
    ["1 ms past 3:00", 180_001, false],
  ])("%s (%i ms) is in time: %s", (_label, responseMs, expected) => {
    expect(isAnsweredInTime(defaultRollupPolicy, responseMs)).toBe(expected);
  });

  it("takes the window from the policy", () => {
    expect(isAnsweredInTime({ replyWindowMs: 120_000 }, 120_000)).toBe(true);
    expect(isAnsweredInTime({ replyWindowMs: 120_000 }, 120_001)).toBe(false);
  });

  it("never counts an unanswered card as in time", () => {
    expect(isAnsweredInTime(defaultRollupPolicy, null)).toBe(false);
  });

  it.each([
    ["unanswered", null, null],
    ["answered 90 s later", answeredAfter(card4At, 90_000), 90_000],
    ["answer stamped 5 ms before receipt (clock skew)", answeredAfter(card4At, -5), 0],
  ])("response time when %s", (_label, answeredAt, responseMs) => {
    expect(getResponseMs({ receivedAt: card4At, answeredAt })).toBe(responseMs);
  });
});

describe("addCardInto on a hand-computed day", () => {
  const rollup = buildRollup(handDay);

  it("counts every figure", () => {
    const { responseHistogram, ...scalars } = rollup;
    expect(scalars).toEqual({
      received: 5,
      receivedInScoringHours: 3, // cards 2, 3, 4
      answered: 4,
      answeredWithin3Min: 3, // cards 1, 2, 4
      answeredWithin3MinInScoringHours: 2, // cards 2, 4
      approved: 2,
      rejected: 2,
      rejectedWithoutReasonOrEvidence: 1, // card 3 had no evidence
      autoAnswered: 1,
      intervention: 1,
      refundFen: 8_000,
      returnFreightFen: 1_000,
      responseMsTotal: 60_000 + 180_000 + 180_001 + 2_000,
    });
    // 2 s → [0, 10 s]; 60 s → (50, 60]; 180 s → (170, 180]; 180.001 s → (180, 216]
    expect(responseHistogram.flatMap((count, index) => (count > 0 ? [[index, count]] : []))).toEqual([
      [0, 1],
      [5, 1],
      [17, 1],
      [18, 1],
    ]);
  });

  it("gives the figures of the day", () => {
    expect(getRangeFigures(rollup)).toEqual({
      received: 5,
      responseRate: 3 / 5,
      scoringHoursResponseRate: 2 / 3,
      meanResponseMs: 422_001 / 4,
      p50ResponseMs: 60_000, // rank 2 of 4 = 60 s, an exact bucket edge
      p90ResponseMs: 216_000, // rank 4 = 180.001 s, reported as its bucket's upper edge
      p99ResponseMs: 216_000,
      autoAnsweredShare: 1 / 4,
      approved: 2,
      rejected: 2,
      rejectedWithoutReasonOrEvidence: 1,
      intervention: 1,
      refundFen: 8_000,
      returnFreightFen: 1_000,
    });
  });

  it("files a card answered in the next hour under the hour it arrived, with its answerer", () => {
    expect(getRollupKey(handDay[2])).toEqual({
      shopId: "shop-1",
      agentId: "agent-2",
      platform: "douyin",
      kind: "refund_only",
      hourStart: new Date("2026-11-23T02:00:00.000Z"), // 10:00 Shanghai
    });
    expect(getRollupKey(handDay[4]).agentId).toBeNull();
    expect(getRollupKey(handDay[3]).agentId).toBe(ruleAgentId);
  });

  it("files a card by its Shanghai hour across the Shanghai midnight", () => {
    const receivedAt = new Date("2026-11-22T16:30:00.000Z"); // 2026-11-23 00:30 Shanghai
    expect(getRollupKey(makeCard({ receivedAt })).hourStart.toISOString()).toBe("2026-11-22T16:00:00.000Z");
  });

  it("scores with the policy's window and reply time", () => {
    const allDay = { start: "00:00", end: "24:00" };
    const policy = { replyWindowMs: 60_000, scoringWindows: { taobao: allDay, tmall: allDay, douyin: allDay, wechat: allDay } };
    const custom = buildRollup(handDay, policy);
    expect(custom.receivedInScoringHours).toBe(5);
    expect(custom.answeredWithin3Min).toBe(2); // cards 1 (60 s) and 4 (2 s)
    expect(getResponseRate(custom, "scoring_hours")).toBe(2 / 5);
  });

  it.each([
    ["taobao", 1],
    ["tmall", 1],
    ["douyin", 0],
    ["wechat", 0],
  ] as const)("scores a %s card received at 23:00 by its platform's hours: %i", (platform, scored) => {
    expect(buildRollup([makeCard({ receivedAt: card5At, platform })]).receivedInScoringHours).toBe(scored);
  });

  it("rejects money that is not whole fen", () => {
    expect(() => buildRollup([makeCard({ receivedAt: card1At, refundFen: 12.5 })])).toThrow(RangeError);
  });
});

describe("getResponseRate", () => {
  it("is null with nothing received, all day or in scoring hours", () => {
    expect(getResponseRate(createEmptyRollup())).toBeNull();
    const nightOnly = buildRollup([handDay[4]]);
    expect(getResponseRate(nightOnly, "all_day")).toBe(0);
    expect(getResponseRate(nightOnly, "scoring_hours")).toBeNull();
  });
});

describe("response histogram", () => {
  const edgesMs = responseHistogramUpperEdgesMs;

  it("has 10 s buckets up to 3 min, then log-spaced edges up to 24 h", () => {
    expect(edgesMs.slice(0, 18)).toEqual(Array.from({ length: 18 }, (_, index) => (index + 1) * 10_000));
    expect(edgesMs.at(-1)).toBe(86_400_000);
    expect(edgesMs.every((edgeMs, index) => index === 0 || edgeMs > edgesMs[index - 1])).toBe(true);
    const ratios = edgesMs.slice(18).map((edgeMs, index) => edgeMs / edgesMs[17 + index]);
    expect(Math.max(...ratios)).toBeLessThan(1.21);
    expect(edgesMs.length).toBe(52); // stored rows depend on the count: changing it needs a migration
  });

  it.each([
    // sample, percentile, exact, estimate
    [[5_000, 12_000, 30_000, 45_000, 200_000], 50, 30_000, 30_000],
    [[5_000, 12_000, 30_000, 45_000, 200_000], 60, 30_000, 30_000],
    [[5_000, 12_000, 30_000, 45_000, 200_000], 80, 45_000, 50_000],
    [[5_000, 12_000, 30_000, 45_000, 200_000], 90, 200_000, 216_000],
    [[5_000, 12_000, 30_000, 45_000, 200_000], 100, 200_000, 216_000],
    [[0], 50, 0, 10_000],
    [[90_000_000, 1_000], 99, 90_000_000, 86_400_000], // over 24 h reports 24 h
  ])("%j p%i: exact %i, estimated %i", (sample, percentile, exact, estimate) => {
    expect(getExactPercentile(sample, percentile)).toBe(exact);
    expect(getPercentileFromHistogram(getHistogramWith(sample), percentile)).toBe(estimate);
  });

  it("is null when empty and rejects percentiles outside (0, 100]", () => {
    expect(getPercentileFromHistogram(createEmptyRollup().responseHistogram, 50)).toBeNull();
    expect(() => getPercentileFromHistogram([1], 0)).toThrow(RangeError);
    expect(() => getPercentileFromHistogram([1], 101)).toThrow(RangeError);
  });

  it("stays within the documented bound of the exact percentile", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 86_400_000 }), { minLength: 1, maxLength: 60 }),
        fc.constantFrom(50, 90, 99),
        (sample, percentile) => {
          const exact = getExactPercentile(sample, percentile);
          const estimate = getPercentileFromHistogram(getHistogramWith(sample), percentile) ?? NaN;
          expect(estimate).toBeGreaterThanOrEqual(exact);
          if (exact <= 180_000) expect(estimate - exact).toBeLessThanOrEqual(10_000);
          else expect(estimate).toBeLessThan(1.21 * exact);
        },
      ),
    );
  });
});

describe("compareWithPrevious", () => {
  it("gives current − previous, null where either side has no value", () => {
    const current = buildRollup(handDay);
    const previous = buildRollup([handDay[0], handDay[4]]); // 2 received, 1 in time, nothing in scoring hours
    const change = compareWithPrevious(current, previous);
    expect(change.received).toEqual({ current: 5, previous: 2, delta: 3 });
    expect(change.responseRate.delta).toBeCloseTo(3 / 5 - 1 / 2, 12);
    expect(change.scoringHoursResponseRate).toEqual({ current: 2 / 3, previous: null, delta: null });
    expect(change.refundFen).toEqual({ current: 8_000, previous: 5_000, delta: 3_000 });
    expect(change.p50ResponseMs).toEqual({ current: 60_000, previous: 60_000, delta: 0 });
  });
});

describe("getPreviousRange", () => {
  it.each([
    ["today so far → yesterday until the same time", "2026-11-22T16:00:00.000Z", "2026-11-23T02:30:00.000Z", "2026-11-21T16:00:00.000Z", "2026-11-22T02:30:00.000Z"],
    ["one whole day", "2026-11-22T16:00:00.000Z", "2026-11-23T16:00:00.000Z", "2026-11-21T16:00:00.000Z", "2026-11-22T16:00:00.000Z"],
    ["7 whole days", "2026-11-16T16:00:00.000Z", "2026-11-23T16:00:00.000Z", "2026-11-09T16:00:00.000Z", "2026-11-16T16:00:00.000Z"],
    ["6 days and today so far → the same hours a week earlier", "2026-11-16T16:00:00.000Z", "2026-11-23T02:00:00.000Z", "2026-11-09T16:00:00.000Z", "2026-11-16T02:00:00.000Z"],
  ])("%s", (_label, start, end, previousStart, previousEnd) => {
    const previous = getPreviousRange({ start: new Date(start), end: new Date(end) });
    expect([previous.start.toISOString(), previous.end.toISOString()]).toEqual([previousStart, previousEnd]);
  });

  it("rejects an empty or reversed range", () => {
    const instant = new Date("2026-11-23T00:00:00.000Z");
    expect(() => getPreviousRange({ start: instant, end: instant })).toThrow(RangeError);
  });
});

const cardArbitrary: fc.Arbitrary<CardFacts> = fc
  .record({
    shopId: fc.constantFrom("shop-1", "shop-2"),
    platform: fc.constantFrom(...platforms),
    kind: fc.constantFrom(...requestKinds),
    receivedAt: fc.date({ min: new Date("2026-01-01T00:00:00.000Z"), max: new Date("2027-01-01T00:00:00.000Z"), noInvalidDate: true }),
    responseMs: fc.option(fc.integer({ min: 0, max: 2 * 86_400_000 })),
    answeredBy: fc.constantFrom("agent-1", "agent-2", ruleAgentId),
    status: fc.constantFrom(...requestStatuses),
    hasRejectReason: fc.boolean(),
    hasRejectEvidence: fc.boolean(),
    hasIntervention: fc.boolean(),
    refundFen: fc.nat({ max: 10_000_000 }),
    returnFreightFen: fc.nat({ max: 5_000 }),
  })
  .map(({ responseMs, answeredBy, ...card }) => ({
    ...card,
    answeredAt: responseMs === null ? null : answeredAfter(card.receivedAt, responseMs),
    answeredBy: responseMs === null ? null : answeredBy,
  }));

describe("rollups are sums", () => {
  it("adding the same cards in any order gives the same rollup", () => {
    fc.assert(
      fc.property(
        fc.array(cardArbitrary, { maxLength: 40 }).chain((cards) => fc.tuple(fc.constant(cards), fc.shuffledSubarray(cards, { minLength: cards.length }))),
        ([cards, shuffled]) => {
          expect(buildRollup(shuffled)).toEqual(buildRollup(cards));
        },
      ),
    );
  });
});
