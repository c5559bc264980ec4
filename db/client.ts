import { AsyncLocalStorage } from "node:async_hooks";
import path from "node:path";
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { drizzle as drizzlePostgres, type NodePgDatabase } from "drizzle-orm/node-postgres";
import { migrate as migratePostgres } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import { prepareDatabaseFile, restrictDatabaseFiles } from "@/db/data-files";
import { getDialect } from "@/db/dialect";
import { createTransactionQueue, runInGroup, type TransactionQueue } from "@/db/group-commit";
import { pgSchema } from "@/db/pg/tables";
import * as schema from "@/db/schema";
import { attachKeyring, getKeyring, sealClearSecrets } from "@/db/secrets";
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
const postgresMigrationsFolder = path.join(/* turbopackIgnore: true */ process.cwd(), "db", "pg", "migrations");

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

type PostgresDb = NodePgDatabase<typeof pgSchema> & { $client: pg.Pool };

// Which connections are PostgreSQL pools: the query layer holds both as Db (docs/postgres.md#one-query-layer-two-engines)
// On globalThis, like the connection itself: Next bundles this module more than once (instrumentation, each route),
// and every copy must know the pool opened at start, see the same open transaction and wait in the same queue
const globalForEngine = globalThis as unknown as {
  deskPostgresDbs?: WeakSet<object>;
  deskOpenTransactions?: AsyncLocalStorage<OpenTransaction>;
  deskTransactionGroups?: Map<string, TransactionQueue>;
};
const postgresDbs = (globalForEngine.deskPostgresDbs ??= new WeakSet<object>());

export function isPostgresDb(db: Db): boolean {
  return postgresDbs.has(db);
}

/**
 * Opens a pool on a PostgreSQL database and brings it to the latest migration (db/pg/migrations; drizzle's migrator
 * takes an advisory lock, so instances starting together migrate once). Secrets are sealed with SECRETS_KEY, or the
 * key file in the data folder: several instances must share one key (docs/postgres.md).
 */
export async function openPostgresDb(url: string, options: OpenDbOptions & { maxConnections?: number } = {}): Promise<Db> {
  // bigint and numeric (epoch-ms instants, counts, sums) as numbers, not strings: every one the desk stores fits in 2^53
  const types = { getTypeParser: ((oid: number, format?: "text" | "binary") => (oid === 20 || oid === 1700 ? Number : pg.types.getTypeParser(oid, format))) as typeof pg.types.getTypeParser };
  const pool = new pg.Pool({ connectionString: url, max: options.maxConnections ?? 10, types });
  pool.on("error", (error) => console.error("[db] idle PostgreSQL connection failed:", error.message));
  const db = drizzlePostgres(pool, { schema: pgSchema }) as PostgresDb;
  postgresDbs.add(db);
  try {
    await migratePostgres(db, { migrationsFolder: postgresMigrationsFolder });
  } catch (error) {
    await pool.end();
    throw error;
  }
  const asDb = db as unknown as Db;
  attachKeyring(asDb, options.keyring ?? loadKeyring(getDatabasePath()));
  return asDb;
}

/** Closes the connection (SQLite) or ends the pool (PostgreSQL). */
export async function closeDb(db: Db): Promise<void> {
  if (isPostgresDb(db)) await (db.$client as unknown as pg.Pool).end();
  else db.$client.close();
}

type OpenTransaction = { db: Db; tx: Tx; active: boolean; beforeCommit?: (() => Promise<void>)[] };

const openTransactions = (globalForEngine.deskOpenTransactions ??= new AsyncLocalStorage<OpenTransaction>());
const transactionQueues = (globalForEngine.deskTransactionGroups ??= new Map<string, TransactionQueue>());
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

function getTransactionQueue(db: Db): TransactionQueue {
  const key = getQueueKey(db);
  let queue = transactionQueues.get(key);
  if (!queue) transactionQueues.set(key, (queue = createTransactionQueue()));
  return queue;
}

/** Whether no transaction is running or waiting on any SQLite file of this process (tests that step loops by hand). */
export function areTransactionsIdle(): boolean {
  for (const queue of transactionQueues.values()) if (queue.isScheduled || queue.waiting.length > 0) return false;
  return true;
}

/** How many commits this process made on the database's file and how many transactions they carried (bench, tests). */
export function getCommitStats(db: Db): { commits: number; transactions: number } {
  if (isPostgresDb(db)) return { commits: 0, transactions: 0 };
  return { ...getTransactionQueue(db).stats };
}

/**
 * Runs `run` in one transaction, committed when it resolves and rolled back when it throws. The data-access code
 * is asynchronous (the same functions run on PostgreSQL, docs/postgres.md), so a transaction's statements can be
 * separated by awaits: on SQLite's one connection, transactions take turns, those waiting together share one commit
 * (each in its own savepoint, db/group-commit.ts), and a `transact` called inside an open one (directly or further
 * down) joins it instead of waiting for itself. The promise settles once the commit is done.
 *
 * Every write that must not be lost goes through here: a lone statement run outside any transaction while another's
 * is open on the connection becomes part of it (docs/architecture.md#transactions).
 */
export async function transact<T>(db: Db, run: (tx: Tx) => Promise<T> | T): Promise<T> {
  const open = openTransactions.getStore();
  if (open?.active && (open.db === db || open.tx === db)) return run(open.tx);
  if (isPostgresDb(db)) return transactOnPostgres(db, run);
  const target = { connection: db.$client, statement: (text: string) => getStatement(db, text), isInTransaction: () => db.$client.inTransaction };
  return runInGroup(target, getTransactionQueue(db), async () => {
    const state: OpenTransaction = { db, tx: db as Tx, active: true };
    try {
      return await openTransactions.run(state, () => run(db as Tx));
    } finally {
      // Work it started that runs after it ended opens a transaction of its own
      state.active = false;
    }
  });
}

/**
 * Runs `write` just before the open transaction on `writer` commits, when that is a PostgreSQL one; anywhere else at
 * once. For writes to rows many transactions share (the metrics rollups: every card of a shop's hour adds to one
 * row): PostgreSQL holds a row's lock from the write to the commit, so written last they are held for the commit
 * only, not for the rest of the transaction's round trips (docs/postgres.md#hot-rows). Deferred writes run in the
 * order they were asked for; nothing in the transaction may read what they write before it ends.
 */
export async function runBeforeCommit(writer: Db | Tx, write: () => Promise<void>): Promise<void> {
  const open = openTransactions.getStore();
  if (open?.active && open.tx === writer && open.beforeCommit) open.beforeCommit.push(write);
  else await write();
}

/**
 * PostgreSQL: a transaction on a connection of its own from the pool, so transactions of this process run side by
 * side; conflicting writes wait on row locks. Read committed: every write the desk races on is a conditional update
 * or an upsert, decided by the row as it is when the write runs (docs/postgres.md#transactions).
 */
async function transactOnPostgres<T>(db: Db, run: (tx: Tx) => Promise<T> | T): Promise<T> {
  const keyring = getKeyring(db);
  return (db as unknown as PostgresDb).transaction(async (pgTx) => {
    const tx = pgTx as unknown as Tx;
    attachKeyring(tx, keyring);
    postgresDbs.add(tx);
    const state: OpenTransaction = { db, tx, active: true, beforeCommit: [] };
    try {
      return await openTransactions.run(state, async () => {
        const result = await run(tx);
        // The deferred hot-row writes, last (a deferred write may defer another: it runs after these)
        for (let index = 0; index < state.beforeCommit!.length; index++) await state.beforeCommit![index]();
        return result;
      });
    } finally {
      state.active = false;
    }
  });
}

const globalForDb = globalThis as unknown as { deskDb?: Db };

/** The app's one connection (better-sqlite3 is synchronous, so one per process serializes writes). */
export function getDb(): Db {
  if (!globalForDb.deskDb && getDialect() === "postgres") throw new Error("The PostgreSQL database is opened at start (openAppDb) before any request is served");
  globalForDb.deskDb ??= openDb(getDatabasePath());
  return globalForDb.deskDb;
}

/** At start: the app's database, SQLite's file or DATABASE_URL's PostgreSQL, opened and migrated before serving. */
export async function openAppDb(): Promise<Db> {
  if (!globalForDb.deskDb && getDialect() === "postgres") globalForDb.deskDb = await openPostgresDb(process.env.DATABASE_URL!);
  return getDb();
}
