import { index, integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { instant } from "@/db/pg/columns";
import { users } from "@/db/pg/schema";

// The PostgreSQL twin of db/schema-presence.ts (docs/postgres.md).

export const presence = pgTable(
  "presence",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    instanceId: text("instance_id").notNull(),
    streams: integer("streams").notNull(),
    lastSeenAt: instant("last_seen_at").notNull(),
  },
  (table) => [primaryKey({ columns: [table.userId, table.instanceId] }), index("presence_seen_idx").on(table.lastSeenAt)],
);
