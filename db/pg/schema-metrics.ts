import { bigint, index, integer, jsonb, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { instant } from "@/db/pg/columns";
import { shops } from "@/db/pg/schema";
import { platforms, requestKinds } from "@/lib/domain";

// The PostgreSQL twin of db/schema-metrics.ts (docs/postgres.md). The sums of fen and of milliseconds are bigint:
// a month of one shop's refunds passes 2^31 fen (21 million yuan), and a few dozen cards answered a day late pass
// 2^31 ms. Counts of cards stay integer. mode "number": every such sum stays far below 2^53.

const sum = (name: string) => bigint(name, { mode: "number" });

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
  refundFen: sum("refund_fen").notNull(),
  returnFreightFen: sum("return_freight_fen").notNull(),
  responseMsTotal: sum("response_ms_total").notNull(),
  responseHistogram: jsonb("response_histogram").$type<number[]>().notNull(),
});

const keyColumns = () => ({
  shopId: text("shop_id")
    .notNull()
    .references(() => shops.id, { onDelete: "cascade" }),
  agentId: text("agent_id").notNull(),
  platform: text("platform", { enum: platforms }).notNull(),
  kind: text("kind", { enum: requestKinds }).notNull(),
});

export const metricHourly = pgTable(
  "metric_hourly",
  {
    ...keyColumns(),
    hourStart: instant("hour_start").notNull(),
    ...counterColumns(),
  },
  (table) => [
    primaryKey({ columns: [table.shopId, table.hourStart, table.agentId, table.platform, table.kind] }),
    index("metric_hourly_agent_idx").on(table.agentId, table.hourStart),
  ],
);

export const metricDaily = pgTable(
  "metric_daily",
  {
    ...keyColumns(),
    dayStart: instant("day_start").notNull(),
    ...counterColumns(),
  },
  (table) => [
    primaryKey({ columns: [table.shopId, table.dayStart, table.agentId, table.platform, table.kind] }),
    index("metric_daily_agent_idx").on(table.agentId, table.dayStart),
  ],
);

export const metricMonthly = pgTable(
  "metric_monthly",
  {
    ...keyColumns(),
    monthStart: instant("month_start").notNull(),
    ...counterColumns(),
  },
  (table) => [primaryKey({ columns: [table.shopId, table.monthStart, table.agentId, table.platform, table.kind] })],
);

export const metricShopDaily = pgTable(
  "metric_shop_daily",
  {
    shopId: text("shop_id")
      .notNull()
      .references(() => shops.id, { onDelete: "cascade" }),
    dayStart: instant("day_start").notNull(),
    ...counterColumns(),
  },
  (table) => [primaryKey({ columns: [table.shopId, table.dayStart] })],
);

export const metricShopHourly = pgTable(
  "metric_shop_hourly",
  {
    shopId: text("shop_id")
      .notNull()
      .references(() => shops.id, { onDelete: "cascade" }),
    hourStart: instant("hour_start").notNull(),
    received: integer("received").notNull(),
    answered: integer("answered").notNull(),
    answeredWithin3Min: integer("answered_within_3min").notNull(),
  },
  (table) => [primaryKey({ columns: [table.shopId, table.hourStart] })],
);
