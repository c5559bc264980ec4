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
// what the migrations take); db/pg/setup-suites.ts drops the template and any copy left open after the file.

type Template = { admin: pg.Client; serverUrl: string; name: string; keyring: Keyring };

let template: Promise<Template> | undefined;
const copies = new Map<Db, string>();
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
  const name = `shouhoutai_test_${randomBytes(6).toString("hex")}`;
  await admin.query(`create database "${name}" template "${templateName}"`);
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

/** Closes a database from openTestDb (and the instances opened on it); on PostgreSQL it is dropped too. */
export async function closeTestDb(db: Db): Promise<void> {
  for (const other of instancesOf.get(db) ?? []) await closeDb(other);
  instancesOf.delete(db);
  await closeDb(db);
  const name = copies.get(db);
  if (name === undefined) return;
  copies.delete(db);
  await (await template!).admin.query(`drop database if exists "${name}" with (force)`);
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
  await admin.query(`drop database if exists "${name}" with (force)`);
  await admin.end();
}
