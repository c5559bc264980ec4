import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { shops, users } from "@/db/sqlite/schema";
import type { FreightSettings } from "@/lib/return-freight/api";
import type { EstimatorParameters } from "@/lib/return-freight/parameters";

// 退货宝 estimator (docs/return-freight.md): the owner's saved inputs per shop and named scenarios to compare.

const createdAt = () =>
  integer("created_at", { mode: "timestamp_ms" })
    .notNull()
    .default(sql`(cast(unixepoch('subsecond') * 1000 as integer))`);

/** One row per shop: the owner's quote and the parameters changed from their sourced defaults. */
export const freightSettings = sqliteTable("freight_settings", {
  shopId: text("shop_id")
    .primaryKey()
    .references(() => shops.id, { onDelete: "cascade" }),
  settings: text("settings", { mode: "json" }).$type<FreightSettings>().notNull(),
  updatedBy: text("updated_by").references(() => users.id),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
});

/** A named snapshot of the monthly parameters, so two can be compared side by side or exported. */
export const freightScenarios = sqliteTable(
  "freight_scenarios",
  {
    id: text("id").primaryKey(),
    shopId: text("shop_id")
      .notNull()
      .references(() => shops.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    parameters: text("parameters", { mode: "json" }).$type<EstimatorParameters>().notNull(),
    windowDays: integer("window_days").notNull(),
    createdBy: text("created_by").references(() => users.id),
    createdAt: createdAt(),
  },
  (table) => [index("freight_scenarios_shop_idx").on(table.shopId, table.createdAt)],
);
