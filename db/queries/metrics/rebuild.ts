import { and, eq, getTableName, gte, lt, sql } from "drizzle-orm";
import { transact } from "@/db/client";
import type { Db } from "@/db/client";
import { requests, shops } from "@/db/schema";
import { metricDaily, metricHourly, metricMonthly, metricShopDaily, metricShopHourly } from "@/db/schema-metrics";
import { runRaw } from "@/db/raw";
import { addCardInto, createEmptyRollup, defaultRollupPolicy, type RollupCounters, type RollupPolicy } from "@/lib/metrics/response-metrics";
import { dayMs, getNextShanghaiMonthStart, getShanghaiHourBucket, hourMs } from "@/lib/time";
import { getRollupSourceColumns, toCardFacts } from "@/db/queries/metrics/card-facts";
import {
  addInto,
  getBucketColumn,
  getDayBucket,
  getKeyColumns,
  getKeyValues,
  getStoredKey,
  getTableCounterColumns,
  pickCounters,
  scalarCounterNames,
  toDayMs,
  toMonthMs,
  type CounterTable,
  type StoredKey,
  type Writer,
} from "@/db/queries/metrics/tables";

// Exact rebuilds: every rollup recomputed from the requests, or one shop's hours when they drifted

/** Rewrites a shop's metric_shop_hourly rows in [startMs, endMs) as the sums of its metric_hourly rows there. */
async function refreshShopHours(writer: Writer, shopId: string, startMs: number, endMs: number): Promise<void> {
  const start = new Date(startMs);
  const end = new Date(endMs);
  await writer.delete(metricShopHourly).where(and(eq(metricShopHourly.shopId, shopId), gte(metricShopHourly.hourStart, start), lt(metricShopHourly.hourStart, end)));
  await writer
    .insert(metricShopHourly)
    .select(
      writer
        .select({
          shopId: metricHourly.shopId,
          hourStart: metricHourly.hourStart,
          received: sql<number>`sum(${metricHourly.received})`.as("received"),
          answered: sql<number>`sum(${metricHourly.answered})`.as("answered"),
          answeredWithin3Min: sql<number>`sum(${metricHourly.answeredWithin3Min})`.as("answered_within_3min"),
        })
        .from(metricHourly)
        .where(and(eq(metricHourly.shopId, shopId), gte(metricHourly.hourStart, start), lt(metricHourly.hourStart, end)))
        // Both selected columns: PostgreSQL refuses a column that is neither grouped nor aggregated
        .groupBy(metricHourly.shopId, metricHourly.hourStart),
    );
}

type StoredRow = StoredKey & { bucketMs: number; counters: RollupCounters };

function getOrAddRow(target: Map<string, StoredRow>, key: StoredKey, bucketMs: number): RollupCounters {
  const mapKey = `${key.shopId}|${key.agentId}|${key.platform}|${key.kind}|${bucketMs}`;
  let row = target.get(mapKey);
  if (!row) {
    row = { ...key, bucketMs, counters: createEmptyRollup() };
    target.set(mapKey, row);
  }
  return row.counters;
}

/** Rows per multi-row insert: 19 values each, well under either engine's limit on one statement's values. */
const insertChunkRows = 100;

/**
 * The full rebuild writes a year of rows (~750k at 1M requests): hand-written inserts of a hundred rows each,
 * the same text every time (prepared once per connection), instead of drizzle building a multi-row insert,
 * which cost most of the rebuild's time; the rows left over go one by one, so only two texts per table.
 */
async function insertRows(writer: Writer, table: CounterTable, rows: Iterable<StoredRow>): Promise<void> {
  const columns = [...getKeyColumns(table), ...scalarCounterNames.map((name) => getTableCounterColumns(table)[name]), table.responseHistogram];
  const getText = (rowCount: number) =>
    `insert into "${getTableName(table)}" (${columns.map((column) => `"${column.name}"`).join(", ")}) values ${Array.from({ length: rowCount }, () => `(${columns.map(() => "?").join(", ")})`).join(", ")}`;
  const chunkText = getText(insertChunkRows);
  const rowText = getText(1);
  let values: (string | number)[] = [];
  let pending = 0;
  for (const { bucketMs, counters, ...key } of rows) {
    values.push(...getKeyValues(table, key, bucketMs), ...scalarCounterNames.map((name) => counters[name]), JSON.stringify(counters.responseHistogram));
    if (++pending === insertChunkRows) {
      await runRaw(writer, chunkText, values);
      values = [];
      pending = 0;
    }
  }
  for (let at = 0; at < values.length; at += columns.length) await runRaw(writer, rowText, values.slice(at, at + columns.length));
}

/** Coarser rows as sums of finer ones (hours into days, days into months), so the tables can never disagree after a rebuild. */
function sumInto(target: Map<string, StoredRow>, rows: Iterable<StoredRow>, getBucketMs: (bucketMs: number) => number): Map<string, StoredRow> {
  for (const { counters, bucketMs, ...key } of rows) addInto(getOrAddRow(target, key, getBucketMs(bucketMs)), counters);
  return target;
}

/** Daily rows summed per shop and day for metric_shop_daily (their agent, platform and kind no longer matter). */
function sumIntoShopDays(dailyRows: Iterable<StoredRow>): StoredRow[] {
  const shopDays = new Map<string, StoredRow>();
  for (const row of dailyRows) {
    const mapKey = `${row.shopId}|${row.bucketMs}`;
    let sum = shopDays.get(mapKey);
    if (!sum) {
      sum = { ...row, counters: createEmptyRollup() };
      shopDays.set(mapKey, sum);
    }
    addInto(sum.counters, row.counters);
  }
  return [...shopDays.values()];
}

async function scanHourly(writer: Writer, shopId: string, start: Date, end: Date, into: Map<string, StoredRow>, policy: RollupPolicy): Promise<number> {
  const rows = await writer
    .select(getRollupSourceColumns())
    .from(requests)
    .where(and(eq(requests.shopId, shopId), gte(requests.receivedAt, start), lt(requests.receivedAt, end)));
  for (const row of rows) {
    const facts = toCardFacts(row);
    addCardInto(getOrAddRow(into, getStoredKey(facts), getShanghaiHourBucket(facts.receivedAt).getTime()), facts, policy);
  }
  return rows.length;
}

const rebuildChunkMs = 14 * dayMs;

/** Recomputes every rollup from the requests, shop by shop (one transaction each), in chunks so a year of history fits in memory. */
export async function rebuildRollups(db: Db, policy: RollupPolicy = defaultRollupPolicy): Promise<{ cards: number }> {
  let cards = 0;
  for (const { id: shopId } of await db.select({ id: shops.id }).from(shops)) {
    await transact(db, async (tx) => {
      await tx.delete(metricHourly).where(eq(metricHourly.shopId, shopId));
      await tx.delete(metricDaily).where(eq(metricDaily.shopId, shopId));
      await tx.delete(metricMonthly).where(eq(metricMonthly.shopId, shopId));
      await tx.delete(metricShopDaily).where(eq(metricShopDaily.shopId, shopId));
      await tx.delete(metricShopHourly).where(eq(metricShopHourly.shopId, shopId));
      const [bounds] = await tx
        .select({ first: sql<number | null>`min(${requests.receivedAt})`.mapWith(Number), last: sql<number | null>`max(${requests.receivedAt})`.mapWith(Number) })
        .from(requests)
        .where(eq(requests.shopId, shopId));
      if (bounds?.first == null || bounds.last == null) return;
      // A shop-year is a few thousand monthly rows: they are summed across the chunks and written last
      const monthly = new Map<string, StoredRow>();
      // Chunks start on a Shanghai day so each day's hours are complete before its daily rows are written
      for (let chunkStartMs = getDayBucket(new Date(bounds.first)).getTime(); chunkStartMs <= bounds.last; chunkStartMs += rebuildChunkMs) {
        const hourly = new Map<string, StoredRow>();
        cards += await scanHourly(tx, shopId, new Date(chunkStartMs), new Date(chunkStartMs + rebuildChunkMs), hourly, policy);
        await insertRows(tx, metricHourly, hourly.values());
        const daily = [...sumInto(new Map(), hourly.values(), toDayMs).values()];
        await insertRows(tx, metricDaily, daily);
        await insertRows(tx, metricShopDaily, sumIntoShopDays(daily));
        sumInto(monthly, daily, toMonthMs);
        await refreshShopHours(tx, shopId, chunkStartMs, chunkStartMs + rebuildChunkMs);
      }
      await insertRows(tx, metricMonthly, monthly.values());
    });
  }
  return { cards };
}

/** A shop's rows of a finer keyed table in [start, end), to be summed into a coarser one. */
async function readStoredRows(writer: Writer, table: typeof metricHourly | typeof metricDaily, shopId: string, start: Date, end: Date): Promise<StoredRow[]> {
  const bucket = getBucketColumn(table);
  const rows = await writer
    .select({ ...getTableCounterColumns(table), agentId: table.agentId, platform: table.platform, kind: table.kind, bucketStart: bucket })
    .from(table)
    .where(and(eq(table.shopId, shopId), gte(bucket, start), lt(bucket, end)));
  return rows.map(({ agentId, platform, kind, bucketStart, ...counters }) => ({ shopId, agentId, platform, kind, bucketMs: bucketStart.getTime(), counters: pickCounters(counters) }));
}

/** Recomputes one shop's hourly rows of the given hours, then its daily and monthly rows of their days and months from the finer rows. */
export async function rebuildShopHours(writer: Writer, shopId: string, hourStartsMs: readonly number[], policy: RollupPolicy): Promise<void> {
  for (const hourStartMs of hourStartsMs) {
    const hourStart = new Date(hourStartMs);
    await writer.delete(metricHourly).where(and(eq(metricHourly.shopId, shopId), eq(metricHourly.hourStart, hourStart)));
    const hourly = new Map<string, StoredRow>();
    await scanHourly(writer, shopId, hourStart, new Date(hourStartMs + hourMs), hourly, policy);
    await insertRows(writer, metricHourly, hourly.values());
    await refreshShopHours(writer, shopId, hourStartMs, hourStartMs + hourMs);
  }
  for (const dayStartMs of new Set(hourStartsMs.map((hourStartMs) => getDayBucket(new Date(hourStartMs)).getTime()))) {
    await writer.delete(metricDaily).where(and(eq(metricDaily.shopId, shopId), eq(metricDaily.dayStart, new Date(dayStartMs))));
    await writer.delete(metricShopDaily).where(and(eq(metricShopDaily.shopId, shopId), eq(metricShopDaily.dayStart, new Date(dayStartMs))));
    const daily = [...sumInto(new Map(), await readStoredRows(writer, metricHourly, shopId, new Date(dayStartMs), new Date(dayStartMs + dayMs)), toDayMs).values()];
    await insertRows(writer, metricDaily, daily);
    await insertRows(writer, metricShopDaily, sumIntoShopDays(daily));
  }
  for (const monthStartMs of new Set(hourStartsMs.map(toMonthMs))) {
    const [start, end] = [new Date(monthStartMs), getNextShanghaiMonthStart(new Date(monthStartMs))];
    await writer.delete(metricMonthly).where(and(eq(metricMonthly.shopId, shopId), eq(metricMonthly.monthStart, start)));
    await insertRows(writer, metricMonthly, sumInto(new Map(), await readStoredRows(writer, metricDaily, shopId, start, end), toMonthMs).values());
  }
}
