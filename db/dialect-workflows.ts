import { sql, type Placeholder } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { getDialect } from "@/db/dialect";
import { getPrepared } from "@/db/statements";

// Hot-path reads (a decision, a webhook's receipt, a scope) written once for both engines
// (docs/postgres.md#writing-queries-for-both-engines): on SQLite the query is prepared once per connection with a
// placeholder for each value (db/statements.ts), on PostgreSQL the same builder runs with the values inline.

/** Each value of a query, or the placeholder standing for it in the statement SQLite prepares. */
export type Params<P> = { [K in keyof P]: P[K] | Placeholder };

type Query<R> = PromiseLike<R[]> & {
  prepare(): { get(values?: Record<string, unknown>): R | undefined; all(values?: Record<string, unknown>): R[] };
};

function placeholders<P extends Record<string, unknown>>(values: P): Params<P> {
  return Object.fromEntries(Object.keys(values).map((name) => [name, sql.placeholder(name)])) as Params<P>;
}

/** The first row of a hot query (build it without a limit: SQLite's get takes the first, PostgreSQL adds none). */
export async function getHotRow<P extends Record<string, unknown>, R>(runner: Db | Tx, key: string, build: (params: Params<P>) => Query<R>, values: P): Promise<R | undefined> {
  if (getDialect() === "sqlite") return getPrepared(runner, key, () => build(placeholders(values)).prepare()).get(values);
  const [row] = await build(values);
  return row;
}

/** Every row of a hot query. */
export async function getHotRows<P extends Record<string, unknown>, R>(runner: Db | Tx, key: string, build: (params: Params<P>) => Query<R>, values: P): Promise<R[]> {
  if (getDialect() === "sqlite") return getPrepared(runner, key, () => build(placeholders(values)).prepare()).all(values);
  return build(values);
}

/**
 * The placeholder for a JSON value passed as text to hand-written SQL (db/raw.ts): SQLite stores the text as is,
 * PostgreSQL's jsonb column takes it cast.
 */
export function jsonParam(): string {
  return getDialect() === "postgres" ? "?::jsonb" : "?";
}
