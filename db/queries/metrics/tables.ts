import type { Db, Tx } from "@/db/client";
import { metricDaily, metricHourly, metricMonthly, metricShopDaily, unansweredAgentId } from "@/db/schema-metrics";
import type { Platform, RequestKind } from "@/lib/domain";
import { createEmptyRollup, getRollupKey, type CardFacts, type RollupCounters } from "@/lib/metrics/response-metrics";
import { getShanghaiDay, getShanghaiDayStart, getShanghaiMonthStart } from "@/lib/time";

// The rollup tables' shape, shared by the upkeep, the rebuilds and the reads: keys, buckets, counter columns

/** A db or a transaction: called inside the caller's transaction, the writes here join it. */
export type Writer = Db | Tx;

export type StoredKey = { shopId: string; agentId: string; platform: Platform; kind: RequestKind };

export function getStoredKey(facts: CardFacts): StoredKey {
  const key = getRollupKey(facts);
  return { shopId: key.shopId, agentId: key.agentId ?? unansweredAgentId, platform: key.platform, kind: key.kind };
}

export function pickCounters(row: RollupCounters): RollupCounters {
  return {
    received: row.received,
    receivedInScoringHours: row.receivedInScoringHours,
    answered: row.answered,
    answeredWithin3Min: row.answeredWithin3Min,
    answeredWithin3MinInScoringHours: row.answeredWithin3MinInScoringHours,
    approved: row.approved,
    rejected: row.rejected,
    rejectedWithoutReasonOrEvidence: row.rejectedWithoutReasonOrEvidence,
    autoAnswered: row.autoAnswered,
    intervention: row.intervention,
    refundFen: row.refundFen,
    returnFreightFen: row.returnFreightFen,
    responseMsTotal: row.responseMsTotal,
    responseHistogram: row.responseHistogram,
  };
}

export function getDayBucket(instant: Date): Date {
  return getShanghaiDayStart(getShanghaiDay(instant));
}

export const toDayMs = (bucketMs: number) => getDayBucket(new Date(bucketMs)).getTime();
export const toMonthMs = (bucketMs: number) => getShanghaiMonthStart(new Date(bucketMs)).getTime();

/** The tables keyed by shop × agent × platform × kind × bucket. */
export type RollupTable = typeof metricHourly | typeof metricDaily | typeof metricMonthly;
/** Every table with the full counters: the keyed ones, and metric_shop_daily (shop × day only). */
export type CounterTable = RollupTable | typeof metricShopDaily;

export function isKeyedTable(table: CounterTable): table is RollupTable {
  return table !== metricShopDaily;
}


export function getBucketColumn(table: CounterTable) {
  if (table === metricHourly) return metricHourly.hourStart;
  if (table === metricMonthly) return metricMonthly.monthStart;
  return table === metricDaily ? metricDaily.dayStart : metricShopDaily.dayStart;
}

export function getTableCounterColumns(table: CounterTable) {
  return {
    received: table.received,
    receivedInScoringHours: table.receivedInScoringHours,
    answered: table.answered,
    answeredWithin3Min: table.answeredWithin3Min,
    answeredWithin3MinInScoringHours: table.answeredWithin3MinInScoringHours,
    approved: table.approved,
    rejected: table.rejected,
    rejectedWithoutReasonOrEvidence: table.rejectedWithoutReasonOrEvidence,
    autoAnswered: table.autoAnswered,
    intervention: table.intervention,
    refundFen: table.refundFen,
    returnFreightFen: table.returnFreightFen,
    responseMsTotal: table.responseMsTotal,
    responseHistogram: table.responseHistogram,
  };
}

/** A row's key values in the order of getKeyColumns: the shop-daily table is keyed by shop and day only. */
export function getKeyValues(table: CounterTable, key: StoredKey, bucketMs: number): (string | number)[] {
  return isKeyedTable(table) ? [key.shopId, key.agentId, key.platform, key.kind, bucketMs] : [key.shopId, bucketMs];
}

export function getKeyColumns(table: CounterTable) {
  return isKeyedTable(table) ? [table.shopId, table.agentId, table.platform, table.kind, getBucketColumn(table)] : [table.shopId, table.dayStart];
}

export function getRowWhere(table: CounterTable): string {
  return getKeyColumns(table)
    .map((column) => `"${column.name}" = ?`)
    .join(" and ");
}

export const scalarCounterNames = (Object.keys(createEmptyRollup()) as (keyof RollupCounters)[]).filter(
  (name): name is Exclude<keyof RollupCounters, "responseHistogram"> => name !== "responseHistogram",
);

// Merging allocates a new rollup per call; a page sums thousands of rows several ways, so it adds in place
export function addInto(target: RollupCounters, source: RollupCounters): void {
  if (target.responseHistogram.length !== source.responseHistogram.length) throw new RangeError("Histograms differ in length");
  for (const name of scalarCounterNames) target[name] += source[name];
  for (let index = 0; index < source.responseHistogram.length; index += 1) target.responseHistogram[index] += source.responseHistogram[index];
}
