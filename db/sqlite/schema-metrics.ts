import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { shops } from "@/db/sqlite/schema";
import { platforms, requestKinds } from "@/lib/domain";

// Owner's metrics (docs/decisions/0002-hourly-rollups.md): additive rollups of lib/metrics/response-metrics.ts, so no page scans raw
// requests. A card lives in the row of the hour (and day) it was received; see that file for why.

/** `agent_id` of cards nobody has answered yet: a primary-key column cannot be NULL-unique in SQLite. */
export const unansweredAgentId = "";

const counterColumns = () => ({
  received: integer("received").notNull(),
  receivedInScoringHours: integer("received_in_scoring_hours").notNull(),
  answered: integer("answered").notNull(),
  answeredWithin3Min: integer("answered_within_3min").notNull(),
  answeredWithin3MinInScoringHours: integer("answered_within_3min_in_scoring_hours").notNull(),
  approved: integer("approved").notNull(),
  rejected: integer("rejected").notNull(),
  rejectedWithoutReasonOrEvidence: integer("rejected_without_reason_or_evidence").notNull(),
  autoAnswered: integer("auto_answered").notNull(),
  intervention: integer("intervention").notNull(),
  refundFen: integer("refund_fen").notNull(),
  returnFreightFen: integer("return_freight_fen").notNull(),
  responseMsTotal: integer("response_ms_total").notNull(),
  /** Counts per bucket of responseHistogramUpperEdgesMs (+1 overflow); summed in code, never in SQL. */
  responseHistogram: text("response_histogram", { mode: "json" }).$type<number[]>().notNull(),
});

const keyColumns = () => ({
  shopId: text("shop_id")
    .notNull()
    .references(() => shops.id, { onDelete: "cascade" }),
  /** A user id, "rule" for automatic answers, "" while unanswered; no FK because of the last two. */
  agentId: text("agent_id").notNull(),
  platform: text("platform", { enum: platforms }).notNull(),
  kind: text("kind", { enum: requestKinds }).notNull(),
});

/** One row per shop × agent × platform × kind × Shanghai hour (stored as the hour's UTC start). */
export const metricHourly = sqliteTable(
  "metric_hourly",
  {
    ...keyColumns(),
    hourStart: integer("hour_start", { mode: "timestamp_ms" }).notNull(),
    ...counterColumns(),
  },
  // Shop first: every read is "these shops, this time range"; the agent index serves an agent's own figures
  (table) => [
    primaryKey({ columns: [table.shopId, table.hourStart, table.agentId, table.platform, table.kind] }),
    index("metric_hourly_agent_idx").on(table.agentId, table.hourStart),
  ],
);

/** The same counters per Shanghai day (stored as the day's UTC start), so a year is ~365 rows per key, not ~8,760. */
export const metricDaily = sqliteTable(
  "metric_daily",
  {
    ...keyColumns(),
    dayStart: integer("day_start", { mode: "timestamp_ms" }).notNull(),
    ...counterColumns(),
  },
  (table) => [
    primaryKey({ columns: [table.shopId, table.dayStart, table.agentId, table.platform, table.kind] }),
    index("metric_daily_agent_idx").on(table.agentId, table.dayStart),
  ],
);

/**
 * The same counters per Shanghai calendar month (stored as the month's UTC start): a year's keyed totals
 * read ~12 rows per key instead of ~365, with daily and hourly rows only for the part months at either end.
 */
export const metricMonthly = sqliteTable(
  "metric_monthly",
  {
    ...keyColumns(),
    monthStart: integer("month_start", { mode: "timestamp_ms" }).notNull(),
    ...counterColumns(),
  },
  (table) => [primaryKey({ columns: [table.shopId, table.monthStart, table.agentId, table.platform, table.kind] })],
);

/**
 * Per shop × Shanghai day, every counter: the day chart and the previous range's totals read ~365 rows
 * per shop-year instead of one per agent × platform × kind × day (~56k at 1M requests). Always the sum
 * of that day's metric_daily rows.
 */
export const metricShopDaily = sqliteTable(
  "metric_shop_daily",
  {
    shopId: text("shop_id")
      .notNull()
      .references(() => shops.id, { onDelete: "cascade" }),
    dayStart: integer("day_start", { mode: "timestamp_ms" }).notNull(),
    ...counterColumns(),
  },
  (table) => [primaryKey({ columns: [table.shopId, table.dayStart] })],
);

/**
 * Per shop × Shanghai hour, the few counters the heatmap and the staffing forecast read: a year is
 * 8,760 rows per shop instead of one per agent × kind × hour. Always the sum of that hour's metric_hourly rows.
 */
export const metricShopHourly = sqliteTable(
  "metric_shop_hourly",
  {
    shopId: text("shop_id")
      .notNull()
      .references(() => shops.id, { onDelete: "cascade" }),
    hourStart: integer("hour_start", { mode: "timestamp_ms" }).notNull(),
    received: integer("received").notNull(),
    answered: integer("answered").notNull(),
    answeredWithin3Min: integer("answered_within_3min").notNull(),
  },
  (table) => [primaryKey({ columns: [table.shopId, table.hourStart] })],
);
