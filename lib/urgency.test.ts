import { describe, expect, it } from "vitest";
import { getDueAtMs } from "@/lib/urgency";

describe("getDueAtMs", () => {
  it.each([
    ["no platform deadline: the reply clock", 1_000, null, 1_000],
    ["platform deadline later: the reply clock", 1_000, 9_000, 1_000],
    ["platform deadline first (moved up by the platform): the platform's", 1_000, 500, 500],
    ["both at once", 1_000, 1_000, 1_000],
  ])("%s", (_label, respondByMs, platformDeadlineMs, expected) => {
    expect(getDueAtMs({ respondByMs, platformDeadlineMs })).toBe(expected);
  });
});
