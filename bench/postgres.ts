// The bench's PostgreSQL database: the seeded SQLite database copied row for row into a database of its own on the
// server scripts/postgres.mjs provides, kept between runs while the migrations and the seed are unchanged, so the
// PostgreSQL rows measure the same shops, agents and history as the SQLite rows beside them.
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { closeDb, openPostgresDb } from "@/db/client";
import { benchSeedVersion } from "@/db/bench-seed";
import { loadKeyring } from "@/db/secrets-key";
import { createDatabase, type ThrowawayDatabase } from "@/scripts/desk-instances.mjs";

const rowsPerStatement = 5_000;

const countMigrations = (folder: string) => fs.readdirSync(folder).filter((name) => name.endsWith(".sql")).length;

/** The database's name says what it holds: a copy made before a migration or a seed change is never reused. */
function getCopyName(history: number): string {
  const sqliteMigrations = countMigrations(path.join("db", "migrations"));
  const postgresMigrations = countMigrations(path.join("db", "pg", "migrations"));
  return `desk_bench_${history}_s${benchSeedVersion}_m${sqliteMigrations}_${postgresMigrations}`;
}

const withDatabase = (serverUrl: string, name: string) => {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
};

const completeMark = "complete";

/** `run` on a connection to the server's maintenance database, closed after. */
async function onServer<T>(serverUrl: string, run: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: withDatabase(serverUrl, "postgres") });
  await admin.connect();
  try {
    return await run(admin);
  } finally {
    await admin.end();
  }
}

/**
 * The PostgreSQL twin of a seeded bench database, by URL. A finished copy is marked with a comment on the database;
 * one without the mark (a run stopped half-way) is dropped and made again.
 */
export async function preparePostgresCopy(serverUrl: string, sqliteFile: string, history: number): Promise<{ url: string; copyMs: number }> {
  const name = getCopyName(history);
  const url = withDatabase(serverUrl, name);
  const isComplete = await onServer(serverUrl, async (admin) => {
    const existing = await admin.query<{ mark: string | null }>("select shobj_description(oid, 'pg_database') as mark from pg_database where datname = $1", [name]);
    if (existing.rows[0]?.mark === completeMark) return true;
    if (existing.rows.length > 0) await admin.query(`drop database "${name}" with (force)`);
    await admin.query(`create database "${name}"`);
    return false;
  });
  if (isComplete) return { url, copyMs: 0 };
  const started = Date.now();
  // Migrated by the desk itself, so the tables are exactly the ones the servers will use; the key is the SQLite copy's
  const migrated = await openPostgresDb(url, { keyring: loadKeyring(sqliteFile) });
  await closeDb(migrated);
  const rows = await copyTables(sqliteFile, url);
  await onServer(serverUrl, (admin) => admin.query(`comment on database "${name}" is '${completeMark}'`));
  const copyMs = Date.now() - started;
  console.log(`copied ${rows.toLocaleString()} rows into PostgreSQL database ${name} in ${(copyMs / 1000).toFixed(1)} s`);
  return { url, copyMs };
}

/**
 * A work copy of the cached database for one run, so the decisions and events a run writes never change the cached
 * copy, as the SQLite rows work on a copy of theirs. `drop` removes it.
 */
export async function createWorkCopy(serverUrl: string, cachedUrl: string): Promise<ThrowawayDatabase> {
  return createDatabase(withDatabase(serverUrl, "postgres"), "bench_work", { template: new URL(cachedUrl).pathname.slice(1) });
}

async function copyTables(sqliteFile: string, url: string): Promise<number> {
  const sqlite = new Database(sqliteFile, { readonly: true, fileMustExist: true });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let copied = 0;
  try {
    // Foreign keys are checked by neither side while copying rows that already satisfied them in SQLite, and the
    // indexes (all but primary keys) are built once at the end rather than kept up row by row
    await client.query("set session_replication_role = replica");
    const indexes = await client.query<{ indexname: string; indexdef: string }>(
      "select indexname, indexdef from pg_indexes where schemaname = 'public' and indexname not in (select conname from pg_constraint)",
    );
    for (const { indexname } of indexes.rows) await client.query(`drop index "${indexname}"`);
    const tables = sqlite
      .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '__drizzle%' order by name")
      .pluck()
      .all() as string[];
    for (const table of tables) {
      const columns = sqlite
        .prepare(`select name from pragma_table_info(?)`)
        .pluck()
        .all(table) as string[];
      // One JSON parameter per batch, spread into rows by the server: far cheaper to send and plan than a parameter a value
      const insert = `insert into "${table}" (${columns.map((column) => `"${column}"`).join(", ")}) select ${columns.map((column) => `"${column}"`).join(", ")} from json_populate_recordset(null::"${table}", $1::json)`;
      let batch: Record<string, unknown>[] = [];
      const flush = async () => {
        if (batch.length === 0) return;
        await client.query(insert, [JSON.stringify(batch)]);
        copied += batch.length;
        batch = [];
      };
      await client.query("begin");
      // SQLite keeps JSON as text: parsed here so a jsonb column receives the value, not a string holding it
      const jsonColumns = (
        await client.query<{ column_name: string }>("select column_name from information_schema.columns where table_schema = 'public' and table_name = $1 and data_type in ('json', 'jsonb')", [table])
      ).rows.map((row) => row.column_name);
      for (const row of sqlite.prepare(`select * from "${table}"`).iterate() as Iterable<Record<string, unknown>>) {
        for (const column of jsonColumns) if (typeof row[column] === "string") row[column] = JSON.parse(row[column]);
        // bytea reads hex text
        for (const [column, value] of Object.entries(row)) if (Buffer.isBuffer(value)) row[column] = `\\x${value.toString("hex")}`;
        batch.push(row);
        if (batch.length === rowsPerStatement) await flush();
      }
      await flush();
      await client.query("commit");
    }
    for (const { indexdef } of indexes.rows) await client.query(indexdef);
    // Identity columns go on from the copied ids
    const identities = await client.query<{ table_name: string; column_name: string }>(
      "select table_name, column_name from information_schema.columns where table_schema = 'public' and is_identity = 'YES'",
    );
    for (const { table_name: table, column_name: column } of identities.rows) {
      await client.query(`select setval(pg_get_serial_sequence('"${table}"', '${column}'), greatest((select max("${column}") from "${table}"), 1))`);
    }
    await client.query("analyze");
  } finally {
    await client.end();
    sqlite.close();
  }
  return copied;
}
