import { getDialect } from "@/db/dialect";

/**
 * The table this process queries: SQLite's, or its PostgreSQL twin (same JS and SQL names, checked by
 * db/pg/schema-parity.test.ts). Typed as the SQLite table, so one query layer is written against one set of types;
 * each engine's builder then gets its own engine's table, with its own column mapping (Dates, booleans, JSON).
 */
export function chooseTable<T>(sqlite: T, postgres: unknown): T {
  return (getDialect() === "postgres" ? postgres : sqlite) as T;
}
