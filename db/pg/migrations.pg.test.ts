import { randomBytes } from "node:crypto";
import { eq, getTableColumns, is, SQL } from "drizzle-orm";
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import { getTableConfig, type IndexedColumn, PgDialect, PgTable } from "drizzle-orm/pg-core";
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { merchants, shops, users } from "@/db/pg/schema";
import { pgSchema } from "@/db/pg/tables";
import { serverUrlOrFail } from "@/db/pg/test-server";

// db/pg/migrations applied by drizzle's node-postgres migrator to a new database on a live server
// (db/pg/global-setup.ts) builds what db/pg/schema*.ts declares, and the pg-core types read back what they wrote.

const tables = (Object.values(pgSchema) as unknown[])
  .filter((value): value is PgTable => is(value, PgTable))
  .map((table) => ({ table, config: getTableConfig(table) }));
const dialect = new PgDialect();

/** SQL text as both drizzle and the catalog (pg_get_indexdef, pg_get_expr) write it, reduced to compare. */
function reduceSql(text: string) {
  return text
    .toLowerCase()
    .replace(/"/g, "")
    .replace(/::[a-z ]+/g, "")
    .replace(/\b[a-z_]+\.(?=[a-z_])/g, "")
    .replace(/[()\s]/g, "");
}
const renderSql = (value: SQL) => reduceSql(dialect.sqlToQuery(value).sql);

const databaseName = `shouhoutai_test_${randomBytes(6).toString("hex")}`;
let admin: pg.Client;
let client: pg.Client;
let db: NodePgDatabase;

// A missing server fails every test with its reason (a failing beforeAll would mark them skipped)
let setupError: unknown;
let created = false;
beforeAll(async () => {
  try {
    const serverUrl = serverUrlOrFail();
    admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`create database "${databaseName}"`);
    created = true;
    const url = new URL(serverUrl);
    url.pathname = `/${databaseName}`;
    client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    db = drizzle(client);
    await migrate(db, { migrationsFolder: "db/pg/migrations" });
  } catch (error) {
    setupError = error;
  }
});
beforeEach(() => {
  if (setupError) throw setupError;
});

afterAll(async () => {
  await client?.end().catch(() => {});
  if (created) await admin.query(`drop database "${databaseName}"`);
  await admin?.end().catch(() => {});
});

async function rows<T>(text: string): Promise<T[]> {
  return (await client.query(text)).rows as T[];
}

describe("db/pg/migrations on a live server", () => {
  it("creates every table of the schema and no other", async () => {
    const live = await rows<{ table_name: string }>(
      "select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'",
    );
    expect(tables.length).toBeGreaterThan(30);
    expect(live.map((row) => row.table_name).sort()).toEqual(tables.map(({ config }) => config.name).sort());
  });

  it("gives every table its columns, with their types, nullability and defaults", async () => {
    const live = await rows<{ table_name: string; column_name: string; data_type: string; is_nullable: string; has_default: boolean }>(
      `select table_name, column_name, data_type, is_nullable, (column_default is not null or is_identity = 'YES') as has_default
       from information_schema.columns where table_schema = 'public'`,
    );
    const describe = (table: string, column: string, type: string, nullable: boolean, hasDefault: boolean) =>
      `${table}.${column} ${type}${nullable ? "" : " not null"}${hasDefault ? " default" : ""}`;
    const declared = tables.flatMap(({ config }) =>
      config.columns.map((column) => describe(config.name, column.name, column.getSQLType(), !column.notNull, column.hasDefault && column.defaultFn === undefined)),
    );
    expect(live.map((row) => describe(row.table_name, row.column_name, row.data_type, row.is_nullable === "YES", row.has_default)).sort()).toEqual(
      declared.sort(),
    );
  });

  it("creates every index, primary key and unique constraint, on the declared columns", async () => {
    const live = await rows<{ table: string; name: string; unique: boolean; columns: string[]; predicate: string | null }>(
      `select t.relname as "table", i.relname as name, x.indisunique as unique, pg_get_expr(x.indpred, x.indrelid) as predicate,
              array(select pg_get_indexdef(x.indexrelid, k, true) from generate_series(1, x.indnkeyatts) as k order by k) as columns
       from pg_index x join pg_class i on i.oid = x.indexrelid join pg_class t on t.oid = x.indrelid
       join pg_namespace n on n.oid = t.relnamespace where n.nspname = 'public'`,
    );
    const describe = (table: string, name: string, unique: boolean, columns: string[], predicate: string | null) =>
      `${table}: ${unique ? "unique " : ""}${name} (${columns.map(reduceSql).join(", ")})${predicate ? ` where ${reduceSql(predicate)}` : ""}`;
    const declared = tables.flatMap(({ table, config }) => {
      const columns = Object.values(getTableColumns(table));
      const singlePrimary = columns.filter((column) => column.primary).map((column) => describe(config.name, `${config.name}_pkey`, true, [column.name], null));
      const compositePrimary = config.primaryKeys.map((key) => describe(config.name, key.getName(), true, key.columns.map((column) => column.name), null));
      const uniqueColumns = columns.filter((column) => column.isUnique).map((column) => describe(config.name, column.uniqueName!, true, [column.name], null));
      const indexes = config.indexes.map(({ config: index }) =>
        describe(
          config.name,
          index.name!,
          index.unique,
          index.columns.map((column) => (is(column, SQL) ? renderSql(column) : (column as IndexedColumn).name!)),
          index.where ? renderSql(index.where) : null,
        ),
      );
      return [...singlePrimary, ...compositePrimary, ...uniqueColumns, ...indexes];
    });
    expect(live.map((row) => describe(row.table, row.name, row.unique, row.columns, row.predicate)).sort()).toEqual(declared.sort());
  });

  it("creates every foreign key, with its target and on-delete action", async () => {
    const live = await rows<{ name: string; table: string; columns: string[]; target: string; target_columns: string[]; on_delete: string }>(
      `select c.conname as name, t.relname as "table", f.relname as target,
              array(select a.attname::text from unnest(c.conkey) with ordinality as k(attnum, i)
                    join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.attnum order by k.i) as columns,
              array(select a.attname::text from unnest(c.confkey) with ordinality as k(attnum, i)
                    join pg_attribute a on a.attrelid = c.confrelid and a.attnum = k.attnum order by k.i) as target_columns,
              case c.confdeltype when 'a' then 'no action' when 'r' then 'restrict' when 'c' then 'cascade'
                                 when 'n' then 'set null' when 'd' then 'set default' end as on_delete
       from pg_constraint c join pg_class t on t.oid = c.conrelid join pg_class f on f.oid = c.confrelid
       join pg_namespace n on n.oid = t.relnamespace where c.contype = 'f' and n.nspname = 'public'`,
    );
    const describe = (name: string, table: string, columns: string[], target: string, targetColumns: string[], onDelete: string) =>
      `${name}: ${table}(${columns.join(", ")}) -> ${target}(${targetColumns.join(", ")}) on delete ${onDelete}`;
    const declared = tables.flatMap(({ config }) =>
      config.foreignKeys.map((foreignKey) => {
        const reference = foreignKey.reference();
        return describe(
          foreignKey.getName(),
          config.name,
          reference.columns.map((column) => column.name),
          getTableConfig(reference.foreignTable).name,
          reference.foreignColumns.map((column) => column.name),
          foreignKey.onDelete ?? "no action",
        );
      }),
    );
    expect(live.map((row) => describe(row.name, row.table, row.columns, row.target, row.target_columns, row.on_delete)).sort()).toEqual(declared.sort());
  });

  it("reads back a merchant, shop and user with their instants and booleans as written", async () => {
    const autoAssignSince = new Date("2026-03-01T08:30:00.123Z");
    const before = Date.now();
    await db.insert(merchants).values({ id: "m1", name: "小店商家" });
    await db.insert(shops).values({ id: "s1", merchantId: "m1", platform: "douyin", name: "抖店", autoAssign: true, autoAssignSince });
    await db.insert(users).values({ id: "u1", name: "客服", email: "kefu@example.com", merchantId: "m1", emailVerified: true });

    const [shop] = await db.select().from(shops).where(eq(shops.id, "s1"));
    expect(shop.autoAssignSince).toEqual(autoAssignSince);
    expect(shop.autoAssign).toBe(true);
    expect(shop.agentsMayOpenEntry).toBe(false);
    expect(shop.assignCap).toBe(5);
    // The created_at default is the server's clock in epoch ms
    expect(shop.createdAt).toBeInstanceOf(Date);
    expect(shop.createdAt.getTime()).toBeGreaterThanOrEqual(before - 60_000);
    expect(shop.createdAt.getTime()).toBeLessThanOrEqual(Date.now() + 60_000);

    const [user] = await db.select().from(users).where(eq(users.id, "u1"));
    expect(user).toMatchObject({ emailVerified: true, allShops: false, role: "agent", merchantId: "m1" });
    const [merchant] = await db.select().from(merchants).where(eq(merchants.id, "m1"));
    expect(merchant.name).toBe("小店商家");

    // In SQL an instant is plain epoch ms, so arithmetic on instants reads the same as on SQLite
    const [raw] = await rows<{ since: string; later: string }>("select auto_assign_since as since, auto_assign_since + 1000 as later from shops");
    expect(Number(raw.since)).toBe(autoAssignSince.getTime());
    expect(Number(raw.later)).toBe(autoAssignSince.getTime() + 1000);
  });
});
