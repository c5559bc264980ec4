import fs from "node:fs";
import path from "node:path";
import { inArray } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { openDb, type Db } from "@/db/client";
import { approve, type Fixture, readTables, receive, seedHandHistory, setUp, shanghai } from "@/db/metrics-history.fixture";
import { metricMonthly, metricShopDaily } from "@/db/schema-metrics";

// SQLite only: the backfills are statements of SQLite's migrations (db/migrations); PostgreSQL's schema starts with
// these tables (db/pg/migrations), so it has none. The rest of the rollup tests run on both engines (metrics.test.ts).

let db: Db;
let fixture: Fixture;

beforeEach(async () => {
  db = openDb(":memory:");
  fixture = await setUp(db);
});

describe("the rollup tables' backfill migrations", () => {
  it.each([
    ["0013_metric_shop_daily.sql", metricShopDaily, "shopDaily"],
    ["0014_metric_monthly.sql", metricMonthly, "monthly"],
  ] as const)("migration %s backfills from the daily rows what a rebuild writes", async (file, table, name) => {
    await seedHandHistory(db, fixture);
    // Across a month boundary too, so the backfill's Shanghai month arithmetic is exercised
    const october = await receive(db, fixture.shops.tmall, "tmall", shanghai("2026-10-31T23:59:59.999"));
    await approve(db, fixture.agent, october, shanghai("2026-11-01T00:01:00"));
    const exact = (await readTables(db))[name];
    expect(exact.length).toBeGreaterThan(1);
    await db.delete(table).where(inArray(table.shopId, Object.values(fixture.shops)));
    const migration = fs.readFileSync(path.join("db", "migrations", file), "utf8");
    const backfill = migration.split("--> statement-breakpoint").find((statement) => /^\s*(WITH|INSERT)/.test(statement));
    db.$client.exec(backfill!);
    expect((await readTables(db))[name]).toEqual(exact);
  });
});
