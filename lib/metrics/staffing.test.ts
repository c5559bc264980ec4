import { describe, expect, it } from "vitest";
import { drawExponential, getSimulatedLevel, getSimulatedWaitLevel, simulateDesk, toPersonDecisions } from "@/lib/metrics/desk-simulation";
import { measureHandleTimes, toHandleProfile, type HandleProfile } from "@/lib/metrics/handle-time";
import { floorLevel, forecastArrivals, getAgentsNeeded, getStaffingCsvRows, getErlangC, getReachableLevel, getResponseLevel, getServiceLevel, planStaffing } from "@/lib/metrics/staffing";
import { createRandom, type Random } from "@/lib/random";

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

const exponential = (meanSeconds: number): HandleProfile => ({ meanSeconds, distribution: [], cards: 0 });

describe("getResponseLevel: the share answered within t of arriving (wait + handle)", () => {
  it("is 1 − 4/(3e) for N = 2, A = 1, exponential handle, t = AHT (θ = μ), checked by hand", () => {
    // C(2, 1) = 1/3; handled in time 1 − 1/e; waited-and-handled in time 1 − 2/e
    expect(getResponseLevel(2, 20, exponential(180), 180)).toBeCloseTo(1 - 4 / (3 * Math.E), 12);
  });

  it("equals a numeric convolution of the exponential wait with the exponential handle (θ ≠ μ)", () => {
    const [agents, arrivalsPerHour, meanSeconds, t] = [3, 60, 90, 180];
    const trafficErlangs = (arrivalsPerHour * meanSeconds) / 3600;
    const c = getErlangC(agents, trafficErlangs);
    const theta = (agents - trafficErlangs) / meanSeconds;
    const mu = 1 / meanSeconds;
    // ∫₀ᵗ μe^(−μs)(1 − e^(−θ(t−s))) ds by the midpoint rule
    const steps = 200_000;
    let integral = 0;
    for (let step = 0; step < steps; step += 1) {
      const s = ((step + 0.5) * t) / steps;
      integral += mu * Math.exp(-mu * s) * (1 - Math.exp(-theta * (t - s))) * (t / steps);
    }
    const expected = (1 - c) * (1 - Math.exp(-mu * t)) + c * integral;
    expect(getResponseLevel(agents, arrivalsPerHour, exponential(meanSeconds), t)).toBeCloseTo(expected, 8);
  });

  it("with a fixed 60 s handle: (1 − C) + C·(1 − e^(−θ·120))", () => {
    const fixed: HandleProfile = { meanSeconds: 60, distribution: [{ seconds: 60, cards: 10 }], cards: 10 };
    const c = getErlangC(2, 1);
    expect(getResponseLevel(2, 60, fixed, 180)).toBeCloseTo(1 - c + c * (1 - Math.exp(-(1 / 60) * 120)), 12);
    // A handle longer than the target is never in time, however many agents there are
    expect(getResponseLevel(50, 60, { meanSeconds: 200, distribution: [{ seconds: 200, cards: 1 }], cards: 1 }, 180)).toBe(0);
  });

  it("a measured spread drawn from an exponential gives the exponential's level", () => {
    const random = createRandom(7);
    const profile = toHandleProfile(Array.from({ length: 50_000 }, () => drawExponential(random, 70_000)))!;
    for (const agents of [2, 3, 5]) {
      expect(getResponseLevel(agents, 60, profile, 180)).toBeCloseTo(getResponseLevel(agents, 60, exponential(70), 180), 2);
    }
  });

  it("is 0 when the queue is unstable and 1 with no arrivals", () => {
    expect(getResponseLevel(2, 60, exponential(120), 180)).toBe(0);
    expect(getResponseLevel(0, 0, exponential(120), 180)).toBe(1);
  });

  it("never exceeds the wait-only level of the textbook", () => {
    for (const agents of [2, 3, 4]) expect(getResponseLevel(agents, 60, exponential(90), 180)).toBeLessThan(getServiceLevel(agents, 60, 90, 180));
  });
});

describe("getAgentsNeeded", () => {
  it.each([
    ["one card an hour, 60 s each", 1, 60, 0.9],
    ["90 an hour, 40 s each, 95 %", 90, 40, 0.95],
    ["300 an hour, 30 s each, 80 %", 300, 30, 0.8],
  ])("%s: the fewest agents that reach the level", (_label, arrivalsPerHour, meanSeconds, targetLevel) => {
    const agents = getAgentsNeeded(arrivalsPerHour, exponential(meanSeconds), 180, targetLevel)!;
    expect(agents).toBeGreaterThan(0);
    expect(getResponseLevel(agents, arrivalsPerHour, exponential(meanSeconds), 180)).toBeGreaterThanOrEqual(targetLevel);
    expect(getResponseLevel(agents - 1, arrivalsPerHour, exponential(meanSeconds), 180)).toBeLessThan(targetLevel);
  });

  it("no arrivals need nobody", () => {
    expect(getAgentsNeeded(0, exponential(60), 180, 0.95)).toBe(0);
  });

  it("is null when the handle times alone miss the target: 2 min on average leaves 22 % past 3 min", () => {
    expect(getReachableLevel(exponential(120), 180)).toBeCloseTo(1 - Math.exp(-1.5), 12);
    expect(getAgentsNeeded(10, exponential(120), 180, 0.8)).toBeNull();
    expect(getAgentsNeeded(10, exponential(120), 180, 0.7)).toBeGreaterThan(0);
  });

  it.each([0, 1, 1.2, -0.5])("rejects target level %f", (targetLevel) => {
    expect(() => getAgentsNeeded(100, exponential(120), 180, targetLevel)).toThrow(RangeError);
  });
});

describe("planStaffing: one figure per hour, read by the headline, the on-shift line, the chart and the CSV", () => {
  const profile = toHandleProfile([20, 35, 40, 55, 60, 70, 90, 110, 150, 240].map((seconds) => seconds * 1000))!;
  const arrivals = [0, 0, 0.25, 1, 3, 0, 0, 4, 12, 20, 25, 30, 30, 25, 18, 18, 20, 30, 45, 60, 60, 45, 12, 2];

  it.each([1, 2, 3, 5])("with %i on shift, an hour is short exactly when its level is under the target and it needs more people", (agentsOnShift) => {
    const plan = planStaffing(arrivals, profile, { targetLevel: 0.85, targetSeconds: 180, agentsOnShift });
    expect(plan.hours).toHaveLength(24);
    for (const hour of plan.hours) {
      expect(hour.agentsNeeded).toBe(getAgentsNeeded(hour.arrivals, profile, 180, 0.85));
      if (hour.arrivals === 0) {
        expect(hour).toMatchObject({ agentsNeeded: 0, levelOnShift: 1, isShort: false });
        continue;
      }
      expect(hour.isShort, `hour ${hour.hour}`).toBe(hour.levelOnShift < 0.85);
      expect(hour.isShort).toBe(hour.agentsNeeded === null || hour.agentsNeeded > agentsOnShift);
    }
    // The runs cover every hour with cards once, each with that hour's own figure
    const covered = plan.runs.flatMap((run) => Array.from({ length: run.endHour - run.startHour }, (_, offset) => ({ hour: run.startHour + offset, run })));
    expect(covered.map(({ hour }) => hour)).toEqual(plan.hours.filter((hour) => hour.arrivals > 0).map((hour) => hour.hour));
    for (const { hour, run } of covered) expect([run.agentsNeeded, run.isShort]).toEqual([plan.hours[hour].agentsNeeded, plan.hours[hour].isShort]);
  });

  it.each([1, 3])("the CSV rows carry each hour's figure, and its level is short exactly where the page says so (%i on shift)", (agentsOnShift) => {
    const plan = planStaffing(arrivals, profile, { targetLevel: 0.85, targetSeconds: 180, agentsOnShift });
    const rows = getStaffingCsvRows(plan.hours, "达不到");
    expect(rows).toHaveLength(24);
    for (const [index, [clock, forecast, agents, levelPercent]] of rows.entries()) {
      const hour = plan.hours[index];
      expect(clock).toBe(`${String(index).padStart(2, "0")}:00`);
      expect(forecast).toBe(Math.round(hour.arrivals * 100) / 100);
      expect(agents).toBe(hour.agentsNeeded ?? "达不到");
      expect(levelPercent).toBe(Math.floor(hour.levelOnShift * 1000 + 1e-9) / 10);
      if (hour.arrivals > 0) expect((levelPercent as number) < 85, `hour ${index}`).toBe(hour.isShort);
    }
  });

  it("marks every hour with cards short when the target is out of reach (10 % of cards take over 3 minutes to handle)", () => {
    const plan = planStaffing(arrivals, profile, { targetLevel: 0.95, targetSeconds: 180, agentsOnShift: 20 });
    expect(plan.reachableLevel).toBeCloseTo(0.9, 12);
    expect(plan.hours.filter((hour) => hour.arrivals > 0).every((hour) => hour.agentsNeeded === null && hour.isShort)).toBe(true);
  });
});

// The forecast is only worth reading if a desk staffed as it says reaches the level it promises. These runs
// simulate such a desk (Poisson arrivals, one first-come-first-served queue) with a fixed seed: a history
// whose handle times are measured the way the page measures them, then the number of agents the forecast
// asks for, over 1,000 hours.
describe("simulation: the agents the forecast asks for reach the target (±3 points)", () => {
  const targetSeconds = 180;
  it.each([
    ["exponential 60 s, 30 cards/h, 90 %", 30, (random: Random) => drawExponential(random, 60_000), 0.9, 11],
    ["exponential 40 s, 120 cards/h, 95 %", 120, (random: Random) => drawExponential(random, 40_000), 0.95, 12],
    ["exponential 30 s, 200 cards/h, 90 %", 200, (random: Random) => drawExponential(random, 30_000), 0.9, 13],
    ["exponential 50 s, 60 cards/h, 80 %", 60, (random: Random) => drawExponential(random, 50_000), 0.8, 14],
  ])("%s", (_label, arrivalsPerHour, drawHandleMs, targetLevel, seed) => {
    const random = createRandom(seed);
    // A week of history with a generous team, measured from the decisions alone (no start times)
    const history = simulateDesk({ random, agents: 6, arrivalsPerHour, hours: 7 * 24, drawHandleMs });
    const measured = measureHandleTimes(toPersonDecisions(history));
    const profile = toHandleProfile(measured.cards.map((card) => card.handleMs))!;
    const agents = getAgentsNeeded(arrivalsPerHour, profile, targetSeconds, targetLevel)!;
    expect(agents).toBeGreaterThan(0);
    const predicted = getResponseLevel(agents, arrivalsPerHour, profile, targetSeconds);

    const desk = simulateDesk({ random, agents, arrivalsPerHour, hours: 1_000, drawHandleMs });
    const simulated = getSimulatedLevel(desk, targetSeconds * 1000);
    expect(simulated).toBeGreaterThanOrEqual(targetLevel - 0.03);
    expect(Math.abs(simulated - predicted)).toBeLessThanOrEqual(0.03);
    // And one agent fewer misses the target, in the simulation too: the forecast does not over-staff
    if (agents > 1) {
      const fewer = getSimulatedLevel(simulateDesk({ random, agents: agents - 1, arrivalsPerHour, hours: 1_000, drawHandleMs }), targetSeconds * 1000);
      expect(fewer).toBeLessThan(targetLevel);
    }
  }, 30_000);

  it("a less variable handle time (uniform 20–100 s) still reaches the target: the exponential wait is on the safe side", () => {
    const random = createRandom(21);
    const drawHandleMs = (draw: Random) => 20_000 + draw.next() * 80_000;
    const history = simulateDesk({ random, agents: 6, arrivalsPerHour: 150, hours: 7 * 24, drawHandleMs });
    const measured = measureHandleTimes(toPersonDecisions(history));
    const profile = toHandleProfile(measured.cards.map((card) => card.handleMs))!;
    expect(profile.meanSeconds).toBeCloseTo(60, 0);
    const agents = getAgentsNeeded(150, profile, targetSeconds, 0.95)!;
    const simulated = getSimulatedLevel(simulateDesk({ random, agents, arrivalsPerHour: 150, hours: 1_000, drawHandleMs }), targetSeconds * 1000);
    expect(simulated).toBeGreaterThanOrEqual(0.95 - 0.03);
  }, 30_000);

  it("the wait-only service level matches the simulated wait, while the response level is what the 3-minute rate sees", () => {
    const random = createRandom(5);
    const drawHandleMs = (draw: Random) => drawExponential(draw, 90_000);
    const desk = simulateDesk({ random, agents: 3, arrivalsPerHour: 80, hours: 1_000, drawHandleMs });
    expect(getSimulatedWaitLevel(desk, 180_000)).toBeCloseTo(getServiceLevel(3, 80, 90, 180), 1);
    expect(Math.abs(getSimulatedLevel(desk, 180_000) - getResponseLevel(3, 80, exponential(90), 180))).toBeLessThanOrEqual(0.01);
    // The old forecast's mistake: the wait alone promises far more than the desk delivers
    expect(getServiceLevel(3, 80, 90, 180) - getSimulatedLevel(desk, 180_000)).toBeGreaterThan(0.1);
  }, 30_000);
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

describe("floorLevel", () => {
  it.each([
    [0.9496, 0.949],
    [0.95, 0.95],
    [0.955, 0.955],
    [0.99999, 0.999],
    [1, 1],
    [0, 0],
  ])("%f → %f", (level, expected) => {
    expect(floorLevel(level)).toBe(expected);
  });
});
