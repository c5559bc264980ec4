import { eq, getTableName, sql } from "drizzle-orm";
import { requests } from "@/db/schema";
import { metricDaily, metricHourly, metricMonthly, metricShopDaily } from "@/db/schema-metrics";
import { runBeforeCommit } from "@/db/client";
import { getDialect } from "@/db/dialect";
import { jsonArrayElementAdded, toNumberArray } from "@/db/dialect-metrics";
import { getRaw, runRawTogether } from "@/db/raw";
import { getPrepared } from "@/db/statements";
import { addCardInto, createEmptyRollup, defaultRollupPolicy, type CardFacts, type RollupCounters, type RollupPolicy } from "@/lib/metrics/response-metrics";
import { getShanghaiHourBucket, getShanghaiMonthStart } from "@/lib/time";
import { getRollupSourceColumns, toCardFacts, type RollupSource } from "@/db/queries/metrics/card-facts";
import { rebuildShopHours } from "@/db/queries/metrics/rebuild";
import {
  getDayBucket,
  getKeyColumns,
  getKeyValues,
  getRowWhere,
  getStoredKey,
  getTableCounterColumns,
  isKeyedTable,
  scalarCounterNames,
  type CounterTable,
  type StoredKey,
  type Writer,
} from "@/db/queries/metrics/tables";

// Keeping the rollups current: each change to a card is counted inside the caller's transaction

// A card written without going through the rollup (a test factory, an import) leaves its hour short:
// a negative counter, or counters left with no card, shows it, and that hour is then recomputed exactly
function isConsistent(counters: RollupCounters): boolean {
  const { responseHistogram, ...scalars } = counters;
  const values = [...Object.values(scalars), ...responseHistogram];
  if (values.some((value) => value < 0)) return false;
  return counters.received > 0 || values.every((value) => value === 0);
}

/** One rollup row a change touched. */
type TouchedRow = { table: CounterTable; key: StoredKey; bucketMs: number };

/**
 * Adds (sign 1) or takes back (sign -1) one card's counters in its hourly, daily, monthly, shop-daily
 * and shop-hourly rows, each one upsert that adds in SQL with a statement prepared once: no read first.
 */
async function addSignedCard(writer: Writer, facts: CardFacts, sign: 1 | -1, policy: RollupPolicy): Promise<TouchedRow[]> {
  const counters = createEmptyRollup();
  addCardInto(counters, facts, policy);
  const key = getStoredKey(facts);
  const hourStartMs = getShanghaiHourBucket(facts.receivedAt).getTime();
  const histogramIndex = counters.responseHistogram.findIndex((count) => count > 0);
  const scalars = scalarCounterNames.map((name) => sign * counters[name]);
  const histogram = JSON.stringify(counters.responseHistogram.map((count) => sign * count));
  const dayStartMs = getDayBucket(facts.receivedAt).getTime();
  const touched: TouchedRow[] = [
    { table: metricHourly, key, bucketMs: hourStartMs },
    { table: metricDaily, key, bucketMs: dayStartMs },
    { table: metricMonthly, key, bucketMs: getShanghaiMonthStart(facts.receivedAt).getTime() },
    { table: metricShopDaily, key, bucketMs: dayStartMs },
  ];
  // Five rows of five tables: on PostgreSQL one statement, so the round trips made while their locks are held are few
  // (docs/postgres.md#hot-rows); on SQLite five prepared statements
  await runRawTogether(writer, [
    ...touched.map(({ table, bucketMs }) => ({ text: getAddingUpsertSql(table, histogramIndex, sign), params: [...getKeyValues(table, key, bucketMs), ...scalars, histogram] })),
    {
      // The existing row's columns are qualified: PostgreSQL finds a bare name ambiguous beside excluded's
      text: `insert into "metric_shop_hourly" ("shop_id", "hour_start", "received", "answered", "answered_within_3min") values (?, ?, ?, ?, ?)
     on conflict ("shop_id", "hour_start") do update set "received" = "metric_shop_hourly"."received" + excluded."received", "answered" = "metric_shop_hourly"."answered" + excluded."answered", "answered_within_3min" = "metric_shop_hourly"."answered_within_3min" + excluded."answered_within_3min"`,
      params: [key.shopId, hourStartMs, sign * counters.received, sign * counters.answered, sign * counters.answeredWithin3Min],
    },
  ]);
  return touched;
}

async function isTouchedRowConsistent(writer: Writer, { table, key, bucketMs }: TouchedRow): Promise<boolean> {
  const counterColumns = getTableCounterColumns(table);
  const row = await getRaw<Record<string, unknown>>(
    writer,
    `select ${scalarCounterNames.map((name) => `"${counterColumns[name].name}" as "${name}"`).join(", ")}, "${table.responseHistogram.name}" as "responseHistogram"
       from "${getTableName(table)}" where ${getRowWhere(table)}`,
    getKeyValues(table, key, bucketMs),
  );
  if (!row) return true;
  // PostgreSQL returns its bigint sums as strings and the jsonb histogram parsed
  const counters = createEmptyRollup();
  for (const name of scalarCounterNames) counters[name] = Number(row[name]);
  return isConsistent({ ...counters, responseHistogram: toNumberArray(row.responseHistogram) });
}

/**
 * Moves one card from what it was (`before`, null when new) to what it is (`after`, null when deleted)
 * in the rollups, by taking back and adding its facts. Call it in the same transaction as the change
 * to the request row. A card's receipt never changes, so both sides fall in one shop-hour; if a row
 * it touched turns out to have drifted, that hour is recomputed from the requests instead.
 */
export async function applyRollupChange(
  writer: Writer,
  before: RollupSource | null,
  after: RollupSource | null,
  policy: RollupPolicy = defaultRollupPolicy,
): Promise<void> {
  // The hottest rows of all: on PostgreSQL written just before the commit, so their locks are held that long only
  await runBeforeCommit(writer, () => applyRollupChangeNow(writer, before, after, policy));
}

async function applyRollupChangeNow(writer: Writer, before: RollupSource | null, after: RollupSource | null, policy: RollupPolicy): Promise<void> {
  const card = after ?? before;
  if (!card) return;
  const left = before ? await addSignedCard(writer, toCardFacts(before), -1, policy) : [];
  const joined = after ? await addSignedCard(writer, toCardFacts(after), 1, policy) : [];
  // Only adding cannot take a row below zero or empty it, so a new card needs no check; its hour is checked at its decision
  if (!before) return;
  const hourStartMs = getShanghaiHourBucket(card.receivedAt).getTime();
  // A day's or month's row holds its hour's row and more, so when the hourly rows stay consistent the coarser ones do too
  let isConsistentNow = true;
  for (const row of [...left, ...joined]) {
    if (row.table === metricHourly && !(await isTouchedRowConsistent(writer, row))) {
      isConsistentNow = false;
      break;
    }
  }
  if (!isConsistentNow) {
    await rebuildShopHours(writer, card.shopId, [hourStartMs], policy);
    return;
  }
  // A row whose last card moved away goes, as a rebuild would not write it; the shop's rows keep the card while it exists
  await runRawTogether(writer, [
    ...left
      .filter(({ table }) => !after || isKeyedTable(table))
      .map(({ table, key, bucketMs }) => ({ text: `delete from "${getTableName(table)}" where ${getRowWhere(table)} and "${table.received.name}" = 0`, params: getKeyValues(table, key, bucketMs) })),
    ...(after ? [] : [{ text: `delete from "metric_shop_hourly" where "shop_id" = ? and "hour_start" = ? and "received" = 0`, params: [card.shopId, hourStartMs] }]),
  ]);
}

/** A card just received (e.g. by the platform webhook): count it, in the transaction that stores it. */
export async function addReceivedToRollup(writer: Writer, card: RollupSource, policy: RollupPolicy = defaultRollupPolicy): Promise<void> {
  await applyRollupChange(writer, null, card, policy);
}

const addingUpsertSql = new Map<string, string>();

/** Insert the row, or add to it: every scalar summed, and one histogram bucket moved by `sign` when the card has an answer. */
function getAddingUpsertSql(table: CounterTable, histogramIndex: number, sign: 1 | -1): string {
  const cacheKey = `${getDialect()}|${getTableName(table)}|${histogramIndex}|${sign}`;
  const cached = addingUpsertSql.get(cacheKey);
  if (cached) return cached;
  const counterColumns = getTableCounterColumns(table);
  const scalarColumns = scalarCounterNames.map((name) => counterColumns[name].name);
  const keyColumns = getKeyColumns(table).map((column) => column.name);
  const columns = [...keyColumns, ...scalarColumns, table.responseHistogram.name];
  // The existing row's columns are qualified: PostgreSQL finds a bare name ambiguous beside excluded's
  const existing = (column: string) => `"${getTableName(table)}"."${column}"`;
  const sets = scalarColumns.map((column) => `"${column}" = ${existing(column)} + excluded."${column}"`);
  if (histogramIndex >= 0) sets.push(`"${table.responseHistogram.name}" = ${jsonArrayElementAdded(existing(table.responseHistogram.name), histogramIndex, sign)}`);
  const text = `insert into "${getTableName(table)}" (${columns.map((column) => `"${column}"`).join(", ")}) values (${columns.map(() => "?").join(", ")})
    on conflict (${keyColumns.map((column) => `"${column}"`).join(", ")}) do update set ${sets.join(", ")}`;
  addingUpsertSql.set(cacheKey, text);
  return text;
}

/**
 * After decideRequest's conditional update of a pending card and its audit row: the row as it was is
 * the same row with the decision fields still empty, so one read gives both sides.
 */
export async function applyDecisionToRollup(writer: Writer, requestId: string, policy: RollupPolicy = defaultRollupPolicy): Promise<void> {
  // Prepared once per connection on SQLite (it runs inside every decision); PostgreSQL runs the same select
  const [after] =
    getDialect() === "sqlite"
      ? [getPrepared(writer, "metrics:rollup-source", () => writer.select(getRollupSourceColumns()).from(requests).where(eq(requests.id, sql.placeholder("requestId"))).prepare()).get({ requestId })]
      : await writer.select(getRollupSourceColumns()).from(requests).where(eq(requests.id, requestId)).limit(1);
  if (!after) throw new Error(`No request ${requestId} to count`);
  const before: RollupSource = { ...after, status: "pending", decidedAt: null, decidedBy: null, rejectReasonCode: null, rejectMessage: null, rejectEvidenceCount: 0 };
  await applyRollupChange(writer, before, after, policy);
}
