import { sql } from "drizzle-orm";
import { customType } from "drizzle-orm/pg-core";

// Column types the PostgreSQL schema shares with SQLite's (docs/postgres.md#type-mapping): an instant is bigint
// epoch milliseconds on both engines, so raw SQL arithmetic on instants (respond_by - received_at) means the same.

/** SQLite's `integer(name, { mode: "timestamp_ms" })`: a Date in code, bigint epoch ms in the database. */
export const instant = customType<{ data: Date; driverData: number | string }>({
  dataType: () => "bigint",
  toDriver: (value) => value.getTime(),
  // node-postgres hands int8 back as a string (it may not fit a JS number; epoch ms always does)
  fromDriver: (value) => new Date(Number(value)),
});

/** SQLite's `(cast(unixepoch('subsecond') * 1000 as integer))`: now in epoch ms, truncated like SQLite's cast. */
const nowMs = sql`(floor(extract(epoch from clock_timestamp()) * 1000)::bigint)`;

export const createdAt = () => instant("created_at").notNull().default(nowMs);

/** better-auth's updatedAt, as on SQLite: set by the code on every insert and update. */
export const updatedAt = () =>
  instant("updated_at")
    .notNull()
    .$defaultFn(() => new Date())
    .$onUpdate(() => new Date());

/** SQLite's `blob(name, { mode: "buffer" })` (pg-core has no bytea builder): node-postgres reads bytea as a Buffer. */
export const bytea = customType<{ data: Buffer; driverData: Buffer }>({
  dataType: () => "bytea",
});
