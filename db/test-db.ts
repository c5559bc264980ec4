import { randomBytes } from "node:crypto";
import pg from "pg";
import { onTestFinished } from "vitest";
import { closeDb, openDb, openPostgresDb, type Db } from "@/db/client";
import { getDialect } from "@/db/dialect";
import { serverUrlOrFail } from "@/db/pg/test-server";
import { createKeyring, toSecretsKey, type Keyring } from "@/lib/secrets/seal";

// The database and workflow suites run on both engines (docs/postgres.md#tests): the `unit` project on SQLite, the
// `postgres-suites` project on PostgreSQL. A test asks for a fresh, migrated database here and closes it when done.
// On PostgreSQL each one is a copy of a template database migrated once per test file (a copy takes a fraction of
// what the migrations take). A closed copy is emptied and handed to the file's next test instead of being dropped
// (dropping one costs about a second on a busy machine, emptying it a few milliseconds); db/pg/setup-suites.ts drops
// the template, the emptied copies and any copy left open after the file.

type Template = { admin: pg.Client; serverUrl: string; name: string; keyring: Keyring };

let template: Promise<Template> | undefined;
const copies = new Map<Db, string>();
/** Copies closed and emptied, as fresh as the template again, for the next openTestDb of this file. */
const emptied: string[] = [];
/** More pools on a copy (another desk instance on the same database), closed with it. */
const instancesOf = new Map<Db, Db[]>();

function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function createTemplate(): Promise<Template> {
  const serverUrl = serverUrlOrFail();
  const name = `shouhoutai_tpl_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`create database "${name}"`);
    // A random key, never a key file in data/: what a test seals dies with its database
    const keyring = createKeyring(toSecretsKey(randomBytes(32)));
    // Migrated, then closed: a database is copied only while nobody is connected to it
    await closeDb(await openPostgresDb(databaseUrl(serverUrl, name), { keyring, maxConnections: 1 }));
    return { admin, serverUrl, name, keyring };
  } catch (error) {
    await admin.query(`drop database if exists "${name}"`).catch(() => undefined);
    await admin.end();
    throw error;
  }
}

/** A fresh, migrated database: SQLite in memory, or a new PostgreSQL database when the process's engine is PostgreSQL. */
export async function openTestDb(): Promise<Db> {
  if (getDialect() !== "postgres") return openDb(":memory:");
  template ??= createTemplate();
  const { admin, serverUrl, name: templateName, keyring } = await template;
  let name = emptied.pop();
  if (name === undefined) {
    name = `shouhoutai_test_${randomBytes(6).toString("hex")}`;
    await admin.query(`create database "${name}" template "${templateName}"`);
  }
  const db = await openPostgresDb(databaseUrl(serverUrl, name), { keyring, maxConnections: 4 });
  copies.set(db, name);
  return db;
}

/** openTestDb, closed (on PostgreSQL also dropped) when the running test ends: call it in a test or a beforeEach. */
export async function openTestDbForTest(): Promise<Db> {
  const db = await openTestDb();
  onTestFinished(() => closeTestDb(db));
  return db;
}

/** On PostgreSQL, one more pool on the same database as `db` (from openTestDb): a second desk instance. */
export async function openAnotherInstance(db: Db): Promise<Db> {
  const name = copies.get(db);
  if (name === undefined) throw new Error("Another instance needs a PostgreSQL database from openTestDb");
  const { serverUrl, keyring } = await template!;
  const other = await openPostgresDb(databaseUrl(serverUrl, name), { keyring, maxConnections: 4 });
  instancesOf.set(db, [...(instancesOf.get(db) ?? []), other]);
  return other;
}

/** Closes a database from openTestDb (and the instances opened on it); on PostgreSQL it is emptied for reuse. */
export async function closeTestDb(db: Db): Promise<void> {
  for (const other of instancesOf.get(db) ?? []) await closeDb(other);
  instancesOf.delete(db);
  const name = copies.get(db);
  copies.delete(db);
  const isEmptied = name !== undefined && (await emptyDatabase(db).then(() => true, () => false));
  await closeDb(db);
  if (name === undefined) return;
  const { admin } = await template!;
  // Anything still connected (a stream's listener, a pool a test forgot) must not write into the next test's database
  await admin.query("select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()", [name]);
  if (isEmptied) emptied.push(name);
  else await admin.query(`drop database if exists "${name}" with (force)`);
}

/**
 * Deletes every row a test wrote (the template's tables are empty: the migrations write only drizzle's own table,
 * in its own schema) and restarts the sequences, in one transaction; foreign keys are not checked meanwhile
 * (session_replication_role needs a superuser: without one this throws and the copy is dropped instead).
 */
async function emptyDatabase(db: Db): Promise<void> {
  const client = await (db.$client as unknown as pg.Pool).connect();
  try {
    const { rows: tables } = await client.query<{ name: string }>(
      "select format('%I.%I', table_schema, table_name) as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'",
    );
    // pg_sequences, not information_schema.sequences, which leaves out the sequences of identity columns
    const { rows: sequences } = await client.query<{ name: string }>("select format('%I.%I', schemaname, sequencename) as name from pg_sequences where schemaname = 'public'");
    const statements = [
      "begin",
      "set local session_replication_role = replica",
      ...tables.map(({ name }) => `delete from ${name}`),
      ...sequences.map(({ name }) => `alter sequence ${name} restart`),
      "commit",
    ];
    await client.query(statements.join(";\n"));
  } catch (error) {
    await client.query("rollback").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** After a test file (db/pg/setup-suites.ts): drops what it left open, then the template. */
export async function dropTestDatabases(): Promise<void> {
  if (!template) return;
  const created = template;
  template = undefined;
  const { admin, name } = await created.catch(() => ({ admin: null, name: null }));
  if (!admin) return;
  for (const [db, copy] of copies) {
    for (const other of instancesOf.get(db) ?? []) await closeDb(other).catch(() => undefined);
    await closeDb(db).catch(() => undefined);
    await admin.query(`drop database if exists "${copy}" with (force)`);
  }
  copies.clear();
  instancesOf.clear();
  for (const copy of emptied.splice(0)) await admin.query(`drop database if exists "${copy}" with (force)`);
  await admin.query(`drop database if exists "${name}" with (force)`);
  await admin.end();
}
