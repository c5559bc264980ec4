import { sql, type SQL } from "drizzle-orm";

// The few places where SQLite and PostgreSQL spell the same thing differently (docs/postgres.md#writing-queries-for-both-engines).
// The engine is fixed for the life of a process: DATABASE_URL=postgres://… picks PostgreSQL, anything else SQLite.

export type Dialect = "sqlite" | "postgres";

/** The engine a database url names (postgres:// or postgresql://), SQLite otherwise. */
export function getDialectOf(url: string | undefined): Dialect {
  return url && /^postgres(ql)?:\/\//i.test(url) ? "postgres" : "sqlite";
}

/** This process's engine. */
export function getDialect(): Dialect {
  return getDialectOf(process.env.DATABASE_URL);
}

/** The smallest of its arguments, null if any is null on SQLite and ignored on PostgreSQL: pass non-null values. */
export function least(...values: SQL[]): SQL<number> {
  return sql<number>`${sql.raw(getDialect() === "postgres" ? "least" : "min")}(${sql.join(values, sql`, `)})`.mapWith(Number);
}

/** A boolean the engine returned: SQLite gives 1 or 0, PostgreSQL true or false. */
export function toBoolean(value: unknown): boolean {
  return value === true || value === 1 || value === "1" || value === "t";
}

/**
 * A select that locks the rows it returns and passes over rows another transaction holds: PostgreSQL's
 * `for update skip locked`, for a queue several instances take from (db/queries/outbox.ts). SQLite has one writer at
 * a time and no such clause: the select as it is.
 */
export function skippingLocked<T extends object>(select: T): T {
  if (getDialect() !== "postgres") return select;
  // The queries are typed against the SQLite builder; on PostgreSQL the object is pg-core's select, which has `for`
  return (select as unknown as { for: (strength: "update", config: { skipLocked: true }) => T }).for("update", { skipLocked: true });
}
