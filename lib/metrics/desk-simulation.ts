import type { PersonDecision } from "@/lib/metrics/handle-time";
import type { Random } from "@/lib/random";
import { hourMs } from "@/lib/time";

// A seeded simulation of a desk, to check the staffing forecast against (lib/metrics/staffing.test.ts):
// cards arrive as a Poisson process, wait in one first-come-first-served queue, and each goes to the
// agent who is free first; an agent handles one card at a time for a drawn handle time.

/** Instants in ms since the epoch: a run makes hundreds of thousands of these. */
export type SimulatedDecision = { agent: number; receivedMs: number; startedMs: number; decidedMs: number };

export type DeskSimulation = {
  random: Random;
  agents: number;
  arrivalsPerHour: number;
  hours: number;
  /** Draws one card's handle time in ms. */
  drawHandleMs: (random: Random) => number;
  start?: Date;
};

/** Exponential with the given mean, by inversion (1 − u keeps ln away from 0). */
export function drawExponential(random: Random, mean: number): number {
  return -Math.log(1 - random.next()) * mean;
}

export function simulateDesk({ random, agents, arrivalsPerHour, hours, drawHandleMs, start = new Date("2026-01-05T00:00:00.000Z") }: DeskSimulation): SimulatedDecision[] {
  if (!Number.isSafeInteger(agents) || agents < 1) throw new RangeError(`Need at least one agent, got ${agents}`);
  if (!(arrivalsPerHour > 0) || !(hours > 0)) throw new RangeError("Need arrivals and hours > 0");
  const freeAtMs = new Array<number>(agents).fill(start.getTime());
  const endMs = start.getTime() + hours * hourMs;
  const meanGapMs = hourMs / arrivalsPerHour;
  const decisions: SimulatedDecision[] = [];
  for (let arrivalMs = start.getTime() + drawExponential(random, meanGapMs); arrivalMs < endMs; arrivalMs += drawExponential(random, meanGapMs)) {
    let agent = 0;
    for (let index = 1; index < agents; index += 1) if (freeAtMs[index] < freeAtMs[agent]) agent = index;
    const startedMs = Math.max(arrivalMs, freeAtMs[agent]);
    const decidedMs = startedMs + Math.max(0, drawHandleMs(random));
    freeAtMs[agent] = decidedMs;
    decisions.push({ agent, receivedMs: arrivalMs, startedMs, decidedMs });
  }
  return decisions;
}

/** Share of cards decided within `targetMs` of arriving (the 3-minute rate of the simulated desk). */
export function getSimulatedLevel(decisions: readonly SimulatedDecision[], targetMs: number): number {
  if (decisions.length === 0) return 1;
  let inTime = 0;
  for (const decision of decisions) if (decision.decidedMs - decision.receivedMs <= targetMs) inTime += 1;
  return inTime / decisions.length;
}

/** Share of cards an agent started on within `targetMs` (the textbook's "service level": the wait alone). */
export function getSimulatedWaitLevel(decisions: readonly SimulatedDecision[], targetMs: number): number {
  if (decisions.length === 0) return 1;
  let inTime = 0;
  for (const decision of decisions) if (decision.startedMs - decision.receivedMs <= targetMs) inTime += 1;
  return inTime / decisions.length;
}

/** The decisions as the desk stores them (who, arrival, decision; no start time), for measureHandleTimes. */
export function toPersonDecisions(decisions: readonly SimulatedDecision[]): PersonDecision[] {
  return decisions.map((decision) => ({ agentId: `agent-${decision.agent + 1}`, receivedAt: new Date(decision.receivedMs), decidedAt: new Date(decision.decidedMs), isCounted: true }));
}
