import { AsyncLocalStorage } from "node:async_hooks";
import path from "node:path";
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { prepareDatabaseFile, restrictDatabaseFiles } from "@/db/data-files";
import * as schema from "@/db/schema";
import { attachKeyring, sealClearSecrets } from "@/db/secrets";
import { loadKeyring } from "@/db/secrets-key";
import { getStatement } from "@/db/statements";
import type { Keyring } from "@/lib/secrets/seal";

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

declare const inTransaction: unique symbol;
/**
 * The database inside a transaction opened by `transact`: a function that takes a Tx must be called within one
 * (the type says so; a plain Db is not a Tx). Queries on it run in that transaction.
 */
export type Tx = Db & { readonly [inTransaction]: true };

const migrationsFolder = path.join(/* turbopackIgnore: true */ process.cwd(), "db", "migrations");

export function getDatabasePath(): string {
  return path.resolve(/* turbopackIgnore: true */ process.env.DATABASE_PATH ?? path.join("data", "desk.db"));
}

export type OpenDbOptions = {
  /** The keys stored secrets are sealed with; by default SECRETS_KEY or the key file beside the database (db/secrets-key.ts). */
  keyring?: Keyring;
};

/**
 * Opens a SQLite file (or ":memory:") tuned for one writer and many readers, migrates it, and seals any secret an
 * older version stored in clear. The data directory is kept at 0700 and the database files at 0600.
 */
export function openDb(file: string, options: OpenDbOptions = {}): Db {
  prepareDatabaseFile(file);
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("foreign_keys = ON");
  // Reads of a large history (backtests, bench) go through the page cache instead of read() calls.
  if (file !== ":memory:") sqlite.pragma("mmap_size = 268435456");
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder });
  restrictDatabaseFiles(file);
  attachKeyring(db, options.keyring ?? loadKeyring(file));
  sealClearSecrets(db);
  return db;
}

type OpenTransaction = { db: Db; active: boolean };

const openTransactions = new AsyncLocalStorage<OpenTransaction>();
const queueTails = new Map<string, Promise<void>>();
const memoryKeys = new WeakMap<Db, string>();
let memoryCount = 0;

/** Transactions take turns per database file: two connections of this process to one file must not hold each other up. */
function getQueueKey(db: Db): string {
  if (db.$client.memory) {
    let key = memoryKeys.get(db);
    if (!key) memoryKeys.set(db, (key = `memory:${++memoryCount}`));
    return key;
  }
  return db.$client.name;
}

/**
 * Runs `run` in one transaction, committed when it resolves and rolled back when it throws. The data-access code
 * is asynchronous (the same functions run on PostgreSQL, docs/postgres.md), so a transaction's statements can be
 * separated by awaits: on SQLite's one connection, transactions take turns through a queue, and a `transact` called
 * inside an open one (directly or further down) joins it instead of waiting for itself.
 *
 * Every write that must not be lost goes through here: a lone statement run outside any transaction while another's
 * is open on the connection becomes part of it (docs/architecture.md#transactions).
 */
export async function transact<T>(db: Db, run: (tx: Tx) => Promise<T> | T): Promise<T> {
  const open = openTransactions.getStore();
  if (open?.active && open.db === db) return run(db as Tx);
  const key = getQueueKey(db);
  const previous = queueTails.get(key) ?? Promise.resolve();
  let release!: () => void;
  const turn = new Promise<void>((resolve) => (release = resolve));
  const tail = previous.then(() => turn);
  queueTails.set(key, tail);
  await previous;
  const state: OpenTransaction = { db, active: true };
  try {
    // IMMEDIATE: the write lock from the start. A deferred transaction that reads and then writes cannot wait for
    // another connection's write (a second process on the file, a test, the CLI): SQLite answers it SQLITE_BUSY at
    // once, whatever the busy timeout, because its snapshot is already stale. An immediate one waits its turn.
    getStatement(db, "BEGIN IMMEDIATE").run();
    try {
      const result = await openTransactions.run(state, () => run(db as Tx));
      getStatement(db, "COMMIT").run();
      return result;
    } catch (error) {
      if (db.$client.inTransaction) getStatement(db, "ROLLBACK").run();
      throw error;
    }
  } finally {
    state.active = false;
    release();
    if (queueTails.get(key) === tail) queueTails.delete(key);
  }
}

const globalForDb = globalThis as unknown as { deskDb?: Db };

/** The app's one connection (better-sqlite3 is synchronous, so one per process serializes writes). */
export function getDb(): Db {
  globalForDb.deskDb ??= openDb(getDatabasePath());
  return globalForDb.deskDb;
}
