import { boolean, integer, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { instant } from "@/db/pg/columns";
import { shops, users } from "@/db/pg/schema";
import type { AutoRule } from "@/lib/rules/schema";

// The PostgreSQL twin of db/schema-rules.ts (docs/postgres.md).

export const autoRuleSets = pgTable("auto_rule_sets", {
  shopId: text("shop_id")
    .primaryKey()
    .references(() => shops.id, { onDelete: "cascade" }),
  autoOpenEntry: boolean("auto_open_entry").notNull().default(false),
  rules: jsonb("rules").$type<AutoRule[]>().notNull(),
  version: integer("version").notNull().default(1),
  updatedBy: text("updated_by").references(() => users.id),
  updatedAt: instant("updated_at").notNull(),
});
