import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { shops, users } from "@/db/sqlite/schema";
import type { AutoRule } from "@/lib/rules/schema";

// Automatic rules (docs/domain/automatic-rules.md): one row per shop with the 自动开启售后入口 switch and the ordered rules.
// The rules are one JSON list so their order is saved in one write and read in one row on every arrival.

export const autoRuleSets = sqliteTable("auto_rule_sets", {
  shopId: text("shop_id")
    .primaryKey()
    .references(() => shops.id, { onDelete: "cascade" }),
  autoOpenEntry: integer("auto_open_entry", { mode: "boolean" }).notNull().default(false),
  rules: text("rules", { mode: "json" }).$type<AutoRule[]>().notNull(),
  /** Bumped on every save, so two owners editing at once cannot silently overwrite each other. */
  version: integer("version").notNull().default(1),
  updatedBy: text("updated_by").references(() => users.id),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
});
