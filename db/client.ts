import path from "node:path";
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { prepareDatabaseFile, restrictDatabaseFiles } from "@/db/data-files";
import * as schema from "@/db/schema";
import { attachKeyring, sealClearSecrets } from "@/db/secrets";
import { loadKeyring } from "@/db/secrets-key";
import type { Keyring } from "@/lib/secrets/seal";

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/** A drizzle transaction on the app's database (better-sqlite3: synchronous). */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

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
  beginTransactionsImmediate(db);
  migrate(db, { migrationsFolder });
  restrictDatabaseFiles(file);
  attachKeyring(db, options.keyring ?? loadKeyring(file));
  sealClearSecrets(db);
  return db;
}

/**
 * Every transaction takes the write lock when it begins (BEGIN IMMEDIATE), unless it asks otherwise. A deferred
 * transaction that reads and then writes cannot wait for another connection's write: SQLite answers it
 * SQLITE_BUSY at once, whatever the busy timeout, because its snapshot is already stale. Another process on the
 * same file (a second instance, a test, the CLI) then made a pass fail; an immediate one waits its turn instead.
 * In one process it costs nothing: better-sqlite3 runs one transaction at a time.
 */
function beginTransactionsImmediate(db: Db | BetterSQLite3Database<typeof schema>): void {
  const transaction = db.transaction.bind(db);
  db.transaction = ((run, config) => transaction(run, { behavior: "immediate", ...config })) as typeof db.transaction;
}

const globalForDb = globalThis as unknown as { deskDb?: Db };

/** The app's one connection (better-sqlite3 is synchronous, so one per process serializes writes). */
export function getDb(): Db {
  globalForDb.deskDb ??= openDb(getDatabasePath());
  return globalForDb.deskDb;
}
