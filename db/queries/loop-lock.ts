import type pg from "pg";
import { isPostgresDb, type Db } from "@/db/client";

// Background loops on several instances (docs/loops.md, "Several instances"): each pass of a loop runs on one
// instance at a time. On PostgreSQL a pass first takes a session advisory lock named after its loop on a connection
// of its own; an instance that does not get it skips the pass, and a lock held by an instance that dies is released
// with its connection, so the next pass runs elsewhere. SQLite has one process per file: the pass always runs.

/** The advisory lock key of a loop: a stable 64-bit number from its name (PostgreSQL's hashtextextended). */
const lockSql = "select pg_try_advisory_lock(hashtextextended($1, 0)) as locked";
const unlockSql = "select pg_advisory_unlock(hashtextextended($1, 0))";

/** Runs `run` if no other instance is running the loop `name` now; true when it ran. */
export async function runExclusively(db: Db, name: string, run: () => Promise<unknown>): Promise<boolean> {
  if (!isPostgresDb(db)) {
    await run();
    return true;
  }
  const pool = db.$client as unknown as pg.Pool;
  const connection = await pool.connect();
  const key = `shouhoutai:loop:${name}`;
  // A lost connection has lost the lock with it: the pass ends with an error and the connection is not reused
  let lost: Error | undefined;
  const onError = (error: Error) => (lost = error);
  connection.on("error", onError);
  try {
    const { rows } = await connection.query<{ locked: boolean }>(lockSql, [key]);
    if (!rows[0]?.locked) return false;
    try {
      await run();
    } finally {
      if (!lost) await connection.query(unlockSql, [key]);
    }
    if (lost) throw new Error(`The ${name} pass lost its database connection: ${lost.message}`);
    return true;
  } finally {
    connection.off("error", onError);
    connection.release(lost);
  }
}
