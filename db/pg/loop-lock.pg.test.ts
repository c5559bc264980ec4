import pg from "pg";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { closeTestDb, openAnotherInstance, openTestDb } from "@/db/test-db";
import { runExclusively } from "@/db/queries/loop-lock";

// A background loop's pass runs on one instance at a time, and moves to another when the one holding it dies.

let dbs: Db[] = [];
let setupError: unknown;

beforeAll(async () => {
  try {
    const first = await openTestDb();
    dbs = [first, await openAnotherInstance(first)];
  } catch (error) {
    setupError = error;
  }
});
beforeEach(() => {
  if (setupError) throw setupError;
});
afterAll(async () => {
  if (dbs[0]) await closeTestDb(dbs[0]);
});

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

it("while one instance runs a loop's pass, the other skips it; then the other may run it", async () => {
  const held = gate();
  const started = gate();
  const first = runExclusively(dbs[0], "assignment", async () => {
    started.open();
    await held.opened;
  });
  await started.opened;
  let ranOnSecond = false;
  expect(await runExclusively(dbs[1], "assignment", async () => void (ranOnSecond = true))).toBe(false);
  expect(ranOnSecond).toBe(false);
  // another loop is not held up by it
  expect(await runExclusively(dbs[1], "claim-lapse", async () => undefined)).toBe(true);
  held.open();
  expect(await first).toBe(true);
  expect(await runExclusively(dbs[1], "assignment", async () => void (ranOnSecond = true))).toBe(true);
  expect(ranOnSecond).toBe(true);
});

it("a lock held by an instance whose connection dies is free again for the others", async () => {
  const started = gate();
  const never = gate();
  const pool = dbs[0].$client as unknown as pg.Pool;
  const dying = runExclusively(dbs[0], "outbox", async () => {
    started.open();
    await never.opened;
  }).catch((error: unknown) => error);
  await started.opened;
  expect(await runExclusively(dbs[1], "outbox", async () => undefined)).toBe(false);
  // The instance dies: the server ends its connections (as when its process is killed)
  const killer = new pg.Client({ connectionString: (pool.options as { connectionString: string }).connectionString });
  await killer.connect();
  await killer.query("select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and query like '%pg_try_advisory_lock%'");
  await killer.end();
  await expect.poll(() => runExclusively(dbs[1], "outbox", async () => undefined), { timeout: 5_000 }).toBe(true);
  never.open();
  await dying;
});
