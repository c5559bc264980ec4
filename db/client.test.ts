import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { getCommitStats, openDb, transact, type Db } from "@/db/client";
import { maxTransactionsPerCommit } from "@/db/group-commit";
import { createMerchant } from "@/db/factories";
import { merchants } from "@/db/schema";

// transact(): one transaction at a time on the connection, each holding the write lock from its first statement
// (BEGIN IMMEDIATE), committed when its function resolves and rolled back when it throws.

let dir: string;
let db: Db;
let other: Database.Database | undefined;

afterEach(() => {
  other?.close();
  other = undefined;
  db?.$client.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function openPair() {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "desk-tx-"));
  const file = path.join(dir, "desk.db");
  db = openDb(file);
  other = new Database(file);
  other.pragma("busy_timeout = 0");
}

const nameOf = (id: string) => db.select({ name: merchants.name }).from(merchants).where(eq(merchants.id, id)).get()?.name;

describe("transact", () => {
  it("holds the write lock before its first write: another connection cannot start writing meanwhile", async () => {
    openPair();
    const merchantId = await createMerchant(db, "A");
    const otherCouldBegin = await transact(db, async () => {
      try {
        other!.exec("BEGIN IMMEDIATE");
        other!.exec("ROLLBACK");
        return true;
      } catch (error) {
        expect((error as { code?: string }).code).toBe("SQLITE_BUSY");
        return false;
      }
    });
    expect(otherCouldBegin).toBe(false);
    expect(merchantId).toMatch(/^mer_/);
    // and lets go of it once done
    other!.exec("BEGIN IMMEDIATE");
    other!.exec("ROLLBACK");
  });

  it("commits what its function wrote, and rolls all of it back when the function throws", async () => {
    db = openDb(":memory:");
    const id = await createMerchant(db, "before");
    await transact(db, async (tx) => {
      tx.update(merchants).set({ name: "committed" }).where(eq(merchants.id, id)).run();
    });
    expect(nameOf(id)).toBe("committed");
    await expect(
      transact(db, async (tx) => {
        tx.update(merchants).set({ name: "lost" }).where(eq(merchants.id, id)).run();
        await Promise.resolve();
        throw new Error("refused");
      }),
    ).rejects.toThrow("refused");
    expect(nameOf(id)).toBe("committed");
    expect(db.$client.inTransaction).toBe(false);
  });

  it("runs transactions that await in between one after another, never interleaved", async () => {
    db = openDb(":memory:");
    const id = await createMerchant(db, "0");
    const steps: string[] = [];
    const increment = (label: string) =>
      transact(db, async (tx) => {
        steps.push(`${label} read`);
        const current = Number(tx.select({ name: merchants.name }).from(merchants).where(eq(merchants.id, id)).get()!.name);
        await new Promise((resolve) => setTimeout(resolve, 5));
        tx.update(merchants).set({ name: String(current + 1) }).where(eq(merchants.id, id)).run();
        steps.push(`${label} wrote`);
      });
    await Promise.all([increment("a"), increment("b"), increment("c")]);
    // Interleaved, two would read the same value and one increment would be lost
    expect(nameOf(id)).toBe("3");
    expect(steps).toEqual(["a read", "a wrote", "b read", "b wrote", "c read", "c wrote"]);
  });

  it("a transact inside an open one joins it (no deadlock), and its writes roll back with the outer one", async () => {
    db = openDb(":memory:");
    const id = await createMerchant(db, "start");
    await expect(
      transact(db, async () => {
        await transact(db, async (tx) => {
          tx.update(merchants).set({ name: "inner" }).where(eq(merchants.id, id)).run();
        });
        expect(nameOf(id)).toBe("inner");
        throw new Error("outer fails");
      }),
    ).rejects.toThrow("outer fails");
    expect(nameOf(id)).toBe("start");
  });

  it("work started inside a transaction that runs after it ended opens its own instead of joining a finished one", async () => {
    db = openDb(":memory:");
    const id = await createMerchant(db, "start");
    let later: Promise<void> = Promise.resolve();
    await transact(db, async () => {
      later = new Promise<void>((resolve) => setTimeout(resolve, 5)).then(() =>
        transact(db, async (tx) => {
          expect(db.$client.inTransaction).toBe(true);
          tx.update(merchants).set({ name: "later" }).where(eq(merchants.id, id)).run();
        }),
      );
    });
    await later;
    expect(db.$client.inTransaction).toBe(false);
    expect(nameOf(id)).toBe("later");
  });
});

// Transactions waiting together share one commit (db/group-commit.ts), each in its own savepoint
describe("transact: a shared commit", () => {
  const rename = (id: string, name: string) =>
    transact(db, async (tx) => {
      tx.update(merchants).set({ name }).where(eq(merchants.id, id)).run();
      await Promise.resolve();
    });

  it("transactions started together are committed together, and each caller hears back only after that commit", async () => {
    openPair();
    const ids = await Promise.all(["a", "b", "c", "d", "e"].map((name) => createMerchant(db, name)));
    const before = getCommitStats(db);
    let release!: () => void;
    const lastMayFinish = new Promise<void>((resolve) => (release = resolve));
    let firstSettled = false;
    const first = rename(ids[0], "a2").then(() => (firstSettled = true));
    const middle = ids.slice(1, 4).map((id, index) => rename(id, `${"bcd"[index]}2`));
    const last = transact(db, async (tx) => {
      tx.update(merchants).set({ name: "e2" }).where(eq(merchants.id, ids[4])).run();
      // The first one's work is done by now, but its commit waits for the whole group
      await new Promise((resolve) => setTimeout(resolve, 10));
      const seenByOther = other!.prepare("select name from merchants where id = ?").get(ids[0]) as { name: string };
      expect(seenByOther.name).toBe("a");
      expect(firstSettled).toBe(false);
      await lastMayFinish;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    release();
    await Promise.all([first, ...middle, last]);
    const after = getCommitStats(db);
    expect(after.commits - before.commits).toBe(1);
    expect(after.transactions - before.transactions).toBe(5);
    const names = ids.map((id) => (other!.prepare("select name from merchants where id = ?").get(id) as { name: string }).name);
    expect(names).toEqual(["a2", "b2", "c2", "d2", "e2"]);
  });

  /** Three renames started together; the middle one writes, then `fail` runs and it throws `error`. */
  async function renameThreeWithFailingMiddle(fail: () => Promise<void> | void, error: Error) {
    db = openDb(":memory:");
    const ids = await Promise.all(["a", "b", "c"].map((name) => createMerchant(db, name)));
    const results = await Promise.allSettled([
      rename(ids[0], "a2"),
      transact(db, async (tx) => {
        tx.update(merchants).set({ name: "b2" }).where(eq(merchants.id, ids[1])).run();
        await fail();
        throw error;
      }),
      rename(ids[2], "c2"),
    ]);
    expect(db.$client.inTransaction).toBe(false);
    return { statuses: results.map((result) => result.status), reasons: results.map((result) => (result.status === "rejected" ? result.reason : null)), names: ids.map(nameOf) };
  }

  it("one that throws takes back only its own writes: the others in its group commit", async () => {
    const refused = new Error("refused");
    const { statuses, reasons, names } = await renameThreeWithFailingMiddle(() => Promise.resolve(), refused);
    expect(statuses).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(reasons[1]).toBe(refused);
    expect(names).toEqual(["a2", "b", "c2"]);
  });

  it(`never puts more than ${maxTransactionsPerCommit} in one commit`, async () => {
    db = openDb(":memory:");
    const id = await createMerchant(db, "0");
    const before = getCommitStats(db);
    const count = maxTransactionsPerCommit * 2 + 1;
    await Promise.all(Array.from({ length: count }, (_, index) => rename(id, String(index))));
    const after = getCommitStats(db);
    expect(after.transactions - before.transactions).toBe(count);
    expect(after.commits - before.commits).toBe(3);
    expect(nameOf(id)).toBe(String(count - 1));
  });

  it("when SQLite ends the transaction by itself, the work before it in the group is refused too and the rest runs in the next commit", async () => {
    const diskFull = new Error("disk full");
    // What a full disk or an I/O error does: SQLite rolls the whole transaction back
    const { statuses, reasons, names } = await renameThreeWithFailingMiddle(() => {
      db.$client.exec("ROLLBACK");
    }, diskFull);
    expect(statuses).toEqual(["rejected", "rejected", "fulfilled"]);
    expect(reasons[0]).toBe(diskFull);
    expect(names).toEqual(["a", "b", "c2"]);
  });
});

