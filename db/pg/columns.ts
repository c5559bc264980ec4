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

/**
 * The better-auth tables' updatedAt. db/schema.ts builds it with its createdAt(), so on SQLite it is a second
 * "created_at" (SQLite takes the first of two values for one column, silently); PostgreSQL rejects such an insert,
 * so here it is its own column. The parity test lists this as its one known difference (docs/postgres.md).
 */
export const updatedAt = () => instant("updated_at").notNull().default(nowMs);

/** SQLite's `blob(name, { mode: "buffer" })` (pg-core has no bytea builder): node-postgres reads bytea as a Buffer. */
export const bytea = customType<{ data: Buffer; driverData: Buffer }>({
  dataType: () => "bytea",
});
