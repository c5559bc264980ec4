import { Worker } from "node:worker_threads";
import { isPostgresDb, type Db } from "@/db/client";

// SQLite copies the write-ahead log back into the database (a checkpoint) inside whichever commit crosses the
// auto-checkpoint size: on the bench's decisions about one commit in 36, stalling that commit 7–16 ms and every
// request queued behind it on the one thread. Here a worker thread with its own connection checkpoints the log
// every second instead (PASSIVE: it never waits for a reader or blocks a writer), so commits stay short. The
// connection's own auto-checkpoint stays as a backstop at a larger size, in case the worker stops
// (docs/decisions/0011-decisions-on-the-fast-path.md).

/** The main connection checkpoints by itself only past this many WAL pages (~80 MB of 4 KiB pages). */
export const backstopCheckpointPages = 20_000;

// Plain JS run by the worker: better-sqlite3 is loaded from the app's node_modules (it is a server external)
const workerSource = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require("better-sqlite3");
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma("busy_timeout = 1000");
const checkpoint = () => {
  try {
    const [result] = db.pragma("wal_checkpoint(PASSIVE)");
    parentPort.postMessage({ type: "checkpointed", log: result.log, checkpointed: result.checkpointed });
  } catch (error) {
    parentPort.postMessage({ type: "failed", message: String(error && error.message || error) });
  }
};
const timer = setInterval(checkpoint, workerData.everyMs);
parentPort.on("message", (message) => {
  if (message === "now") checkpoint();
  if (message === "stop") {
    clearInterval(timer);
    db.close();
    parentPort.close();
  }
});
`;

export type WalCheckpointEvent = { type: "checkpointed"; log: number; checkpointed: number } | { type: "failed"; message: string };

export type WalCheckpointer = {
  /** Asks for a checkpoint now (tests). */
  checkpointNow: () => void;
  stop: () => Promise<void>;
};

/**
 * Starts the checkpointing worker for a file database (none for ":memory:") and raises the connection's own
 * auto-checkpoint to the backstop; if the worker fails, the connection checkpoints at SQLite's default again.
 */
export function startWalCheckpointer(db: Db, options: { everyMs?: number; onEvent?: (event: WalCheckpointEvent) => void; logError?: (...values: unknown[]) => void } = {}): WalCheckpointer | null {
  // PostgreSQL has no write-ahead log of ours to copy back
  if (isPostgresDb(db)) return null;
  const client = db.$client;
  if (client.memory) return null;
  const logError = options.logError ?? console.error;
  const worker = new Worker(workerSource, { eval: true, workerData: { file: client.name, everyMs: options.everyMs ?? 1_000 } });
  worker.unref();
  client.pragma(`wal_autocheckpoint = ${backstopCheckpointPages}`);
  const restoreDefault = () => {
    if (client.open) client.pragma("wal_autocheckpoint = 1000");
  };
  worker.on("message", (event: WalCheckpointEvent) => {
    if (event.type === "failed") logError("[wal-checkpoint] the checkpoint failed:", event.message);
    options.onEvent?.(event);
  });
  worker.on("error", (error) => {
    logError("[wal-checkpoint] the worker stopped; the connection checkpoints by itself again:", error);
    restoreDefault();
  });
  return {
    checkpointNow: () => worker.postMessage("now"),
    stop: async () => {
      worker.postMessage("stop");
      await new Promise<void>((resolve) => worker.once("exit", () => resolve()));
      restoreDefault();
    },
  };
}
