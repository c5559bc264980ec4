import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { openDb, type Db } from "@/db/client";
import { createMerchant } from "@/db/factories";

// A transaction holds the write lock from its first statement (BEGIN IMMEDIATE): another connection to the same
// file cannot slip a write in between its read and its write, so it never fails with SQLITE_BUSY mid-way.

let dir: string;
let db: Db;
let other: Database.Database;

afterEach(() => {
  other?.close();
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

describe("transactions begin immediate", () => {
  it("holds the write lock before its first write: another connection cannot start writing meanwhile", async () => {
    openPair();
    const merchantId = await createMerchant(db, "A");
    const otherCouldBegin = db.transaction(() => {
      try {
        other.exec("BEGIN IMMEDIATE");
        other.exec("ROLLBACK");
        return true;
      } catch (error) {
        expect((error as { code?: string }).code).toBe("SQLITE_BUSY");
        return false;
      }
    });
    expect(otherCouldBegin).toBe(false);
    expect(merchantId).toMatch(/^mer_/);
  });

  it("a caller may still ask for a deferred one", () => {
    openPair();
    const otherCouldBegin = db.transaction(
      () => {
        other.exec("BEGIN IMMEDIATE");
        other.exec("ROLLBACK");
        return true;
      },
      { behavior: "deferred" },
    );
    expect(otherCouldBegin).toBe(true);
  });
});
