import { index, integer, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, instant } from "@/db/pg/columns";
import { shops, users } from "@/db/pg/schema";
import type { FreightSettings } from "@/lib/return-freight/api";
import type { EstimatorParameters } from "@/lib/return-freight/parameters";

// The PostgreSQL twin of db/schema-freight.ts (docs/postgres.md).

export const freightSettings = pgTable("freight_settings", {
  shopId: text("shop_id")
    .primaryKey()
    .references(() => shops.id, { onDelete: "cascade" }),
  settings: jsonb("settings").$type<FreightSettings>().notNull(),
  updatedBy: text("updated_by").references(() => users.id),
  updatedAt: instant("updated_at").notNull(),
});

export const freightScenarios = pgTable(
  "freight_scenarios",
  {
    id: text("id").primaryKey(),
    shopId: text("shop_id")
      .notNull()
      .references(() => shops.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    parameters: jsonb("parameters").$type<EstimatorParameters>().notNull(),
    windowDays: integer("window_days").notNull(),
    createdBy: text("created_by").references(() => users.id),
    createdAt: createdAt(),
  },
  (table) => [index("freight_scenarios_shop_idx").on(table.shopId, table.createdAt)],
);
