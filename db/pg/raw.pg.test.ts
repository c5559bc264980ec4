import { inArray } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, expect, it, vi } from "vitest";
import { transact, type Db } from "@/db/client";
import { allRaw, runRawTogether } from "@/db/raw";
import { merchants } from "@/db/schema";
import { closeTestDb, openTestDb } from "@/db/test-db";

// Several writes in one round trip on PostgreSQL (the rollup upserts, docs/postgres.md#hot-rows).

let db: Db;
let setupError: unknown;

beforeAll(async () => {
  try {
    db = await openTestDb();
  } catch (error) {
    setupError = error;
  }
});
beforeEach(() => {
  if (setupError) throw setupError;
});
afterAll(async () => {
  if (db) await closeTestDb(db);
});

it("runs several writes as one statement, each with its own values, and all of them take effect", async () => {
  await runRawTogether(db, [{ text: `insert into "merchants" ("id", "name") values (?, ?)`, params: ["mer_raw_c", "丙"] }]);
  const statements = await transact(db, async (tx) => {
    const execute = vi.spyOn(tx as unknown as { execute: (query: unknown) => Promise<unknown> }, "execute");
    await runRawTogether(tx, [
      { text: `insert into "merchants" ("id", "name") values (?, ?)`, params: ["mer_raw_a", "甲"] },
      { text: `insert into "merchants" ("id", "name") values (?, ?)`, params: ["mer_raw_b", "乙"] },
      { text: `update "merchants" set "name" = ? where "id" = ?`, params: ["丙二", "mer_raw_c"] },
    ]);
    return execute.mock.calls.length;
  });
  expect(statements).toBe(1);
  const rows = await db.select({ id: merchants.id, name: merchants.name }).from(merchants).where(inArray(merchants.id, ["mer_raw_a", "mer_raw_b", "mer_raw_c"])).orderBy(merchants.id);
  expect(rows).toEqual([
    { id: "mer_raw_a", name: "甲" },
    { id: "mer_raw_b", name: "乙" },
    { id: "mer_raw_c", name: "丙二" },
  ]);
  // and nothing at all for no writes
  await runRawTogether(db, []);
  expect(await allRaw<{ id: string }>(db, `select "id" from "merchants" where "id" like ?`, ["mer_raw_%"])).toHaveLength(3);
});
