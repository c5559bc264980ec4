import { and, eq, gte, inArray, isNotNull, lt, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { requests, shops } from "@/db/schema";
import { metricShopHourly } from "@/db/schema-metrics";
import type { Scope } from "@/db/queries/users";
import { defaultRollupPolicy } from "@/lib/metrics/response-metrics";
import { awayGapMs, getMedianSeconds, measureHandleTimes, toHandleProfile } from "@/lib/metrics/handle-time";
import type { StaffingForecast } from "@/lib/metrics/report-types";
import { dayMs, getShanghaiDayStart } from "@/lib/time";
import { forecastArrivals, planStaffing } from "@/lib/metrics/staffing";
import { getUserNames } from "@/db/queries/metrics/names";

// The staffing forecast: tomorrow's arrivals and the people they need

/** People's decisions in all of the merchant's shops in [start, end): an agent's previous card may be in a shop outside the report. */
async function readPersonDecisions(db: Db, merchantId: string, shopIds: readonly string[], start: Date, end: Date) {
  const counted = new Set(shopIds);
  const rows = await db
    .select({ agentId: requests.decidedBy, shopId: requests.shopId, receivedAt: requests.receivedAt, decidedAt: requests.decidedAt })
    .from(requests)
    .innerJoin(shops, eq(shops.id, requests.shopId))
    .where(and(eq(shops.merchantId, merchantId), isNotNull(requests.decidedBy), gte(requests.decidedAt, start), lt(requests.decidedAt, end)));
  return rows.flatMap(({ agentId, shopId, receivedAt, decidedAt }) => (agentId && decidedAt ? [{ agentId, receivedAt, decidedAt, isCounted: counted.has(shopId) }] : []));
}

/**
 * Tomorrow's arrivals per hour from the same weekday and hour of recent weeks, the time people spent
 * per card over those weeks, and the people each hour needs for the target 3-minute rate.
 */
export async function getStaffingForecast(
  db: Db,
  scope: Scope,
  shopIds: string[],
  options: { day: string; weeks: number; targetLevel: number; agentsOnShift: number },
): Promise<StaffingForecast> {
  const dayStartMs = getShanghaiDayStart(options.day).getTime();
  const historyStart = new Date(dayStartMs - options.weeks * 7 * dayMs);
  const history =
    shopIds.length === 0
      ? []
      : await db
          .select({ hourStart: metricShopHourly.hourStart, count: sql<number>`sum(${metricShopHourly.received})`.mapWith(Number) })
          .from(metricShopHourly)
          .where(and(inArray(metricShopHourly.shopId, shopIds), gte(metricShopHourly.hourStart, historyStart), lt(metricShopHourly.hourStart, new Date(dayStartMs))))
          .groupBy(metricShopHourly.hourStart);
  const forecast = forecastArrivals(history, options.day, options.weeks);

  const measured = shopIds.length === 0 ? { cards: [], awayLeftOut: 0 } : measureHandleTimes(await readPersonDecisions(db, scope.merchantId, shopIds, historyStart, new Date(dayStartMs)));
  const handleMs = measured.cards.map((card) => card.handleMs);
  const profile = toHandleProfile(handleMs);
  const targetSeconds = defaultRollupPolicy.replyWindowMs / 1000;
  const plan = profile ? planStaffing(forecast.map(({ count }) => count), profile, { targetLevel: options.targetLevel, targetSeconds, agentsOnShift: options.agentsOnShift }) : null;

  // Owners see every agent; an agent only their own row (the team's figure still uses everyone's cards)
  const byAgent = new Map<string, number[]>();
  for (const card of measured.cards) {
    if (scope.role !== "owner" && card.agentId !== scope.userId) continue;
    const list = byAgent.get(card.agentId);
    if (list) list.push(card.handleMs);
    else byAgent.set(card.agentId, [card.handleMs]);
  }
  const names = await getUserNames(db, scope.merchantId, [...byAgent.keys()]);
  return {
    day: options.day,
    weeks: options.weeks,
    targetLevel: options.targetLevel,
    targetSeconds,
    agentsOnShift: options.agentsOnShift,
    handle: profile
      ? { meanSeconds: profile.meanSeconds, medianSeconds: getMedianSeconds(handleMs)!, cards: profile.cards, awayLeftOut: measured.awayLeftOut, awayGapMinutes: awayGapMs / 60_000 }
      : null,
    reachableLevel: plan?.reachableLevel ?? null,
    agentHandle: [...byAgent.entries()]
      .map(([agentId, list]) => ({
        agentId,
        label: names.get(agentId) ?? agentId,
        cards: list.length,
        meanSeconds: list.reduce((sum, ms) => sum + ms, 0) / list.length / 1000,
        medianSeconds: getMedianSeconds(list),
      }))
      .sort((left, right) => right.cards - left.cards || left.label.localeCompare(right.label)),
    hours: plan ? plan.hours : forecast.map(({ count }, hour) => ({ hour, arrivals: count, agentsNeeded: null, levelOnShift: null, isShort: false })),
    runs: plan ? plan.runs : [],
  };
}
