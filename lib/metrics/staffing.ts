import { dayMs, getShanghaiDayStart, getShanghaiHourBucket, hourMs } from "@/lib/metrics/shanghai-time";

// Erlang C models the desk as an M/M/N queue: Poisson arrivals within the hour, exponential handling
// times, agents on nothing else, cards answered first come first served, no buyer gives up, and the
// hour long enough to reach steady state. Real desks break some of these; the UI must say so.

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

/** Fewest agents whose service level reaches `targetLevel` (0 < level < 1; 1 is never reached while cards arrive). */
export function getAgentsNeeded(
  arrivalsPerHour: number,
  meanHandleSeconds: number,
  targetSeconds: number,
  targetLevel: number,
): number {
  if (!(targetLevel > 0 && targetLevel < 1)) throw new RangeError(`Target level must be in (0, 1), got ${targetLevel}`);
  const trafficErlangs = getTrafficErlangs(arrivalsPerHour, meanHandleSeconds);
  if (trafficErlangs === 0) return 0;
  // Below floor(A)+1 the queue is unstable, so start there; the level rises with every agent added
  let agents = Math.floor(trafficErlangs) + 1;
  while (getServiceLevel(agents, arrivalsPerHour, meanHandleSeconds, targetSeconds) < targetLevel) agents += 1;
  return agents;
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
