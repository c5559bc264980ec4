import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDb, type Db } from "@/db/client";
import { createMerchant } from "@/db/factories";
import { backstopCheckpointPages, startWalCheckpointer, type WalCheckpointEvent, type WalCheckpointer } from "@/db/wal-checkpointer";

// The write-ahead log is checkpointed by a worker thread, not inside a request's commit.

let dir: string | null = null;
let db: Db | null = null;
let checkpointer: WalCheckpointer | null = null;

afterEach(async () => {
  await checkpointer?.stop();
  checkpointer = null;
  db?.$client.close();
  db = null;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = null;
});

const walPages = (database: Db) => (database.$client.pragma("wal_checkpoint(NOOP)") as unknown as { log: number }[])[0]?.log;

describe("the WAL checkpointer", () => {
  it("copies the log back from its own thread while the connection's own checkpoint waits for the backstop size", async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "desk-wal-"));
    db = openDb(path.join(dir, "desk.db"));
    const events: WalCheckpointEvent[] = [];
    // A period long enough that only checkpointNow() runs one during the test
    checkpointer = startWalCheckpointer(db, { everyMs: 60_000, onEvent: (event) => events.push(event) });
    expect(checkpointer).not.toBeNull();
    expect(db.$client.pragma("wal_autocheckpoint", { simple: true })).toBe(backstopCheckpointPages);
    for (let index = 0; index < 200; index++) await createMerchant(db, `商家 ${index}`);
    const written = walPages(db);
    expect(written).toBeGreaterThan(0);
    checkpointer!.checkpointNow();
    await expect.poll(() => events.find((event) => event.type === "checkpointed" && event.checkpointed > 0), { timeout: 5_000 }).toBeTruthy();
    const done = events.find((event) => event.type === "checkpointed")!;
    expect(done).toMatchObject({ type: "checkpointed" });
    if (done.type === "checkpointed") expect(done.checkpointed).toBe(done.log);
    await checkpointer!.stop();
    checkpointer = null;
    // Stopped: the connection checkpoints by itself at SQLite's default size again
    expect(db.$client.pragma("wal_autocheckpoint", { simple: true })).toBe(1000);
  });

  it("starts nothing for an in-memory database", () => {
    db = openDb(":memory:");
    expect(startWalCheckpointer(db)).toBeNull();
  });
});
