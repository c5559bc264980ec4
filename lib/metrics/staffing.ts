import type { HandleProfile } from "@/lib/metrics/handle-time";
import { dayMs, getShanghaiDayStart, getShanghaiHourBucket, hourMs } from "@/lib/time";

// Erlang C models the desk as an M/M/N queue: Poisson arrivals within the hour, agents on nothing else,
// cards answered first come first served, no buyer gives up, and the hour long enough to reach steady
// state. The wait comes from Erlang C with the measured mean handle time; the handle times themselves
// are taken as measured (lib/metrics/handle-time.ts). Real desks break some of this; the page says so.

function assertAgents(agents: number): void {
  if (!Number.isSafeInteger(agents) || agents < 0) throw new RangeError(`Agents must be a whole number ≥ 0, got ${agents}`);
}

function getTrafficErlangs(arrivalsPerHour: number, meanHandleSeconds: number): number {
  if (!(arrivalsPerHour >= 0) || !(meanHandleSeconds > 0)) {
    throw new RangeError(`Need arrivals ≥ 0 and handle time > 0, got ${arrivalsPerHour}/h and ${meanHandleSeconds} s`);
  }
  return (arrivalsPerHour * meanHandleSeconds) / 3600;
}

/**
 * Probability that a card waits for an agent (Erlang C), from the Erlang B recurrence
 * B(n) = A·B(n−1) / (n + A·B(n−1)), which needs no factorials and stays finite for any N.
 * With N ≤ A the queue grows without bound, so every card waits: 1.
 */
export function getErlangC(agents: number, trafficErlangs: number): number {
  assertAgents(agents);
  if (!(trafficErlangs >= 0)) throw new RangeError(`Traffic must be ≥ 0 Erlangs, got ${trafficErlangs}`);
  if (trafficErlangs === 0) return 0;
  if (agents <= trafficErlangs) return 1;
  let erlangB = 1;
  for (let n = 1; n <= agents; n += 1) erlangB = (trafficErlangs * erlangB) / (n + trafficErlangs * erlangB);
  return (agents * erlangB) / (agents - trafficErlangs * (1 - erlangB));
}

/**
 * Share of cards answered within `targetSeconds`: 1 − C·e^(−(N−A)·t/AHT). 0 when N ≤ A (unstable),
 * 1 with no arrivals.
 */
export function getServiceLevel(
  agents: number,
  arrivalsPerHour: number,
  meanHandleSeconds: number,
  targetSeconds: number,
): number {
  assertAgents(agents);
  if (!(targetSeconds >= 0)) throw new RangeError(`Target must be ≥ 0 s, got ${targetSeconds}`);
  const trafficErlangs = getTrafficErlangs(arrivalsPerHour, meanHandleSeconds);
  if (trafficErlangs === 0) return 1;
  if (agents <= trafficErlangs) return 0;
  const waitProbability = getErlangC(agents, trafficErlangs);
  return 1 - waitProbability * Math.exp((-(agents - trafficErlangs) * targetSeconds) / meanHandleSeconds);
}

/**
 * Share of cards answered within `targetSeconds` of arriving: what the platforms' 3-minute rate counts.
 * A card's response is its wait for a free agent plus the agent's handle time, so Erlang C's wait (0 with
 * probability 1 − C, else exponential with rate (N − A)/AHT) is added to the handle times as measured:
 *
 *   level = (1 − C)·P(S ≤ t) + C·E[1 − e^(−θ·(t − S)); S ≤ t],  θ = (N − A)/AHT
 *
 * With an empty `distribution` the handle time is taken as exponential with the profile's mean, where this is
 * the exact M/M/N response-time distribution. 0 when the queue is unstable (N ≤ A), 1 with no arrivals.
 */
export function getResponseLevel(agents: number, arrivalsPerHour: number, handle: HandleProfile, targetSeconds: number): number {
  assertAgents(agents);
  if (!(targetSeconds >= 0)) throw new RangeError(`Target must be ≥ 0 s, got ${targetSeconds}`);
  const meanSeconds = handle.meanSeconds;
  const trafficErlangs = getTrafficErlangs(arrivalsPerHour, meanSeconds);
  if (trafficErlangs === 0) return 1;
  if (agents <= trafficErlangs) return 0;
  const waitProbability = getErlangC(agents, trafficErlangs);
  const waitRate = (agents - trafficErlangs) / meanSeconds;
  if (handle.distribution.length === 0) {
    const handleRate = 1 / meanSeconds;
    const handledInTime = 1 - Math.exp(-handleRate * targetSeconds);
    // P(W + S ≤ t) for W ~ Exp(θ), S ~ Exp(μ): 1 − (θe^(−μt) − μe^(−θt))/(θ − μ), or 1 − (1 + μt)e^(−μt) when θ = μ
    const waitedInTime =
      Math.abs(waitRate - handleRate) < 1e-12
        ? 1 - (1 + handleRate * targetSeconds) * Math.exp(-handleRate * targetSeconds)
        : 1 - (waitRate * Math.exp(-handleRate * targetSeconds) - handleRate * Math.exp(-waitRate * targetSeconds)) / (waitRate - handleRate);
    return (1 - waitProbability) * handledInTime + waitProbability * waitedInTime;
  }
  let total = 0;
  let handledInTime = 0;
  let waitedInTime = 0;
  for (const { seconds, cards } of handle.distribution) {
    total += cards;
    if (seconds > targetSeconds) continue;
    handledInTime += cards;
    waitedInTime += cards * (1 - Math.exp(-waitRate * (targetSeconds - seconds)));
  }
  return ((1 - waitProbability) * handledInTime + waitProbability * waitedInTime) / total;
}

/** The best level any number of agents can reach: the share of cards handled within the target once nobody waits. */
export function getReachableLevel(handle: HandleProfile, targetSeconds: number): number {
  if (handle.distribution.length === 0) return 1 - Math.exp(-targetSeconds / handle.meanSeconds);
  const total = handle.distribution.reduce((sum, { cards }) => sum + cards, 0);
  const inTime = handle.distribution.reduce((sum, { seconds, cards }) => (seconds <= targetSeconds ? sum + cards : sum), 0);
  return inTime / total;
}

/** More agents than this over the traffic and the target still out of reach: call it unreachable. */
const maxExtraAgents = 500;

/**
 * Fewest agents whose response level reaches `targetLevel` (0 < level < 1), or null when no number of agents
 * can: the handle times alone already take too many cards past the target.
 */
export function getAgentsNeeded(arrivalsPerHour: number, handle: HandleProfile, targetSeconds: number, targetLevel: number): number | null {
  if (!(targetLevel > 0 && targetLevel < 1)) throw new RangeError(`Target level must be in (0, 1), got ${targetLevel}`);
  const trafficErlangs = getTrafficErlangs(arrivalsPerHour, handle.meanSeconds);
  if (trafficErlangs === 0) return 0;
  if (getReachableLevel(handle, targetSeconds) <= targetLevel) return null;
  // Below floor(A)+1 the queue is unstable, so start there; the level rises with every agent added
  const first = Math.floor(trafficErlangs) + 1;
  for (let agents = first; agents <= first + maxExtraAgents; agents += 1) {
    if (getResponseLevel(agents, arrivalsPerHour, handle, targetSeconds) >= targetLevel) return agents;
  }
  return null;
}

/** A level cut down to a tenth of a percent, for display: 94.96% reads 94.9%, never a rounded-up 95.0% that looks on target. */
export function floorLevel(level: number): number {
  // The epsilon keeps 0.955 (954.999… after × 1000) at 95.5%
  return Math.floor(level * 1000 + 1e-9) / 1000;
}

export type StaffingOptions = { targetLevel: number; targetSeconds: number; agentsOnShift: number };

/** One hour of the plan: the one figure of people it needs, which the headline, the on-shift line, the chart and the CSV all read. */
export type PlannedHour = {
  hour: number;
  arrivals: number;
  /** Null: unreachable with any number of people. 0 for an hour with no cards expected. */
  agentsNeeded: number | null;
  /** The level expected with `agentsOnShift` people. */
  levelOnShift: number;
  /** Fewer people on shift than the hour needs (or the target is out of reach): exactly when levelOnShift < target. */
  isShort: boolean;
};

/** Consecutive hours with cards that need the same number of people; `endHour` is exclusive. */
export type StaffingRun = { startHour: number; endHour: number; agentsNeeded: number | null; isShort: boolean };

export type StaffingPlan = { reachableLevel: number; hours: PlannedHour[]; runs: StaffingRun[] };

/** Sizes each hour's expected arrivals (index = Shanghai hour) once; everything shown is derived from these figures. */
export function planStaffing(arrivalsByHour: readonly number[], handle: HandleProfile, options: StaffingOptions): StaffingPlan {
  assertAgents(options.agentsOnShift);
  const hours = arrivalsByHour.map((arrivals, hour): PlannedHour => {
    const agentsNeeded = getAgentsNeeded(arrivals, handle, options.targetSeconds, options.targetLevel);
    return {
      hour,
      arrivals,
      agentsNeeded,
      levelOnShift: getResponseLevel(options.agentsOnShift, arrivals, handle, options.targetSeconds),
      isShort: agentsNeeded === null || agentsNeeded > options.agentsOnShift,
    };
  });
  const runs: StaffingRun[] = [];
  for (const { hour, arrivals, agentsNeeded, isShort } of hours) {
    if (arrivals === 0) continue;
    const last = runs.at(-1);
    if (last && last.endHour === hour && last.agentsNeeded === agentsNeeded) last.endHour = hour + 1;
    else runs.push({ startHour: hour, endHour: hour + 1, agentsNeeded, isShort });
  }
  return { reachableLevel: getReachableLevel(handle, options.targetSeconds), hours, runs };
}

export type HourlyArrivals = { hourStart: Date; count: number };

/**
 * 24 hourly forecasts for the Shanghai day `targetDay`: the mean count of the same weekday and hour
 * over the `weeks` weeks before it. Hours absent from `history` count as 0, as rollups store no empty
 * hours, so pass no more weeks than the shop has history; several rows for one hour are summed.
 */
export function forecastArrivals(history: readonly HourlyArrivals[], targetDay: string, weeks = 4): HourlyArrivals[] {
  if (!Number.isSafeInteger(weeks) || weeks < 1) throw new RangeError(`Weeks must be a whole number ≥ 1, got ${weeks}`);
  const countByHourMs = new Map<number, number>();
  for (const { hourStart, count } of history) {
    const hourMsKey = getShanghaiHourBucket(hourStart).getTime();
    countByHourMs.set(hourMsKey, (countByHourMs.get(hourMsKey) ?? 0) + count);
  }
  const dayStartMs = getShanghaiDayStart(targetDay).getTime();
  return Array.from({ length: 24 }, (_, hour) => {
    const hourStartMs = dayStartMs + hour * hourMs;
    let total = 0;
    // Shanghai has no DST, so "same hour k weeks ago" is exactly k × 7 × 24 h earlier
    for (let week = 1; week <= weeks; week += 1) total += countByHourMs.get(hourStartMs - week * 7 * dayMs) ?? 0;
    return { hourStart: new Date(hourStartMs), count: total / weeks };
  });
}

/**
 * The staffing CSV's rows, from the same hours the page shows: hour, forecast cards (2 decimals), people
 * needed (or `unreachableText`), and the level with the people on shift in percent, cut down like the page's.
 */
export function getStaffingCsvRows(
  hours: readonly { hour: number; arrivals: number; agentsNeeded: number | null; levelOnShift: number | null }[],
  unreachableText: string,
): (string | number | null)[][] {
  return hours.map((hour) => [
    `${String(hour.hour).padStart(2, "0")}:00`,
    Math.round(hour.arrivals * 100) / 100,
    hour.agentsNeeded ?? (hour.levelOnShift === null ? null : unreachableText),
    hour.levelOnShift === null ? null : Math.round(floorLevel(hour.levelOnShift) * 1000) / 10,
  ]);
}
