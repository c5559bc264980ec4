import { sql, type SQL } from "drizzle-orm";
import { isPostgresDb, type Db, type Tx } from "@/db/client";
import { getStatement } from "@/db/statements";

// Hand-written SQL for the hot paths (a webhook's receipt, the rollup upserts): statements prepared once per
// connection. Write it for both engines (docs/postgres.md#writing-queries-for-both-engines): `?` for each value, double
// quotes around names, `true`/`false` for booleans, no engine-only functions.

type Runner = Db | Tx;
type Value = string | number | bigint | boolean | null | Buffer;

/** Runs a statement that returns no rows; `changes` is how many rows it wrote. */
export async function runRaw(runner: Runner, text: string, params: readonly Value[] = []): Promise<{ changes: number }> {
  if (isPostgresDb(runner)) return { changes: (await executeOnPostgres(runner, text, params)).rowCount ?? 0 };
  const result = getStatement(runner, text).run(...toSqlite(params));
  return { changes: result.changes };
}

export type RawStatement = { text: string; params: readonly Value[] };

/**
 * Several writes at once: on PostgreSQL one statement (each write a data-modifying WITH clause), so one round trip;
 * on SQLite one after another. They share one snapshot on PostgreSQL, so none may touch a row another one touches or
 * read what another one writes.
 */
export async function runRawTogether(runner: Runner, statements: readonly RawStatement[]): Promise<void> {
  if (!isPostgresDb(runner) || statements.length === 1) {
    for (const { text, params } of statements) await runRaw(runner, text, params);
    return;
  }
  if (statements.length === 0) return;
  const text = `with ${statements.map((statement, index) => `write${index} as (${statement.text})`).join(", ")} select 1`;
  await executeOnPostgres(runner, text, statements.flatMap((statement) => statement.params));
}

/** Every row a query returns, as plain objects keyed by column name. */
export async function allRaw<T>(runner: Runner, text: string, params: readonly Value[] = []): Promise<T[]> {
  if (isPostgresDb(runner)) return (await executeOnPostgres(runner, text, params)).rows as T[];
  return getStatement(runner, text).all(...toSqlite(params)) as T[];
}

/** The first row a query returns, or undefined. */
export async function getRaw<T>(runner: Runner, text: string, params: readonly Value[] = []): Promise<T | undefined> {
  if (isPostgresDb(runner)) return (await executeOnPostgres(runner, text, params)).rows[0] as T | undefined;
  return getStatement(runner, text).get(...toSqlite(params)) as T | undefined;
}

// better-sqlite3 takes no booleans: SQLite stores them as 1 and 0
function toSqlite(params: readonly Value[]): unknown[] {
  return params.map((value) => (typeof value === "boolean" ? (value ? 1 : 0) : value));
}

type PostgresResult = { rows: unknown[]; rowCount: number | null };

/** The same text on PostgreSQL: each `?` becomes a numbered parameter (the text holds no `?` of its own). */
export function toPostgresSql(text: string, params: readonly Value[]): SQL {
  const parts = text.split("?");
  if (parts.length !== params.length + 1) throw new Error(`Expected ${parts.length - 1} values for the statement, got ${params.length}`);
  const chunks: SQL[] = [];
  parts.forEach((part, index) => {
    chunks.push(sql.raw(part));
    if (index < params.length) chunks.push(sql`${params[index]}`);
  });
  return sql.join(chunks);
}

async function executeOnPostgres(runner: Runner, text: string, params: readonly Value[]): Promise<PostgresResult> {
  const executor = runner as unknown as { execute: (query: SQL) => Promise<PostgresResult> };
  return executor.execute(toPostgresSql(text, params));
}
