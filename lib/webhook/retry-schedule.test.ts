import { describe, expect, it } from "vitest";
import {
  defaultRetrySchedule,
  getBackoffWindowMs,
  getNextAttemptDelayMs,
  isDeadLetter,
} from "@/lib/webhook/retry-schedule";

const schedule = { baseMs: 1_000, capMs: 60_000 };
const lowest = () => 0;
const highest = () => 1 - Number.EPSILON / 2;

describe("getNextAttemptDelayMs", () => {
  it.each([
    // attempt, window: 1 s doubling, capped at 60 s from attempt 7
    [1, 1_000],
    [2, 2_000],
    [3, 4_000],
    [4, 8_000],
    [5, 16_000],
    [6, 32_000],
    [7, 60_000],
    [8, 60_000],
    [50, 60_000],
    [2_000, 60_000],
  ])("attempt %i draws from [0, %i) ms", (attempt, windowMs) => {
    expect(getBackoffWindowMs(attempt, schedule)).toBe(windowMs);
    expect(getNextAttemptDelayMs(attempt, lowest, schedule)).toBe(0);
    expect(getNextAttemptDelayMs(attempt, highest, schedule)).toBe(windowMs - 1);
    expect(getNextAttemptDelayMs(attempt, () => 0.5, schedule)).toBe(windowMs / 2);
  });

  it("stays below the window even if random() breaks its contract and returns 1", () => {
    expect(getNextAttemptDelayMs(3, () => 1, schedule)).toBe(3_999);
  });

  it("returns whole milliseconds", () => {
    expect(getNextAttemptDelayMs(1, () => 0.123456, { baseMs: 333, capMs: 60_000 })).toBe(41);
  });

  it("never goes below 0 with a zero base", () => {
    expect(getNextAttemptDelayMs(1, highest, { baseMs: 0, capMs: 60_000 })).toBe(0);
  });

  it.each([[0], [-1], [1.5], [Number.NaN]])("refuses attempt %s", (attempt) => {
    expect(() => getNextAttemptDelayMs(attempt, lowest, schedule)).toThrow(RangeError);
  });
});

describe("defaultRetrySchedule", () => {
  it("waits at most 2222 s in total before the last attempt", () => {
    let totalMs = 0;
    for (let attempt = 1; attempt < defaultRetrySchedule.maxAttempts; attempt++) {
      totalMs += getNextAttemptDelayMs(attempt, highest, defaultRetrySchedule) + 1;
    }
    expect(totalMs).toBe(2_222_000);
  });
});

describe("isDeadLetter", () => {
  it.each([
    [0, 12, false],
    [11, 12, false],
    [12, 12, true],
    [13, 12, true],
    [1, 1, true],
  ])("%i failed attempts of %i → %s", (attempts, maxAttempts, expected) => {
    expect(isDeadLetter(attempts, maxAttempts)).toBe(expected);
  });
});
