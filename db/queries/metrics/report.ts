import { and, eq, getTableName, gte, inArray, lt, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { joinedText } from "@/db/dialect-metrics";
import { requests, shops } from "@/db/schema";
import { metricDaily, metricHourly, metricMonthly, metricShopDaily, metricShopHourly, unansweredAgentId } from "@/db/schema-metrics";
import type { Scope } from "@/db/queries/users";
import type { Platform, RequestKind } from "@/lib/domain";
import { compareWithPrevious, createEmptyRollup, defaultRollupPolicy, getRangeFigures, ruleAgentId, type RollupCounters, type TimeRange } from "@/lib/metrics/response-metrics";
import { getPeriodDays, type ReportRange } from "@/lib/metrics/report-range";
import type { BreakdownRow, MetricsReport } from "@/lib/metrics/report-types";
import { isExemptFromScoring, platformScoring } from "@/lib/metrics/scoring-window";
import {
  dayMs,
  getNextShanghaiMonthStart,
  getShanghaiDay,
  getShanghaiDayStart,
  getShanghaiHourBucket,
  getShanghaiHourOfDay,
  getShanghaiWeekday,
  hourMs,
} from "@/lib/time";
import { recordedSources } from "@/db/queries/metrics/card-facts";
import { getShopNames, getShopPlatforms, getUserNames } from "@/db/queries/metrics/names";
import { addInto, getBucketColumn, getTableCounterColumns, isKeyedTable, scalarCounterNames, toDayMs, toMonthMs, type CounterTable, type RollupTable, type StoredKey } from "@/db/queries/metrics/tables";

// Reading: the owner's report, from rollups only

/** An agent sees other agents' cards only inside totals: their rows come back under this id. */
export const otherAgentsId = "*";

/** 3分钟响应率 target ≥ 90% (Taobao; docs/metrics.md). */
export const responseRateTarget = 0.9;

export type ReadRow = StoredKey & { bucketStart: Date; counters: RollupCounters };

/** Shops the viewer may see, optionally narrowed to one; null when that one is not theirs (answer 404). */
export async function getReportShopIds(db: Db, scope: Scope, shopId: string | undefined): Promise<string[] | null> {
  if (scope.shopIds.length === 0) return shopId ? null : [];
  const owned = await db
    .select({ id: shops.id })
    .from(shops)
    .where(and(eq(shops.merchantId, scope.merchantId), inArray(shops.id, shopId ? [shopId] : scope.shopIds)));
  const ids = owned.map((shop) => shop.id).filter((id) => scope.shopIds.includes(id));
  if (shopId && ids.length === 0) return null;
  return ids;
}

// Owners see every agent; an agent's query never returns another agent's id (the role rule is enforced here, not in the UI)
function agentColumn(table: RollupTable, scope: Scope): SQL<string> {
  if (scope.role === "owner") return sql<string>`${table.agentId}`;
  return sql<string>`case when ${table.agentId} = ${scope.userId} then ${table.agentId} else ${otherAgentsId} end`;
}

/** What a grouped read keeps apart: the full key (buckets summed), the time bucket (keys summed), or nothing (one total). */
type Grouping = "key" | "bucket" | "total";

// Histograms are JSON arrays, which SQL cannot add: a group's arrays come back joined, parsed in one go and added here
function sumHistograms(joined: string): number[] {
  const sum = createEmptyRollup().responseHistogram;
  for (const histogram of JSON.parse(`[${joined}]`) as number[][]) {
    for (let index = 0; index < sum.length; index += 1) sum[index] += histogram[index];
  }
  return sum;
}

function getKeySelection(table: CounterTable, scope: Scope, grouping: Grouping) {
  if (grouping !== "key") return { shopId: sql<string>`''`, agentId: sql<string>`''`, platform: sql<Platform>`''`, kind: sql<RequestKind>`''` };
  if (!isKeyedTable(table)) throw new TypeError(`${getTableName(table)} has no agent, platform or kind to group by`);
  return { shopId: table.shopId, agentId: agentColumn(table, scope), platform: table.platform, kind: table.kind };
}

/**
 * A rollup table's rows in [startMs, endMs), summed in SQL per key, per bucket or in all: a year of
 * daily rows (~56k at 1M requests) comes back as a few hundred groups instead of being read row by row.
 */
async function readGrouped(db: Db, scope: Scope, shopIds: string[], table: CounterTable, startMs: number, endMs: number, grouping: Grouping): Promise<ReadRow[]> {
  if (startMs >= endMs || shopIds.length === 0) return [];
  const bucket = getBucketColumn(table);
  const counters = getTableCounterColumns(table);
  // PostgreSQL sums integers into bigint and bigints into numeric, both returned as strings
  const sums = Object.fromEntries(scalarCounterNames.map((name) => [name, sql<number>`sum(${counters[name]})`.mapWith(Number)])) as Record<(typeof scalarCounterNames)[number], SQL<number>>;
  const key = getKeySelection(table, scope, grouping);
  // Grouped by the stored columns: PostgreSQL does not match an agent's CASE (its values are parameters) with the
  // same CASE in GROUP BY. Other agents' rows then come back apart, all under otherAgentsId, and add up the same.
  const groupBy = { key: isKeyedTable(table) ? [table.shopId, table.agentId, table.platform, table.kind] : [], bucket: [bucket], total: [] }[grouping];
  const rows = await db
    .select({
      ...sums,
      // null only when a total has no row to sum
      histograms: joinedText(table.responseHistogram),
      ...key,
      bucketStartMs: grouping === "bucket" ? sql<number>`${bucket}`.mapWith(Number) : sql<number>`0`.mapWith(Number),
    })
    .from(table)
    .where(and(inArray(table.shopId, shopIds), gte(bucket, new Date(startMs)), lt(bucket, new Date(endMs))))
    .groupBy(...groupBy);
  return rows.flatMap(({ histograms, shopId, agentId, platform, kind, bucketStartMs, ...scalars }) =>
    histograms === null ? [] : [{ shopId, agentId, platform, kind, bucketStart: new Date(bucketStartMs), counters: { ...scalars, responseHistogram: sumHistograms(histograms) } }],
  );
}

function ceilToHourMs(instant: Date): number {
  return getShanghaiHourBucket(new Date(instant.getTime() - 1)).getTime() + hourMs;
}

/** The whole coarser buckets inside [startMs, endMs) as [first start, last end), or null when none fits. */
function getWholeBuckets(startMs: number, endMs: number, floor: (ms: number) => number, next: (ms: number) => number): [number, number] | null {
  const firstStartMs = floor(startMs) === startMs ? startMs : next(startMs);
  const lastEndMs = floor(endMs);
  return firstStartMs < lastEndMs ? [firstStartMs, lastEndMs] : null;
}

/**
 * The rollup rows of a range, each part from the coarsest table that covers it whole: the hours at
 * either end from the hourly table; whole Shanghai days from the shop-daily table, or, when the read
 * keeps keys apart, whole months from the monthly table and the days around them from the daily one.
 * A partial last hour counts whole (every card in it so far), so "today" reads up to now.
 */
async function readRangeRows(db: Db, scope: Scope, shopIds: string[], range: TimeRange, grouping: Grouping): Promise<ReadRow[]> {
  const read = async (table: CounterTable, startMs: number, endMs: number) => readGrouped(db, scope, shopIds, table, startMs, endMs, grouping);
  const startMs = getShanghaiHourBucket(range.start).getTime();
  const endMs = ceilToHourMs(range.end);
  const days = getWholeBuckets(startMs, endMs, toDayMs, (ms) => toDayMs(ms) + dayMs);
  if (!days) return read(metricHourly, startMs, endMs);
  const [daysStartMs, daysEndMs] = days;
  const hours = [...await read(metricHourly, startMs, daysStartMs), ...await read(metricHourly, daysEndMs, endMs)];
  if (grouping !== "key") return [...hours, ...await read(metricShopDaily, daysStartMs, daysEndMs)];
  const months = getWholeBuckets(daysStartMs, daysEndMs, toMonthMs, (ms) => getNextShanghaiMonthStart(new Date(ms)).getTime());
  if (!months) return [...hours, ...await read(metricDaily, daysStartMs, daysEndMs)];
  const [monthsStartMs, monthsEndMs] = months;
  return [...hours, ...await read(metricDaily, daysStartMs, monthsStartMs), ...await read(metricMonthly, monthsStartMs, monthsEndMs), ...await read(metricDaily, monthsEndMs, daysEndMs)];
}

export function sumRows(rows: Iterable<ReadRow>): RollupCounters {
  const total = createEmptyRollup();
  for (const row of rows) addInto(total, row.counters);
  return total;
}

function groupRows(rows: readonly ReadRow[], getKey: (row: ReadRow) => string): Map<string, RollupCounters> {
  const groups = new Map<string, RollupCounters>();
  for (const row of rows) {
    const key = getKey(row);
    let group = groups.get(key);
    if (!group) {
      group = createEmptyRollup();
      groups.set(key, group);
    }
    addInto(group, row.counters);
  }
  return groups;
}

/**
 * Rounds each shop had scored over the last 30 Shanghai days up to now (cards received in its platform's
 * scoring hours), which decides whether the platform scores the shop at all. Every platform looks back 30 days.
 */
async function readScoredRounds(db: Db, shopIds: string[], now: Date): Promise<{ shopId: string; scoredRounds: number }[]> {
  if (shopIds.length === 0) return [];
  const lookbackDays = Math.max(...Object.values(platformScoring).map((scoring) => scoring.lookbackDays));
  const firstDayStart = new Date(getShanghaiDayStart(getShanghaiDay(now)).getTime() - (lookbackDays - 1) * dayMs);
  const rows = await db
    .select({ shopId: metricShopDaily.shopId, scoredRounds: sql<number>`sum(${metricShopDaily.receivedInScoringHours})`.mapWith(Number) })
    .from(metricShopDaily)
    .where(and(inArray(metricShopDaily.shopId, shopIds), gte(metricShopDaily.dayStart, firstDayStart), lt(metricShopDaily.dayStart, now)))
    .groupBy(metricShopDaily.shopId);
  const byShop = new Map(rows.map((row) => [row.shopId, row.scoredRounds]));
  return shopIds.map((shopId) => ({ shopId, scoredRounds: byShop.get(shopId) ?? 0 }));
}

/** Pending cards past their reply deadline right now: a live count on the inbox index, not a rollup. */
export async function countOverdueNow(db: Db, shopIds: string[], now: Date): Promise<number> {
  if (shopIds.length === 0) return 0;
  const [row] = await db
    .select({ count: sql<number>`count(*)`.mapWith(Number) })
    .from(requests)
    .where(and(inArray(requests.shopId, shopIds), eq(requests.status, "pending"), lt(requests.respondBy, now)));
  return row?.count ?? 0;
}

async function readHeatmap(db: Db, shopIds: string[], range: TimeRange): Promise<MetricsReport["heatmap"]> {
  const arrivals = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
  const late = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
  if (shopIds.length === 0) return { arrivals, late };
  const rows = await db
    .select({
      hourStart: metricShopHourly.hourStart,
      received: sql<number>`sum(${metricShopHourly.received})`.mapWith(Number),
      late: sql<number>`sum(${metricShopHourly.answered} - ${metricShopHourly.answeredWithin3Min})`.mapWith(Number),
    })
    .from(metricShopHourly)
    .where(
      and(
        inArray(metricShopHourly.shopId, shopIds),
        gte(metricShopHourly.hourStart, getShanghaiHourBucket(range.start)),
        lt(metricShopHourly.hourStart, new Date(ceilToHourMs(range.end))),
      ),
    )
    .groupBy(metricShopHourly.hourStart);
  for (const row of rows) {
    const weekday = getShanghaiWeekday(row.hourStart);
    const hour = getShanghaiHourOfDay(row.hourStart);
    arrivals[weekday][hour] += row.received;
    late[weekday][hour] += row.late;
  }
  return { arrivals, late };
}

function listDays(range: ReportRange): string[] {
  const days: string[] = [];
  for (let dayStartMs = getShanghaiDayStart(range.firstDay).getTime(); dayStartMs <= getShanghaiDayStart(range.lastDay).getTime(); dayStartMs += dayMs) {
    days.push(getShanghaiDay(new Date(dayStartMs)));
  }
  return days;
}

/** Every figure of the owner's page for a range and the range before it, read from rollups only. */
export async function getMetricsReport(db: Db, scope: Scope, shopIds: string[], range: ReportRange, now: Date, shopId: string | null = null): Promise<MetricsReport> {
  // Keyed sums feed the totals and the shop/agent/platform/kind breakdowns (a few hundred rows); bucket
  // sums the days; the range before is only compared in total
  const rows = await readRangeRows(db, scope, shopIds, range, "key");
  const bucketRows = await readRangeRows(db, scope, shopIds, range, "bucket");
  const previousRows = await readRangeRows(db, scope, shopIds, range.previous, "total");
  const [shopNames, overdueNow, shopPlatforms] = await Promise.all([await getShopNames(db, shopIds), await countOverdueNow(db, shopIds, now), await getShopPlatforms(db, shopIds)]);

  const byAgent = groupRows(
    rows.filter((row) => row.agentId !== otherAgentsId),
    (row) => row.agentId,
  );
  const agentNames = await getUserNames(db, scope.merchantId, [...byAgent.keys()].filter((id) => id !== ruleAgentId && id !== unansweredAgentId));
  const toBreakdown = (groups: Map<string, RollupCounters>, getLabel: (key: string) => string): BreakdownRow[] =>
    [...groups.entries()]
      .map(([key, counters]) => ({ key, label: getLabel(key), figures: getRangeFigures(counters) }))
      .sort((left, right) => right.figures.received - left.figures.received || left.label.localeCompare(right.label));

  const byDay = groupRows(bucketRows, (row) => getShanghaiDay(row.bucketStart));
  const own = scope.role === "owner" ? null : getRangeFigures(byAgent.get(scope.userId) ?? createEmptyRollup());
  return {
    range: {
      preset: range.preset,
      firstDay: range.firstDay,
      lastDay: range.lastDay,
      start: range.start.toISOString(),
      end: range.end.toISOString(),
      previousStart: range.previous.start.toISOString(),
      previousEnd: range.previous.end.toISOString(),
      current: getPeriodDays(range),
      previous: getPeriodDays(range.previous),
    },
    viewer: { role: scope.role, userId: scope.userId },
    shopId,
    figures: compareWithPrevious(sumRows(rows), sumRows(previousRows)),
    ownFigures: own,
    overdueNow,
    breakdowns: {
      shop: toBreakdown(groupRows(rows, (row) => row.shopId), (key) => shopNames.get(key) ?? key),
      agent: toBreakdown(byAgent, (key) => agentNames.get(key) ?? key),
      platform: toBreakdown(groupRows(rows, (row) => row.platform), (key) => key),
      kind: toBreakdown(groupRows(rows, (row) => row.kind), (key) => key),
      day: listDays(range).map((day) => ({ key: day, label: day, figures: getRangeFigures(byDay.get(day) ?? createEmptyRollup()) })),
    },
    heatmap: await readHeatmap(db, shopIds, range),
    policy: {
      replyWindowMs: defaultRollupPolicy.replyWindowMs,
      target: responseRateTarget,
      platforms: [...new Set(shopPlatforms.values())].sort().map((platform) => ({ platform, ...platformScoring[platform] })),
    },
    scoring: (await readScoredRounds(db, shopIds, now)).map(({ shopId, scoredRounds }) => {
      const platform = shopPlatforms.get(shopId)!;
      return { shopId, label: shopNames.get(shopId) ?? shopId, platform, scoredRounds, minRounds: platformScoring[platform].minRounds, isExempt: isExemptFromScoring(platform, scoredRounds) };
    }),
    recordedSources,
  };
}

