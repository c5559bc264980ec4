import { describe, expect, it } from "vitest";
import { awayGapMs, getMedianSeconds, measureHandleTimes, toHandleProfile, type PersonDecision } from "@/lib/metrics/handle-time";

const at = (clock: string) => new Date(`2026-11-23T${clock}+08:00`);
const decision = (agentId: string, received: string, decided: string, isCounted = true): PersonDecision => ({ agentId, receivedAt: at(received), decidedAt: at(decided), isCounted });

describe("measureHandleTimes", () => {
  it.each([
    // [label, decisions, expected handle seconds per counted card in decision order, left out as away]
    ["a free agent starts when the card arrives", [decision("a", "10:00:00", "10:00:40")], [40], 0],
    [
      "a busy agent starts when their previous card is done, not when this one arrived",
      [decision("a", "10:00:00", "10:01:00"), decision("a", "10:00:10", "10:01:30"), decision("a", "10:00:20", "10:02:30")],
      [60, 30, 60],
      0,
    ],
    [
      "agents are measured apart",
      [decision("a", "10:00:00", "10:01:00"), decision("b", "10:00:30", "10:01:10"), decision("a", "10:00:50", "10:01:20")],
      [60, 20, 40],
      0,
    ],
    [
      "a gap over 10 minutes is the agent away, left out; the next card starts from that decision",
      [decision("a", "10:00:00", "10:00:30"), decision("a", "10:05:00", "10:20:00"), decision("a", "10:10:00", "10:20:45")],
      [30, 45],
      1,
    ],
    ["exactly 10 minutes still counts", [decision("a", "10:00:00", "10:10:00")], [600], 0],
    [
      "a bulk approval at one instant costs the first card the gap and the others nothing",
      [decision("a", "09:59:00", "10:00:00"), decision("a", "09:58:00", "10:02:00"), decision("a", "09:58:30", "10:02:00")],
      [60, 120, 0],
      0,
    ],
    [
      "a decision in a shop outside the report is not counted but still ends the agent's previous card",
      [decision("a", "10:00:00", "10:01:00", false), decision("a", "10:00:00", "10:01:50")],
      [50],
      0,
    ],
    [
      "input order does not matter",
      [decision("a", "10:00:10", "10:01:30"), decision("a", "10:00:00", "10:01:00")],
      [60, 30],
      0,
    ],
    ["a decision stamped before its card arrived counts 0 s", [decision("a", "10:00:05", "10:00:00")], [0], 0],
  ])("%s", (_label, decisions, expectedSeconds, expectedAway) => {
    const result = measureHandleTimes(decisions);
    expect(result.cards.map((card) => card.handleMs / 1000)).toEqual(expectedSeconds);
    expect(result.awayLeftOut).toBe(expectedAway);
  });

  it("uses 10 minutes as the away gap unless told otherwise", () => {
    expect(awayGapMs).toBe(600_000);
    expect(measureHandleTimes([decision("a", "10:00:00", "10:03:00")], 120_000)).toEqual({ cards: [], awayLeftOut: 1 });
    expect(() => measureHandleTimes([], 0)).toThrow(RangeError);
  });
});

describe("toHandleProfile", () => {
  it("keeps the exact mean and spreads the cards over whole seconds, rounded up", () => {
    expect(toHandleProfile([1_000, 1_200, 2_000, 59_500])).toEqual({
      meanSeconds: (1 + 1.2 + 2 + 59.5) / 4,
      distribution: [
        { seconds: 1, cards: 1 },
        { seconds: 2, cards: 2 },
        { seconds: 60, cards: 1 },
      ],
      cards: 4,
    });
  });

  it("is null without cards, never has a mean under 1 s, and refuses a negative time", () => {
    expect(toHandleProfile([])).toBeNull();
    expect(toHandleProfile([0, 0, 200])?.meanSeconds).toBe(1);
    expect(() => toHandleProfile([-1])).toThrow(RangeError);
  });
});

describe("getMedianSeconds", () => {
  it.each([
    [[], null],
    [[30_000], 30],
    [[90_000, 10_000, 30_000], 30],
    [[10_000, 20_000, 30_000, 40_000], 20],
  ])("%j → %s", (handleMs, expected) => {
    expect(getMedianSeconds(handleMs)).toBe(expected);
  });
});
