import type { Db, Tx } from "@/db/client";
import { getStatement } from "@/db/statements";

// Hand-written SQL for the hot paths (a webhook's receipt, the rollup upserts): statements prepared once per
// connection. Write it for both engines (docs/postgres.md#writing-queries-for-both-engines): `?` for each value, double
// quotes around names, `true`/`false` for booleans, no engine-only functions.

type Runner = Db | Tx;
type Value = string | number | bigint | boolean | null | Buffer;

/** Runs a statement that returns no rows; `changes` is how many rows it wrote. */
export async function runRaw(runner: Runner, text: string, params: readonly Value[] = []): Promise<{ changes: number }> {
  const result = getStatement(runner, text).run(...toSqlite(params));
  return { changes: result.changes };
}

/** Every row a query returns, as plain objects keyed by column name. */
export async function allRaw<T>(runner: Runner, text: string, params: readonly Value[] = []): Promise<T[]> {
  return getStatement(runner, text).all(...toSqlite(params)) as T[];
}

/** The first row a query returns, or undefined. */
export async function getRaw<T>(runner: Runner, text: string, params: readonly Value[] = []): Promise<T | undefined> {
  return getStatement(runner, text).get(...toSqlite(params)) as T | undefined;
}

// better-sqlite3 takes no booleans: SQLite stores them as 1 and 0
function toSqlite(params: readonly Value[]): unknown[] {
  return params.map((value) => (typeof value === "boolean" ? (value ? 1 : 0) : value));
}
