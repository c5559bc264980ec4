import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { users } from "@/db/sqlite/schema";

// Who is online, in the database rather than in one process's memory (docs/loops.md, "Presence"): one row per user
// and desk instance, written by that instance's open live streams on connect, on a heartbeat and on close.

const instant = (name: string) => integer(name, { mode: "timestamp_ms" });

export const presence = sqliteTable(
  "presence",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The desk process holding the streams (random per start). */
    instanceId: text("instance_id").notNull(),
    /** Live streams of this user open on that instance now; 0 after the last one closed. */
    streams: integer("streams").notNull(),
    /** The last connect, heartbeat or close: with streams at 0, when the user went offline there. */
    lastSeenAt: instant("last_seen_at").notNull(),
  },
  (table) => [primaryKey({ columns: [table.userId, table.instanceId] }), index("presence_seen_idx").on(table.lastSeenAt)],
);
