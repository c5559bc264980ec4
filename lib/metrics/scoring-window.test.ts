import { describe, expect, it } from "vitest";
import { defaultScoringWindow, defaultScoringWindows, isExemptFromScoring, isInScoringHours, platformScoring } from "@/lib/metrics/scoring-window";

// Shanghai wall-clock time on 2026-11-23 as a UTC instant (UTC+8)
function atShanghai(clock: string): Date {
  return new Date(`2026-11-23T${clock}+08:00`);
}

describe("isInScoringHours, default 08:00–23:00", () => {
  it.each([
    ["07:59:59.999", false],
    ["08:00:00.000", true],
    ["12:00:00.000", true],
    ["22:59:59.999", true],
    ["23:00:00.000", false],
    ["23:30:00.000", false],
    ["00:00:00.000", false],
  ])("%s → %s", (clock, expected) => {
    expect(isInScoringHours(defaultScoringWindow, atShanghai(clock))).toBe(expected);
  });

  it("reads the Shanghai clock, not UTC: 00:30 UTC is 08:30 in Shanghai", () => {
    expect(isInScoringHours(defaultScoringWindow, new Date("2026-11-23T00:30:00.000Z"))).toBe(true);
    expect(isInScoringHours(defaultScoringWindow, new Date("2026-11-23T15:30:00.000Z"))).toBe(false);
  });
});

describe("isInScoringHours, other windows", () => {
  it.each([
    [{ start: "08:00", end: "24:00" }, "23:59:59.999", true],
    [{ start: "08:00", end: "24:00" }, "00:00:00.000", false],
    [{ start: "09:00", end: "23:00" }, "08:59:59.999", false],
    [{ start: "09:00", end: "23:00" }, "09:00:00.000", true],
    [{ start: "00:00", end: "24:00" }, "00:00:00.000", true],
    [{ start: "00:00", end: "24:00" }, "23:59:59.999", true],
  ])("%j at %s → %s", (window, clock, expected) => {
    expect(isInScoringHours(window, atShanghai(clock))).toBe(expected);
  });

  it.each([
    { start: "24:00", end: "24:00" },
    { start: "23:00", end: "08:00" },
    { start: "08:00", end: "08:00" },
    { start: "8:00", end: "23:00" },
    { start: "08:60", end: "23:00" },
    { start: "08:00", end: "24:30" },
    { start: "08:00", end: "25:00" },
  ])("rejects %j", (window) => {
    expect(() => isInScoringHours(window, atShanghai("12:00:00.000"))).toThrow(RangeError);
  });
});

describe("each platform's scoring", () => {
  it.each([
    ["taobao", "23:30:00.000", true, 100],
    ["tmall", "23:59:59.999", true, 100],
    ["douyin", "23:30:00.000", false, null],
    ["wechat", "23:30:00.000", false, null],
    ["taobao", "07:59:59.999", false, 100],
  ] as const)("%s at %s is scored: %s; minimum rounds %s", (platform, clock, isScored, minRounds) => {
    expect(isInScoringHours(platformScoring[platform].window, atShanghai(clock))).toBe(isScored);
    expect(defaultScoringWindows[platform]).toEqual(platformScoring[platform].window);
    expect(platformScoring[platform].minRounds).toBe(minRounds);
    expect(platformScoring[platform].lookbackDays).toBe(30);
  });

  it("marks WeChat's window as borrowed: no public source gives one", () => {
    expect(Object.entries(platformScoring).filter(([, scoring]) => scoring.isBorrowed).map(([platform]) => platform)).toEqual(["wechat"]);
  });

  it.each([
    ["taobao", 99, true],
    ["taobao", 100, false],
    ["tmall", 0, true],
    ["douyin", 0, false],
    ["wechat", 3, false],
  ] as const)("a %s shop with %i scored rounds in 30 days is exempt: %s", (platform, rounds, expected) => {
    expect(isExemptFromScoring(platform, rounds)).toBe(expected);
  });
});
