import path from "node:path";
import fs from "node:fs";
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import * as schema from "@/db/schema";

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

const migrationsFolder = path.join(/* turbopackIgnore: true */ process.cwd(), "db", "migrations");

export function getDatabasePath(): string {
  return path.resolve(/* turbopackIgnore: true */ process.env.DATABASE_PATH ?? path.join("data", "desk.db"));
}

/** Opens a SQLite file (or ":memory:") tuned for one writer and many readers, and migrates it. */
export function openDb(file: string): Db {
  if (file !== ":memory:") fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("foreign_keys = ON");
  // Reads of a large history (backtests, bench) go through the page cache instead of read() calls.
  if (file !== ":memory:") sqlite.pragma("mmap_size = 268435456");
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder });
  return db;
}

const globalForDb = globalThis as unknown as { deskDb?: Db };

/** The app's one connection (better-sqlite3 is synchronous, so one per process serializes writes). */
export function getDb(): Db {
  globalForDb.deskDb ??= openDb(getDatabasePath());
  return globalForDb.deskDb;
}
