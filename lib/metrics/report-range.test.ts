import { describe, expect, it } from "vitest";
import { getCustomRangeProblem, getPeriodDays, metricsQuery, resolveReportRange } from "@/lib/metrics/report-range";

// Monday 2026-11-23 14:30 in Shanghai
const now = new Date("2026-11-23T06:30:00.000Z");

describe("resolveReportRange", () => {
  it.each([
    ["today", "2026-11-22T16:00:00.000Z", "2026-11-23", "2026-11-21T16:00:00.000Z", "2026-11-22T06:30:00.000Z"],
    ["7", "2026-11-16T16:00:00.000Z", "2026-11-17", "2026-11-09T16:00:00.000Z", "2026-11-16T06:30:00.000Z"],
    ["30", "2026-10-24T16:00:00.000Z", "2026-10-25", "2026-09-24T16:00:00.000Z", "2026-10-24T06:30:00.000Z"],
  ] as const)("%s days end now, start on a Shanghai midnight", (range, start, firstDay, previousStart, previousEnd) => {
    const resolved = resolveReportRange({ range }, now);
    expect(resolved.start.toISOString()).toBe(start);
    expect(resolved.end).toEqual(now);
    expect([resolved.firstDay, resolved.lastDay]).toEqual([firstDay, "2026-11-23"]);
    expect([resolved.previous.start.toISOString(), resolved.previous.end.toISOString()]).toEqual([previousStart, previousEnd]);
  });

  it("a custom range covers whole days and stops at now", () => {
    const past = resolveReportRange({ range: "custom", from: "2026-11-01", to: "2026-11-10" }, now);
    expect([past.start.toISOString(), past.end.toISOString()]).toEqual(["2026-10-31T16:00:00.000Z", "2026-11-10T16:00:00.000Z"]);
    expect(past.previous.start.toISOString()).toBe("2026-10-21T16:00:00.000Z");
    const open = resolveReportRange({ range: "custom", from: "2026-11-20", to: "2026-12-31" }, now);
    expect(open.end).toEqual(now);
  });
});

describe("metricsQuery", () => {
  it("defaults to 30 days and checks custom ranges", () => {
    expect(metricsQuery.parse({}).range).toBe("30");
    expect(metricsQuery.safeParse({ range: "custom" }).success).toBe(false);
    expect(metricsQuery.safeParse({ range: "custom", from: "2026-11-10", to: "2026-11-01" }).success).toBe(false);
    expect(metricsQuery.safeParse({ range: "custom", from: "2026-02-30", to: "2026-03-01" }).success).toBe(false);
    expect(metricsQuery.safeParse({ range: "custom", from: "2024-01-01", to: "2026-11-01" }).success).toBe(false);
    expect(metricsQuery.safeParse({ range: "custom", from: "2026-11-01", to: "2026-11-01" }).success).toBe(true);
    expect(metricsQuery.safeParse({ range: "14" }).success).toBe(false);
  });
});

describe("getCustomRangeProblem: a custom range the page refuses, and why", () => {
  it.each([
    [undefined, "2026-11-01", undefined, "incomplete"],
    ["2026-11-01", undefined, undefined, "incomplete"],
    ["2026-02-30", "2026-03-01", undefined, "no_such_day"],
    ["2026-11-10", "2026-11-01", undefined, "to_before_from"],
    ["2026-11-02", "2026-11-01", "2026-11-23", "to_before_from"],
    ["2024-01-01", "2026-11-01", undefined, "too_long"],
    ["2026-11-24", "2026-11-30", "2026-11-23", "in_future"],
    ["2026-11-01", "2026-11-01", "2026-11-23", null],
    ["2026-11-23", "2026-12-31", "2026-11-23", null],
    ["2026-11-24", "2026-11-30", undefined, null],
  ] as const)("from %s to %s (today %s) → %s", (from, to, today, problem) => {
    expect(getCustomRangeProblem(from, to, today)).toBe(problem);
  });

  it("is what the query schema refuses with, so the page and the API agree", () => {
    const parsed = metricsQuery.safeParse({ range: "custom", from: "2026-11-10", to: "2026-11-01" });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({ path: ["to"], params: { problem: "to_before_from" } });
  });
});

describe("getPeriodDays: how the page names a period", () => {
  it.each([
    ["today so far", "today", ["2026-11-23", "2026-11-23", "14:30"], ["2026-11-22", "2026-11-22", "14:30"]],
    ["30 days so far", "30", ["2026-10-25", "2026-11-23", "14:30"], ["2026-09-25", "2026-10-24", "14:30"]],
  ] as const)("%s, and the period before it", (_label, range, current, previous) => {
    const resolved = resolveReportRange({ range }, now);
    const toList = (days: ReturnType<typeof getPeriodDays>) => [days.firstDay, days.lastDay, days.endClock];
    expect(toList(getPeriodDays(resolved))).toEqual(current);
    expect(toList(getPeriodDays(resolved.previous))).toEqual(previous);
  });

  it("whole days end without a clock", () => {
    const resolved = resolveReportRange({ range: "custom", from: "2026-11-01", to: "2026-11-10" }, now);
    expect(getPeriodDays(resolved.previous)).toEqual({ firstDay: "2026-10-22", lastDay: "2026-10-31", endClock: null });
  });
});
