import { sql, type Placeholder, type SQL, type SQLWrapper } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { getDialect } from "@/db/dialect";
import { getPrepared } from "@/db/statements";

// Hot-path reads (a decision, a webhook's receipt, a scope) written once for both engines
// (docs/postgres.md#writing-queries-for-both-engines): on SQLite the query is prepared once per connection with a
// placeholder for each value (db/statements.ts), on PostgreSQL the same builder runs with the values inline.

/** Each value of a query, or the placeholder standing for it in the statement SQLite prepares. */
type Params<P> = { [K in keyof P]: P[K] | Placeholder };

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

/** `value` without any of `characters` at either end (SQLite's two-argument trim, PostgreSQL's btrim). */
export function trimCharacters(value: SQL, characters: string): SQL<string> {
  return getDialect() === "postgres" ? sql<string>`btrim(${value}, ${characters})` : sql<string>`trim(${value}, ${characters})`;
}

/** The last character of `value` (SQLite's substr with a negative start counts from the end; PostgreSQL's does not). */
export function lastCharacter(value: SQL): SQL<string> {
  return getDialect() === "postgres" ? sql<string>`right(${value}, 1)` : sql<string>`substr(${value}, -1)`;
}

/** `value` matches the LIKE `pattern` (escape '\\'), ignoring ASCII case as SQLite's like does: PostgreSQL's is ilike. */
export function likeIgnoringCase(value: SQLWrapper, pattern: string): SQL {
  return getDialect() === "postgres" ? sql`${value} ilike ${pattern} escape '\\'` : sql`${value} like ${pattern} escape '\\'`;
}

/** A JSON object built in SQL from name/value pairs, as text on both engines (json_object; json_build_object). */
export function jsonObjectText(entries: readonly (readonly [string, SQLWrapper])[]): SQL<string | null> {
  const args = sql.join(
    entries.map(([name, value]) => sql`${sql.raw(`'${name.replace(/'/g, "''")}'`)}, ${value}`),
    sql`, `,
  );
  return getDialect() === "postgres" ? sql<string | null>`json_build_object(${args})::text` : sql<string | null>`json_object(${args})`;
}

/** A JSON column's value as text on both engines (PostgreSQL's driver would parse a jsonb it returned). */
export function jsonText(value: SQLWrapper): SQL<string | null> {
  return getDialect() === "postgres" ? sql<string | null>`(${value})::text` : sql<string | null>`${value}`;
}
