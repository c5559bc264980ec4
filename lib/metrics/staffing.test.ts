import { describe, expect, it } from "vitest";
import { forecastArrivals, getAgentsNeeded, getErlangC, getServiceLevel } from "@/lib/metrics/staffing";

// Erlang C straight from its textbook definition with factorials: independent of the recurrence, fine for small N
function getErlangCByDefinition(agents: number, trafficErlangs: number): number {
  let factorial = 1;
  let sumBelowN = 0;
  for (let k = 0; k < agents; k += 1) {
    if (k > 0) factorial *= k;
    sumBelowN += trafficErlangs ** k / factorial;
  }
  factorial *= agents;
  const waitingTerm = ((trafficErlangs ** agents / factorial) * agents) / (agents - trafficErlangs);
  return waitingTerm / (sumBelowN + waitingTerm);
}

describe("getErlangC", () => {
  // The standard call-centre example: 100 calls per 30 min × 180 s = 10 Erlangs; published P(wait) to 4 places
  it.each([
    [11, 0.6821],
    [12, 0.4494],
    [13, 0.2853],
    [14, 0.1741],
  ])("A = 10 Erlangs, N = %i → %f", (agents, published) => {
    expect(getErlangC(agents, 10)).toBeCloseTo(published, 4);
    expect(getErlangC(agents, 10)).toBeCloseTo(getErlangCByDefinition(agents, 10), 12);
  });

  it("A = 6 Erlangs, N = 10 → about 0.10 (textbook M/M/m exercise: 120 customers/h, 3 min each)", () => {
    expect(getErlangC(10, 6)).toBeCloseTo(0.1013, 4);
  });

  it.each([
    [2, 1.5],
    [3, 2],
    [7, 0.3],
    [25, 19.7],
  ])("N = %i, A = %f agrees with the definition", (agents, trafficErlangs) => {
    expect(getErlangC(agents, trafficErlangs)).toBeCloseTo(getErlangCByDefinition(agents, trafficErlangs), 12);
  });

  it.each([
    [10, 10],
    [9, 10],
    [0, 0.5],
  ])("N = %i ≤ A = %f: every card waits", (agents, trafficErlangs) => {
    expect(getErlangC(agents, trafficErlangs)).toBe(1);
  });

  it("no traffic, no wait", () => {
    expect(getErlangC(1, 0)).toBe(0);
  });

  it("stays finite where factorials overflow (N = 1000)", () => {
    expect(getErlangCByDefinition(1000, 950)).toBeNaN();
    const waitProbability = getErlangC(1000, 950);
    expect(waitProbability).toBeGreaterThan(0);
    expect(waitProbability).toBeLessThan(1);
    expect(getErlangC(1001, 950)).toBeLessThan(waitProbability);
  });

  it.each([
    [1.5, 1],
    [-1, 1],
    [2, -1],
  ])("rejects N = %f, A = %f", (agents, trafficErlangs) => {
    expect(() => getErlangC(agents, trafficErlangs)).toThrow(RangeError);
  });
});

describe("getServiceLevel", () => {
  // Same example, answered within 20 s: published 39.0 %, 64.0 %, 79.6 %, 88.8 %
  it.each([
    [11, 0.3896],
    [12, 0.6402],
    [13, 0.7956],
    [14, 0.8884],
  ])("200/h × 180 s, N = %i → %f within 20 s", (agents, level) => {
    expect(getServiceLevel(agents, 200, 180, 20)).toBeCloseTo(level, 4);
  });

  it("is 1 − C·e^(−(N−A)·t/AHT), checked by hand for N = 2, A = 1, t = AHT", () => {
    // C(2, 1) = (1/2 · 2/1) / (1 + 1 + 1) = 1/3
    expect(getServiceLevel(2, 20, 180, 180)).toBeCloseTo(1 - Math.exp(-1) / 3, 12);
  });

  it.each([
    ["N = A", 10, 200, 180],
    ["N < A", 5, 200, 180],
    ["no agents", 0, 1, 180],
  ])("is 0 when the queue is unstable (%s)", (_label, agents, arrivalsPerHour, meanHandleSeconds) => {
    expect(getServiceLevel(agents, arrivalsPerHour, meanHandleSeconds, 180)).toBe(0);
  });

  it("is 1 with no arrivals, even with no agents", () => {
    expect(getServiceLevel(0, 0, 180, 180)).toBe(1);
  });

  it("rejects a handle time of 0 or a negative target", () => {
    expect(() => getServiceLevel(3, 10, 0, 180)).toThrow(RangeError);
    expect(() => getServiceLevel(3, 10, 120, -1)).toThrow(RangeError);
  });
});

describe("getAgentsNeeded", () => {
  it.each([
    ["80 % within 20 s at 10 Erlangs (13 reach only 79.6 %)", 200, 180, 20, 0.8, 14],
    ["88 % within 20 s at 10 Erlangs", 200, 180, 20, 0.88, 14],
    ["89 % within 20 s at 10 Erlangs", 200, 180, 20, 0.89, 15],
    ["one card an hour still needs one agent", 1, 120, 180, 0.95, 1],
    ["no arrivals need nobody", 0, 120, 180, 0.95, 0],
  ])("%s → %i", (_label, arrivalsPerHour, meanHandleSeconds, targetSeconds, targetLevel, agents) => {
    expect(getAgentsNeeded(arrivalsPerHour, meanHandleSeconds, targetSeconds, targetLevel)).toBe(agents);
  });

  it("is the fewest agents that reach the level", () => {
    const agents = getAgentsNeeded(90, 150, 180, 0.95);
    expect(getServiceLevel(agents, 90, 150, 180)).toBeGreaterThanOrEqual(0.95);
    expect(getServiceLevel(agents - 1, 90, 150, 180)).toBeLessThan(0.95);
  });

  it.each([0, 1, 1.2, -0.5])("rejects target level %f", (targetLevel) => {
    expect(() => getAgentsNeeded(100, 120, 180, targetLevel)).toThrow(RangeError);
  });
});

describe("forecastArrivals for Monday 2026-11-23 (Shanghai)", () => {
  const history = [
    // Mondays at 20:00 Shanghai (12:00 UTC), 1 to 4 weeks back: 4 (as 3 + 1), 6, 8, 10
    { hourStart: new Date("2026-11-16T12:00:00.000Z"), count: 3 },
    { hourStart: new Date("2026-11-16T12:00:00.000Z"), count: 1 },
    { hourStart: new Date("2026-11-09T12:30:00.000Z"), count: 6 }, // mid-hour stamp, same hour
    { hourStart: new Date("2026-11-02T12:00:00.000Z"), count: 8 },
    { hourStart: new Date("2026-10-26T12:00:00.000Z"), count: 10 },
    { hourStart: new Date("2026-10-19T12:00:00.000Z"), count: 100 }, // 5 weeks back
    { hourStart: new Date("2026-11-22T12:00:00.000Z"), count: 50 }, // Sunday 20:00: another weekday
    // Monday 02:00 Shanghai is Sunday 18:00 UTC
    { hourStart: new Date("2026-11-15T18:00:00.000Z"), count: 4 },
    // Monday 21:00, one week only
    { hourStart: new Date("2026-11-16T13:00:00.000Z"), count: 2 },
  ];

  it("averages the same weekday and hour of the last 4 weeks", () => {
    const forecast = forecastArrivals(history, "2026-11-23");
    expect(forecast).toHaveLength(24);
    expect(forecast[0].hourStart.toISOString()).toBe("2026-11-22T16:00:00.000Z");
    expect(forecast[23].hourStart.toISOString()).toBe("2026-11-23T15:00:00.000Z");
    expect(forecast.map(({ count }) => count)).toEqual(
      Array.from({ length: 24 }, (_, hour) => ({ 2: 1, 20: 7, 21: 0.5 })[hour] ?? 0),
    );
  });

  it("looks back as many weeks as asked", () => {
    expect(forecastArrivals(history, "2026-11-23", 5)[20].count).toBe((4 + 6 + 8 + 10 + 100) / 5);
    expect(forecastArrivals(history, "2026-11-23", 1)[20].count).toBe(4);
  });

  it("rejects a week count below 1", () => {
    expect(() => forecastArrivals(history, "2026-11-23", 0)).toThrow(RangeError);
  });
});
