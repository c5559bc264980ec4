import { and, eq, getTableName, gte, inArray, isNotNull, lt, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { requests, shops, users } from "@/db/schema";
import { metricDaily, metricHourly, metricMonthly, metricShopDaily, metricShopHourly, unansweredAgentId } from "@/db/schema-metrics";
import type { Scope } from "@/db/queries/users";
import { getPrepared, getStatement } from "@/db/statements";
import type { Platform, RequestKind } from "@/lib/domain";
import {
  addCardInto,
  compareWithPrevious,
  createEmptyRollup,
  defaultRollupPolicy,
  getRangeFigures,
  getRollupKey,
  ruleAgentId,
  type CardFacts,
  type RollupCounters,
  type RollupPolicy,
  type TimeRange,
} from "@/lib/metrics/response-metrics";
import { awayGapMs, getMedianSeconds, measureHandleTimes, toHandleProfile } from "@/lib/metrics/handle-time";
import { getPeriodDays, type ReportRange } from "@/lib/metrics/report-range";
import type { BreakdownRow, LiveHourStatus, MetricsReport, StaffingForecast } from "@/lib/metrics/report-types";
import { isExemptFromScoring, isInScoringHours, platformScoring } from "@/lib/metrics/scoring-window";
import {
  dayMs,
  getShanghaiDay,
  getShanghaiDayStart,
  getShanghaiHourBucket,
  getShanghaiHourOfDay,
  getShanghaiMonthStart,
  getShanghaiWeekday,
  getNextShanghaiMonthStart,
  hourMs,
} from "@/lib/metrics/shanghai-time";
import { forecastArrivals, planStaffing } from "@/lib/metrics/staffing";
import { getPolicyProfile } from "@/lib/policy/profiles";
import { getRejectionRequirements } from "@/lib/policy/rejection";

// ---------------------------------------------------------------------------------------------
// From a request row to the facts a rollup counts
// ---------------------------------------------------------------------------------------------

/** The request columns the rollups depend on; any change to one of them must go through applyRollupChange. */
export type RollupSource = Pick<
  typeof requests.$inferSelect,
  "shopId" | "platform" | "kind" | "status" | "receivedAt" | "decidedAt" | "decidedBy" | "rejectReasonCode" | "rejectMessage" | "amountFen"
> & {
  /** Proof files the seller attached to the rejection (the "rejected" audit row's evidenceIds); 0 otherwise. */
  rejectEvidenceCount: number;
};

const rollupSourceColumns = {
  shopId: requests.shopId,
  platform: requests.platform,
  kind: requests.kind,
  status: requests.status,
  receivedAt: requests.receivedAt,
  decidedAt: requests.decidedAt,
  decidedBy: requests.decidedBy,
  rejectReasonCode: requests.rejectReasonCode,
  rejectMessage: requests.rejectMessage,
  amountFen: requests.amountFen,
  // The latest rejection's proof, from its audit row (audit_request_idx); decisions keep no proof column of their own
  // Spelled out: drizzle leaves columns unqualified here, and "id" would bind to audit_log's own id
  // Only a rejected card looks (CASE skips the subquery otherwise, which a rebuild of a million cards notices)
  rejectEvidenceCount: sql<number>`case when "requests"."status" = 'rejected' then coalesce((select json_array_length(a.detail, '$.evidenceIds') from audit_log a where a.request_id = "requests"."id" and a.action = 'rejected' order by a.at desc limit 1), 0) else 0 end`,
};

const refundKinds: readonly RequestKind[] = ["refund_only", "return_refund"];

function isRejectEvidenceRequired(row: RollupSource): boolean {
  // The card is already rejected, so "may it be rejected at all" is moot: only the evidence requirement is read
  const requirement = getRejectionRequirements(getPolicyProfile(row.platform), { shippedAt: row.receivedAt }, { kind: row.kind }, row.rejectReasonCode).find(
    (candidate) => candidate.code === "evidence",
  );
  return requirement?.code === "evidence" && requirement.isRequired;
}

/**
 * A decision is the card's first answer; a decision without a person is a rule's (docs/domain/automatic-rules.md). Nothing
 * records platform intervention or seller-paid return freight yet, so both are 0 (the page says so).
 */
export function toCardFacts(row: RollupSource): CardFacts {
  const isRejected = row.status === "rejected";
  return {
    shopId: row.shopId,
    platform: row.platform,
    kind: row.kind,
    receivedAt: row.receivedAt,
    answeredAt: row.decidedAt,
    answeredBy: row.decidedAt ? (row.decidedBy ?? ruleAgentId) : null,
    status: row.status,
    hasRejectReason: isRejected && Boolean(row.rejectReasonCode) && Boolean(row.rejectMessage?.trim()),
    // Rejecting without proof where the platform or the reason calls for it counts as 卖家有责 (docs/metrics.md)
    hasRejectEvidence: isRejected && (row.rejectEvidenceCount > 0 || !isRejectEvidenceRequired(row)),
    hasIntervention: false,
    refundFen: row.status === "approved" && refundKinds.includes(row.kind) ? row.amountFen : 0,
    returnFreightFen: 0,
  };
}

/** Which of the figures have a source that records them today. */
export const recordedSources: MetricsReport["recordedSources"] = { intervention: false, returnFreight: false };

// ---------------------------------------------------------------------------------------------
// Writing: incremental (inside the caller's transaction) and exact rebuilds
// ---------------------------------------------------------------------------------------------

/** A db or a transaction: every write here is synchronous so it can join the caller's transaction. */
type Writer = Pick<Db, "select" | "insert" | "delete">;

type StoredKey = { shopId: string; agentId: string; platform: Platform; kind: RequestKind };

function getStoredKey(facts: CardFacts): StoredKey {
  const key = getRollupKey(facts);
  return { shopId: key.shopId, agentId: key.agentId ?? unansweredAgentId, platform: key.platform, kind: key.kind };
}

function pickCounters(row: RollupCounters): RollupCounters {
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

// A card written without going through the rollup (a test factory, an import) leaves its hour short:
// a negative counter, or counters left with no card, shows it, and that hour is then recomputed exactly
function isConsistent(counters: RollupCounters): boolean {
  const { responseHistogram, ...scalars } = counters;
  const values = [...Object.values(scalars), ...responseHistogram];
  if (values.some((value) => value < 0)) return false;
  return counters.received > 0 || values.every((value) => value === 0);
}

function getDayBucket(instant: Date): Date {
  return getShanghaiDayStart(getShanghaiDay(instant));
}

/** One rollup row a change touched. */
type TouchedRow = { table: CounterTable; key: StoredKey; bucketMs: number };

/** A row's key values in the order of getKeyColumns: the shop-daily table is keyed by shop and day only. */
function getKeyValues(table: CounterTable, key: StoredKey, bucketMs: number): (string | number)[] {
  return isKeyedTable(table) ? [key.shopId, key.agentId, key.platform, key.kind, bucketMs] : [key.shopId, bucketMs];
}

/**
 * Adds (sign 1) or takes back (sign -1) one card's counters in its hourly, daily, monthly, shop-daily
 * and shop-hourly rows, each one upsert that adds in SQL with a statement prepared once: no read first.
 */
function addSignedCard(writer: Writer, facts: CardFacts, sign: 1 | -1, policy: RollupPolicy): TouchedRow[] {
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
  for (const { table, bucketMs } of touched) {
    getStatement(writer, getAddingUpsertSql(table, histogramIndex, sign)).run(...getKeyValues(table, key, bucketMs), ...scalars, histogram);
  }
  getStatement(
    writer,
    `insert into "metric_shop_hourly" ("shop_id", "hour_start", "received", "answered", "answered_within_3min") values (?, ?, ?, ?, ?)
     on conflict ("shop_id", "hour_start") do update set "received" = "received" + excluded."received", "answered" = "answered" + excluded."answered", "answered_within_3min" = "answered_within_3min" + excluded."answered_within_3min"`,
  ).run(key.shopId, hourStartMs, sign * counters.received, sign * counters.answered, sign * counters.answeredWithin3Min);
  return touched;
}

function getKeyColumns(table: CounterTable) {
  return isKeyedTable(table) ? [table.shopId, table.agentId, table.platform, table.kind, getBucketColumn(table)] : [table.shopId, table.dayStart];
}

function getRowWhere(table: CounterTable): string {
  return getKeyColumns(table)
    .map((column) => `"${column.name}" = ?`)
    .join(" and ");
}

function isTouchedRowConsistent(writer: Writer, { table, key, bucketMs }: TouchedRow): boolean {
  const counterColumns = getTableCounterColumns(table);
  const row = getStatement(
    writer,
    `select ${scalarCounterNames.map((name) => `"${counterColumns[name].name}" as "${name}"`).join(", ")}, "${table.responseHistogram.name}" as "responseHistogram"
       from "${getTableName(table)}" where ${getRowWhere(table)}`,
  ).get(...getKeyValues(table, key, bucketMs)) as (Omit<RollupCounters, "responseHistogram"> & { responseHistogram: string }) | undefined;
  return !row || isConsistent({ ...row, responseHistogram: JSON.parse(row.responseHistogram) as number[] });
}

/**
 * Moves one card from what it was (`before`, null when new) to what it is (`after`, null when deleted)
 * in the rollups, by taking back and adding its facts. Call it in the same transaction as the change
 * to the request row. A card's receipt never changes, so both sides fall in one shop-hour; if a row
 * it touched turns out to have drifted, that hour is recomputed from the requests instead.
 */
export function applyRollupChange(
  writer: Writer,
  before: RollupSource | null,
  after: RollupSource | null,
  policy: RollupPolicy = defaultRollupPolicy,
): void {
  const card = after ?? before;
  if (!card) return;
  const left = before ? addSignedCard(writer, toCardFacts(before), -1, policy) : [];
  const joined = after ? addSignedCard(writer, toCardFacts(after), 1, policy) : [];
  // Only adding cannot take a row below zero or empty it, so a new card needs no check; its hour is checked at its decision
  if (!before) return;
  const hourStartMs = getShanghaiHourBucket(card.receivedAt).getTime();
  // A day's or month's row holds its hour's row and more, so when the hourly rows stay consistent the coarser ones do too
  if (![...left, ...joined].every((row) => row.table !== metricHourly || isTouchedRowConsistent(writer, row))) {
    rebuildShopHours(writer, card.shopId, [hourStartMs], policy);
    return;
  }
  // A row whose last card moved away goes, as a rebuild would not write it; the shop's rows keep the card while it exists
  for (const { table, key, bucketMs } of left) {
    if (after && !isKeyedTable(table)) continue;
    getStatement(writer, `delete from "${getTableName(table)}" where ${getRowWhere(table)} and "${table.received.name}" = 0`).run(...getKeyValues(table, key, bucketMs));
  }
  if (!after) getStatement(writer, `delete from "metric_shop_hourly" where "shop_id" = ? and "hour_start" = ? and "received" = 0`).run(card.shopId, hourStartMs);
}

/** Rewrites a shop's metric_shop_hourly rows in [startMs, endMs) as the sums of its metric_hourly rows there. */
function refreshShopHours(writer: Writer, shopId: string, startMs: number, endMs: number): void {
  const start = new Date(startMs);
  const end = new Date(endMs);
  writer
    .delete(metricShopHourly)
    .where(and(eq(metricShopHourly.shopId, shopId), gte(metricShopHourly.hourStart, start), lt(metricShopHourly.hourStart, end)))
    .run();
  writer
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
        .groupBy(metricHourly.hourStart),
    )
    .run();
}

/** A card just received (e.g. by the platform webhook): count it, in the transaction that stores it. */
export function addReceivedToRollup(writer: Writer, card: RollupSource, policy: RollupPolicy = defaultRollupPolicy): void {
  applyRollupChange(writer, null, card, policy);
}

const addingUpsertSql = new Map<string, string>();

/** Insert the row, or add to it: every scalar summed, and one histogram bucket moved by `sign` when the card has an answer. */
function getAddingUpsertSql(table: CounterTable, histogramIndex: number, sign: 1 | -1): string {
  const cacheKey = `${getTableName(table)}|${histogramIndex}|${sign}`;
  const cached = addingUpsertSql.get(cacheKey);
  if (cached) return cached;
  const counterColumns = getTableCounterColumns(table);
  const scalarColumns = scalarCounterNames.map((name) => counterColumns[name].name);
  const keyColumns = getKeyColumns(table).map((column) => column.name);
  const columns = [...keyColumns, ...scalarColumns, table.responseHistogram.name];
  const histogram = `"${table.responseHistogram.name}"`;
  const sets = scalarColumns.map((column) => `"${column}" = "${column}" + excluded."${column}"`);
  if (histogramIndex >= 0) sets.push(`${histogram} = json_set(${histogram}, '$[${histogramIndex}]', json_extract(${histogram}, '$[${histogramIndex}]') + ${sign})`);
  const text = `insert into "${getTableName(table)}" (${columns.map((column) => `"${column}"`).join(", ")}) values (${columns.map(() => "?").join(", ")})
    on conflict (${keyColumns.map((column) => `"${column}"`).join(", ")}) do update set ${sets.join(", ")}`;
  addingUpsertSql.set(cacheKey, text);
  return text;
}

/**
 * After decideRequest's conditional update of a pending card and its audit row: the row as it was is
 * the same row with the decision fields still empty, so one read gives both sides.
 */
export function applyDecisionToRollup(writer: Writer, requestId: string, policy: RollupPolicy = defaultRollupPolicy): void {
  const after = getPrepared(writer, "metrics:rollup-source", () =>
    writer.select(rollupSourceColumns).from(requests).where(eq(requests.id, sql.placeholder("requestId"))).prepare(),
  ).get({ requestId });
  if (!after) throw new Error(`No request ${requestId} to count`);
  const before: RollupSource = { ...after, status: "pending", decidedAt: null, decidedBy: null, rejectReasonCode: null, rejectMessage: null, rejectEvidenceCount: 0 };
  applyRollupChange(writer, before, after, policy);
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

/**
 * The full rebuild writes a year of rows (~750k at 1M requests): one prepared statement run per row
 * instead of drizzle building a multi-row insert, which cost most of the rebuild's time.
 */
function insertRows(writer: Writer, table: CounterTable, rows: Iterable<StoredRow>): void {
  const columns = [...getKeyColumns(table), ...scalarCounterNames.map((name) => getTableCounterColumns(table)[name]), table.responseHistogram];
  const statement = getStatement(writer, `insert into "${getTableName(table)}" (${columns.map((column) => `"${column.name}"`).join(", ")}) values (${columns.map(() => "?").join(", ")})`);
  for (const { bucketMs, counters, ...key } of rows) {
    statement.run(...getKeyValues(table, key, bucketMs), ...scalarCounterNames.map((name) => counters[name]), JSON.stringify(counters.responseHistogram));
  }
}

/** Coarser rows as sums of finer ones (hours into days, days into months), so the tables can never disagree after a rebuild. */
function sumInto(target: Map<string, StoredRow>, rows: Iterable<StoredRow>, getBucketMs: (bucketMs: number) => number): Map<string, StoredRow> {
  for (const { counters, bucketMs, ...key } of rows) addInto(getOrAddRow(target, key, getBucketMs(bucketMs)), counters);
  return target;
}

const toDayMs = (bucketMs: number) => getDayBucket(new Date(bucketMs)).getTime();
const toMonthMs = (bucketMs: number) => getShanghaiMonthStart(new Date(bucketMs)).getTime();

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

function scanHourly(writer: Writer, shopId: string, start: Date, end: Date, into: Map<string, StoredRow>, policy: RollupPolicy): number {
  const rows = writer
    .select(rollupSourceColumns)
    .from(requests)
    .where(and(eq(requests.shopId, shopId), gte(requests.receivedAt, start), lt(requests.receivedAt, end)))
    .all();
  for (const row of rows) {
    const facts = toCardFacts(row);
    addCardInto(getOrAddRow(into, getStoredKey(facts), getShanghaiHourBucket(facts.receivedAt).getTime()), facts, policy);
  }
  return rows.length;
}

const rebuildChunkMs = 14 * dayMs;

/** Recomputes every rollup from the requests, shop by shop (one transaction each), in chunks so a year of history fits in memory. */
export function rebuildRollups(db: Db, policy: RollupPolicy = defaultRollupPolicy): { cards: number } {
  let cards = 0;
  for (const { id: shopId } of db.select({ id: shops.id }).from(shops).all()) {
    db.transaction((tx) => {
      tx.delete(metricHourly).where(eq(metricHourly.shopId, shopId)).run();
      tx.delete(metricDaily).where(eq(metricDaily.shopId, shopId)).run();
      tx.delete(metricMonthly).where(eq(metricMonthly.shopId, shopId)).run();
      tx.delete(metricShopDaily).where(eq(metricShopDaily.shopId, shopId)).run();
      tx.delete(metricShopHourly).where(eq(metricShopHourly.shopId, shopId)).run();
      const bounds = tx
        .select({ first: sql<number | null>`min(${requests.receivedAt})`, last: sql<number | null>`max(${requests.receivedAt})` })
        .from(requests)
        .where(eq(requests.shopId, shopId))
        .get();
      if (bounds?.first == null || bounds.last == null) return;
      // A shop-year is a few thousand monthly rows: they are summed across the chunks and written last
      const monthly = new Map<string, StoredRow>();
      // Chunks start on a Shanghai day so each day's hours are complete before its daily rows are written
      for (let chunkStartMs = getDayBucket(new Date(bounds.first)).getTime(); chunkStartMs <= bounds.last; chunkStartMs += rebuildChunkMs) {
        const hourly = new Map<string, StoredRow>();
        cards += scanHourly(tx, shopId, new Date(chunkStartMs), new Date(chunkStartMs + rebuildChunkMs), hourly, policy);
        insertRows(tx, metricHourly, hourly.values());
        const daily = [...sumInto(new Map(), hourly.values(), toDayMs).values()];
        insertRows(tx, metricDaily, daily);
        insertRows(tx, metricShopDaily, sumIntoShopDays(daily));
        sumInto(monthly, daily, toMonthMs);
        refreshShopHours(tx, shopId, chunkStartMs, chunkStartMs + rebuildChunkMs);
      }
      insertRows(tx, metricMonthly, monthly.values());
    });
  }
  return { cards };
}

/** A shop's rows of a finer keyed table in [start, end), to be summed into a coarser one. */
function readStoredRows(writer: Writer, table: typeof metricHourly | typeof metricDaily, shopId: string, start: Date, end: Date): StoredRow[] {
  const bucket = getBucketColumn(table);
  return writer
    .select({ ...getTableCounterColumns(table), agentId: table.agentId, platform: table.platform, kind: table.kind, bucketStart: bucket })
    .from(table)
    .where(and(eq(table.shopId, shopId), gte(bucket, start), lt(bucket, end)))
    .all()
    .map(({ agentId, platform, kind, bucketStart, ...counters }) => ({ shopId, agentId, platform, kind, bucketMs: bucketStart.getTime(), counters: pickCounters(counters) }));
}

/** Recomputes one shop's hourly rows of the given hours, then its daily and monthly rows of their days and months from the finer rows. */
function rebuildShopHours(writer: Writer, shopId: string, hourStartsMs: readonly number[], policy: RollupPolicy): void {
  for (const hourStartMs of hourStartsMs) {
    const hourStart = new Date(hourStartMs);
    writer.delete(metricHourly).where(and(eq(metricHourly.shopId, shopId), eq(metricHourly.hourStart, hourStart))).run();
    const hourly = new Map<string, StoredRow>();
    scanHourly(writer, shopId, hourStart, new Date(hourStartMs + hourMs), hourly, policy);
    insertRows(writer, metricHourly, hourly.values());
    refreshShopHours(writer, shopId, hourStartMs, hourStartMs + hourMs);
  }
  for (const dayStartMs of new Set(hourStartsMs.map((hourStartMs) => getDayBucket(new Date(hourStartMs)).getTime()))) {
    writer.delete(metricDaily).where(and(eq(metricDaily.shopId, shopId), eq(metricDaily.dayStart, new Date(dayStartMs)))).run();
    writer.delete(metricShopDaily).where(and(eq(metricShopDaily.shopId, shopId), eq(metricShopDaily.dayStart, new Date(dayStartMs)))).run();
    const daily = [...sumInto(new Map(), readStoredRows(writer, metricHourly, shopId, new Date(dayStartMs), new Date(dayStartMs + dayMs)), toDayMs).values()];
    insertRows(writer, metricDaily, daily);
    insertRows(writer, metricShopDaily, sumIntoShopDays(daily));
  }
  for (const monthStartMs of new Set(hourStartsMs.map(toMonthMs))) {
    const [start, end] = [new Date(monthStartMs), getNextShanghaiMonthStart(new Date(monthStartMs))];
    writer.delete(metricMonthly).where(and(eq(metricMonthly.shopId, shopId), eq(metricMonthly.monthStart, start))).run();
    insertRows(writer, metricMonthly, sumInto(new Map(), readStoredRows(writer, metricDaily, shopId, start, end), toMonthMs).values());
  }
}

// ---------------------------------------------------------------------------------------------
// Reading: the owner's report, from rollups only
// ---------------------------------------------------------------------------------------------

/** An agent sees other agents' cards only inside totals: their rows come back under this id. */
export const otherAgentsId = "*";

/** 3分钟响应率 target ≥ 90% (Taobao; docs/metrics.md). */
export const responseRateTarget = 0.9;

type ReadRow = StoredKey & { bucketStart: Date; counters: RollupCounters };

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

/** The tables keyed by shop × agent × platform × kind × bucket. */
type RollupTable = typeof metricHourly | typeof metricDaily | typeof metricMonthly;
/** Every table with the full counters: the keyed ones, and metric_shop_daily (shop × day only). */
type CounterTable = RollupTable | typeof metricShopDaily;

function isKeyedTable(table: CounterTable): table is RollupTable {
  return table !== metricShopDaily;
}

/** What a grouped read keeps apart: the full key (buckets summed), the time bucket (keys summed), or nothing (one total). */
type Grouping = "key" | "bucket" | "total";

function getBucketColumn(table: CounterTable) {
  if (table === metricHourly) return metricHourly.hourStart;
  if (table === metricMonthly) return metricMonthly.monthStart;
  return table === metricDaily ? metricDaily.dayStart : metricShopDaily.dayStart;
}

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
function readGrouped(db: Db, scope: Scope, shopIds: string[], table: CounterTable, startMs: number, endMs: number, grouping: Grouping): ReadRow[] {
  if (startMs >= endMs || shopIds.length === 0) return [];
  const bucket = getBucketColumn(table);
  const counters = getTableCounterColumns(table);
  const sums = Object.fromEntries(scalarCounterNames.map((name) => [name, sql<number>`sum(${counters[name]})`])) as Record<(typeof scalarCounterNames)[number], SQL<number>>;
  const key = getKeySelection(table, scope, grouping);
  const groupBy = { key: Object.values(key), bucket: [bucket], total: [] }[grouping];
  const rows = db
    .select({
      ...sums,
      // null only when a total has no row to sum
      histograms: sql<string | null>`group_concat(${table.responseHistogram}, ',')`,
      ...key,
      bucketStartMs: grouping === "bucket" ? sql<number>`${bucket}` : sql<number>`0`,
    })
    .from(table)
    .where(and(inArray(table.shopId, shopIds), gte(bucket, new Date(startMs)), lt(bucket, new Date(endMs))))
    .groupBy(...groupBy)
    .all();
  return rows.flatMap(({ histograms, shopId, agentId, platform, kind, bucketStartMs, ...scalars }) =>
    histograms === null ? [] : [{ shopId, agentId, platform, kind, bucketStart: new Date(bucketStartMs), counters: { ...scalars, responseHistogram: sumHistograms(histograms) } }],
  );
}

function getTableCounterColumns(table: CounterTable) {
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

function toReadRow(row: RollupCounters & StoredKey & { bucketStart: Date }): ReadRow {
  return { shopId: row.shopId, agentId: row.agentId, platform: row.platform, kind: row.kind, bucketStart: row.bucketStart, counters: pickCounters(row) };
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
function readRangeRows(db: Db, scope: Scope, shopIds: string[], range: TimeRange, grouping: Grouping): ReadRow[] {
  const read = (table: CounterTable, startMs: number, endMs: number) => readGrouped(db, scope, shopIds, table, startMs, endMs, grouping);
  const startMs = getShanghaiHourBucket(range.start).getTime();
  const endMs = ceilToHourMs(range.end);
  const days = getWholeBuckets(startMs, endMs, toDayMs, (ms) => toDayMs(ms) + dayMs);
  if (!days) return read(metricHourly, startMs, endMs);
  const [daysStartMs, daysEndMs] = days;
  const hours = [...read(metricHourly, startMs, daysStartMs), ...read(metricHourly, daysEndMs, endMs)];
  if (grouping !== "key") return [...hours, ...read(metricShopDaily, daysStartMs, daysEndMs)];
  const months = getWholeBuckets(daysStartMs, daysEndMs, toMonthMs, (ms) => getNextShanghaiMonthStart(new Date(ms)).getTime());
  if (!months) return [...hours, ...read(metricDaily, daysStartMs, daysEndMs)];
  const [monthsStartMs, monthsEndMs] = months;
  return [...hours, ...read(metricDaily, daysStartMs, monthsStartMs), ...read(metricMonthly, monthsStartMs, monthsEndMs), ...read(metricDaily, monthsEndMs, daysEndMs)];
}

const scalarCounterNames = (Object.keys(createEmptyRollup()) as (keyof RollupCounters)[]).filter(
  (name): name is Exclude<keyof RollupCounters, "responseHistogram"> => name !== "responseHistogram",
);

// Merging allocates a new rollup per call; a page sums thousands of rows several ways, so it adds in place
function addInto(target: RollupCounters, source: RollupCounters): void {
  if (target.responseHistogram.length !== source.responseHistogram.length) throw new RangeError("Histograms differ in length");
  for (const name of scalarCounterNames) target[name] += source[name];
  for (let index = 0; index < source.responseHistogram.length; index += 1) target.responseHistogram[index] += source.responseHistogram[index];
}

function sumRows(rows: Iterable<ReadRow>): RollupCounters {
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

async function getShopNames(db: Db, shopIds: string[]): Promise<Map<string, string>> {
  if (shopIds.length === 0) return new Map();
  const rows = await db.select({ id: shops.id, name: shops.name }).from(shops).where(inArray(shops.id, shopIds));
  return new Map(rows.map((row) => [row.id, row.name]));
}

async function getShopPlatforms(db: Db, shopIds: string[]): Promise<Map<string, Platform>> {
  if (shopIds.length === 0) return new Map();
  const rows = await db.select({ id: shops.id, platform: shops.platform }).from(shops).where(inArray(shops.id, shopIds));
  return new Map(rows.map((row) => [row.id, row.platform]));
}

/**
 * Rounds each shop had scored over the last 30 Shanghai days up to now (cards received in its platform's
 * scoring hours), which decides whether the platform scores the shop at all. Every platform looks back 30 days.
 */
function readScoredRounds(db: Db, shopIds: string[], now: Date): { shopId: string; scoredRounds: number }[] {
  if (shopIds.length === 0) return [];
  const lookbackDays = Math.max(...Object.values(platformScoring).map((scoring) => scoring.lookbackDays));
  const firstDayStart = new Date(getShanghaiDayStart(getShanghaiDay(now)).getTime() - (lookbackDays - 1) * dayMs);
  const rows = db
    .select({ shopId: metricShopDaily.shopId, scoredRounds: sql<number>`sum(${metricShopDaily.receivedInScoringHours})` })
    .from(metricShopDaily)
    .where(and(inArray(metricShopDaily.shopId, shopIds), gte(metricShopDaily.dayStart, firstDayStart), lt(metricShopDaily.dayStart, now)))
    .groupBy(metricShopDaily.shopId)
    .all();
  const byShop = new Map(rows.map((row) => [row.shopId, row.scoredRounds]));
  return shopIds.map((shopId) => ({ shopId, scoredRounds: byShop.get(shopId) ?? 0 }));
}

async function getUserNames(db: Db, merchantId: string, userIds: string[]): Promise<Map<string, string>> {
  if (userIds.length === 0) return new Map();
  const rows = await db
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(and(eq(users.merchantId, merchantId), inArray(users.id, userIds)));
  return new Map(rows.map((row) => [row.id, row.name]));
}

/** Pending cards past their reply deadline right now: a live count on the inbox index, not a rollup. */
export async function countOverdueNow(db: Db, shopIds: string[], now: Date): Promise<number> {
  if (shopIds.length === 0) return 0;
  const [row] = await db
    .select({ count: sql<number>`count(*)` })
    .from(requests)
    .where(and(inArray(requests.shopId, shopIds), eq(requests.status, "pending"), lt(requests.respondBy, now)));
  return row?.count ?? 0;
}

function readHeatmap(db: Db, shopIds: string[], range: TimeRange): MetricsReport["heatmap"] {
  const arrivals = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
  const late = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
  if (shopIds.length === 0) return { arrivals, late };
  const rows = db
    .select({
      hourStart: metricShopHourly.hourStart,
      received: sql<number>`sum(${metricShopHourly.received})`,
      late: sql<number>`sum(${metricShopHourly.answered} - ${metricShopHourly.answeredWithin3Min})`,
    })
    .from(metricShopHourly)
    .where(
      and(
        inArray(metricShopHourly.shopId, shopIds),
        gte(metricShopHourly.hourStart, getShanghaiHourBucket(range.start)),
        lt(metricShopHourly.hourStart, new Date(ceilToHourMs(range.end))),
      ),
    )
    .groupBy(metricShopHourly.hourStart)
    .all();
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
  const rows = readRangeRows(db, scope, shopIds, range, "key");
  const bucketRows = readRangeRows(db, scope, shopIds, range, "bucket");
  const previousRows = readRangeRows(db, scope, shopIds, range.previous, "total");
  const [shopNames, overdueNow, shopPlatforms] = await Promise.all([getShopNames(db, shopIds), countOverdueNow(db, shopIds, now), getShopPlatforms(db, shopIds)]);

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
    heatmap: readHeatmap(db, shopIds, range),
    policy: {
      replyWindowMs: defaultRollupPolicy.replyWindowMs,
      target: responseRateTarget,
      platforms: [...new Set(shopPlatforms.values())].sort().map((platform) => ({ platform, ...platformScoring[platform] })),
    },
    scoring: readScoredRounds(db, shopIds, now).map(({ shopId, scoredRounds }) => {
      const platform = shopPlatforms.get(shopId)!;
      return { shopId, label: shopNames.get(shopId) ?? shopId, platform, scoredRounds, minRounds: platformScoring[platform].minRounds, isExempt: isExemptFromScoring(platform, scoredRounds) };
    }),
    recordedSources,
  };
}

// ---------------------------------------------------------------------------------------------
// Staffing forecast and the live hour
// ---------------------------------------------------------------------------------------------

/** People's decisions in all of the merchant's shops in [start, end): an agent's previous card may be in a shop outside the report. */
function readPersonDecisions(db: Db, merchantId: string, shopIds: readonly string[], start: Date, end: Date) {
  const counted = new Set(shopIds);
  return db
    .select({ agentId: requests.decidedBy, shopId: requests.shopId, receivedAt: requests.receivedAt, decidedAt: requests.decidedAt })
    .from(requests)
    .innerJoin(shops, eq(shops.id, requests.shopId))
    .where(and(eq(shops.merchantId, merchantId), isNotNull(requests.decidedBy), gte(requests.decidedAt, start), lt(requests.decidedAt, end)))
    .all()
    .flatMap(({ agentId, shopId, receivedAt, decidedAt }) => (agentId && decidedAt ? [{ agentId, receivedAt, decidedAt, isCounted: counted.has(shopId) }] : []));
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
      : db
          .select({ hourStart: metricShopHourly.hourStart, count: sql<number>`sum(${metricShopHourly.received})` })
          .from(metricShopHourly)
          .where(and(inArray(metricShopHourly.shopId, shopIds), gte(metricShopHourly.hourStart, historyStart), lt(metricShopHourly.hourStart, new Date(dayStartMs))))
          .groupBy(metricShopHourly.hourStart)
          .all();
  const forecast = forecastArrivals(history, options.day, options.weeks);

  const measured = shopIds.length === 0 ? { cards: [], awayLeftOut: 0 } : measureHandleTimes(readPersonDecisions(db, scope.merchantId, shopIds, historyStart, new Date(dayStartMs)));
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

/** Below this many settled cards an hour's rate swings on one card, so no warning yet. */
const minSettledForWarning = 5;

/** The current Shanghai hour so far, for the inbox banner: answers in time ÷ cards whose outcome is already known. */
export async function getLiveHourStatus(db: Db, shopIds: string[], now: Date): Promise<LiveHourStatus> {
  const hourStart = getShanghaiHourBucket(now);
  // Scored when any of the viewer's shops is in its platform's scoring hours
  const isScoredHour = [...new Set((await getShopPlatforms(db, shopIds)).values())].some((platform) => isInScoringHours(defaultRollupPolicy.scoringWindows[platform], now));
  let counters = createEmptyRollup();
  let overduePending = 0;
  if (shopIds.length > 0) {
    counters = sumRows(
      db
        .select({ ...getTableCounterColumns(metricHourly), shopId: metricHourly.shopId, agentId: metricHourly.agentId, platform: metricHourly.platform, kind: metricHourly.kind, bucketStart: metricHourly.hourStart })
        .from(metricHourly)
        .where(and(inArray(metricHourly.shopId, shopIds), eq(metricHourly.hourStart, hourStart)))
        .all()
        .map(toReadRow),
    );
    const [row] = await db
      .select({ count: sql<number>`count(*)` })
      .from(requests)
      .where(and(inArray(requests.shopId, shopIds), gte(requests.receivedAt, hourStart), eq(requests.status, "pending"), lt(requests.respondBy, now)));
    overduePending = row?.count ?? 0;
  }
  const settled = counters.answered + overduePending;
  const rate = settled === 0 ? null : counters.answeredWithin3Min / settled;
  return {
    hourStart: hourStart.toISOString(),
    isScoredHour,
    received: counters.received,
    answeredInTime: counters.answeredWithin3Min,
    settled,
    rate,
    target: responseRateTarget,
    isHeadingUnder: isScoredHour && settled >= minSettledForWarning && rate !== null && rate < responseRateTarget,
  };
}
