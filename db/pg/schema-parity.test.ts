import fs from "node:fs";
import { getTableColumns, is, SQL } from "drizzle-orm";
import { getTableConfig as getPgTableConfig, type IndexedColumn, PgDialect, PgTable, type PgColumn } from "drizzle-orm/pg-core";
import { getTableConfig as getSqliteTableConfig, SQLiteSyncDialect, SQLiteTable, type SQLiteColumn } from "drizzle-orm/sqlite-core";
import { describe, expect, test } from "vitest";
import * as pgCore from "@/db/pg/schema";
import * as pgFreight from "@/db/pg/schema-freight";
import * as pgMetrics from "@/db/pg/schema-metrics";
import * as pgPlatforms from "@/db/pg/schema-platforms";
import * as pgPolicy from "@/db/pg/schema-policy";
import * as pgPresence from "@/db/pg/schema-presence";
import * as pgRules from "@/db/pg/schema-rules";
import * as pgWebhooks from "@/db/pg/schema-webhooks";
import * as sqliteCore from "@/db/sqlite/schema";
import * as sqliteFreight from "@/db/sqlite/schema-freight";
import * as sqliteMetrics from "@/db/sqlite/schema-metrics";
import * as sqlitePlatforms from "@/db/sqlite/schema-platforms";
import * as sqlitePolicy from "@/db/sqlite/schema-policy";
import * as sqlitePresence from "@/db/sqlite/schema-presence";
import * as sqliteRules from "@/db/sqlite/schema-rules";
import * as sqliteWebhooks from "@/db/sqlite/schema-webhooks";

// The PostgreSQL schema (db/pg/schema*.ts) declares what the SQLite one (db/schema*.ts) does, with the types of
// docs/postgres.md#type-mapping: tables, columns, keys, uniques, indexes and foreign keys, by their SQL names.

const sqliteFiles: Record<string, object> = {
  "schema.ts": sqliteCore,
  "schema-freight.ts": sqliteFreight,
  "schema-metrics.ts": sqliteMetrics,
  "schema-platforms.ts": sqlitePlatforms,
  "schema-policy.ts": sqlitePolicy,
  "schema-presence.ts": sqlitePresence,
  "schema-rules.ts": sqliteRules,
  "schema-webhooks.ts": sqliteWebhooks,
};
const pgFiles: Record<string, object> = {
  "schema.ts": pgCore,
  "schema-freight.ts": pgFreight,
  "schema-metrics.ts": pgMetrics,
  "schema-platforms.ts": pgPlatforms,
  "schema-policy.ts": pgPolicy,
  "schema-presence.ts": pgPresence,
  "schema-rules.ts": pgRules,
  "schema-webhooks.ts": pgWebhooks,
};

/** Integer columns that are bigint on PostgreSQL: sums that pass 2^31 (db/pg/schema-metrics.ts). */
const widenedToBigint = new Set(
  ["metric_hourly", "metric_daily", "metric_monthly", "metric_shop_daily"].flatMap((table) =>
    ["refund_fen", "return_freight_fen", "response_ms_total"].map((column) => `${table}.${column}`),
  ),
);

/** SQLite SQL and its PostgreSQL translation, applied to SQLite's defaults, index expressions and index conditions. */
const sqlTranslations: [sqlite: string, pg: string][] = [
  ["(cast(unixepoch('subsecond') * 1000 as integer))", "(floor(extract(epoch from clock_timestamp()) * 1000)::bigint)"],
  // the scalar min() of two values
  ["min(", "least("],
];

const schemaFileNames = (dir: string) => fs.readdirSync(dir).filter((file) => /^schema(-[a-z]+)?\.ts$/.test(file)).sort();

type Table = { file: string; table: unknown };
function tablesOf(files: Record<string, object>, isTable: (value: unknown) => boolean): Map<string, Table> {
  const tables = new Map<string, Table>();
  for (const [file, exports] of Object.entries(files)) {
    for (const [name, value] of Object.entries(exports)) if (isTable(value)) tables.set(name, { file, table: value });
  }
  return tables;
}
const sqliteTables = tablesOf(sqliteFiles, (value) => is(value, SQLiteTable));
const pgTables = tablesOf(pgFiles, (value) => is(value, PgTable));

const sqliteDialect = new SQLiteSyncDialect();
const pgDialect = new PgDialect();

/** SQL text without quotes or table qualifiers, so both engines' renderings compare. */
function normalizeSql(text: string, tableName: string) {
  return text
    .replace(/[`"]/g, "")
    .replaceAll(`${tableName}.`, "")
    .replace(/\s+/g, " ")
    .trim()
    .toLowerCase();
}
function translate(text: string) {
  return sqlTranslations.reduce((result, [sqlite, pg]) => result.replaceAll(sqlite.toLowerCase(), pg.toLowerCase()), text);
}

type Rendered = string | null;
function renderSqlite(value: unknown, tableName: string): Rendered {
  if (value === undefined) return null;
  if (is(value, SQL)) return translate(normalizeSql(sqliteDialect.sqlToQuery(value).sql, tableName));
  return JSON.stringify(value);
}
function renderPg(value: unknown, tableName: string): Rendered {
  if (value === undefined) return null;
  if (is(value, SQL)) return normalizeSql(pgDialect.sqlToQuery(value).sql, tableName);
  return JSON.stringify(value);
}

/** The PostgreSQL type a SQLite column maps to (docs/postgres.md#type-mapping); instants are checked apart. */
function expectedPgType(tableName: string, column: SQLiteColumn) {
  switch (column.columnType) {
    case "SQLiteText":
      return "text";
    case "SQLiteInteger":
      return widenedToBigint.has(`${tableName}.${column.name}`) ? "bigint" : "integer";
    case "SQLiteTimestamp":
      return "instant";
    case "SQLiteBoolean":
      return "boolean";
    case "SQLiteTextJson":
      return "jsonb";
    case "SQLiteBlobBuffer":
      return "bytea";
    default:
      return `no mapping for ${column.columnType}`;
  }
}
function pgType(column: PgColumn) {
  if (column.columnType !== "PgCustomColumn" || column.getSQLType() !== "bigint") return column.getSQLType();
  // An instant reads bigint epoch ms (a string from node-postgres) as a Date and writes a Date as the number
  const readBack = column.mapFromDriverValue("1767225600123");
  const written = column.mapToDriverValue(new Date(1767225600123));
  return readBack instanceof Date && readBack.getTime() === 1767225600123 && written === 1767225600123 ? "instant" : "bigint (not an instant)";
}

function sqliteShape(table: SQLiteTable) {
  const config = getSqliteTableConfig(table);
  return {
    name: config.name,
    columns: Object.fromEntries(
      Object.entries(getTableColumns(table)).map(([key, column]) => [
        key,
        {
          name: column.name,
          type: expectedPgType(config.name, column),
          notNull: column.notNull,
          hasDefault: column.hasDefault,
          default: renderSqlite(column.default, config.name),
          primary: column.primary,
          unique: column.isUnique ? column.uniqueName : null,
          enumValues: column.enumValues ?? null,
          identity: "autoIncrement" in column && column.autoIncrement === true,
        },
      ]),
    ),
    primaryKeys: config.primaryKeys.map((key) => ({ name: key.getName(), columns: key.columns.map((column) => column.name) })),
    uniqueConstraints: config.uniqueConstraints.map((unique) => ({ name: unique.name, columns: unique.columns.map((column) => column.name) })),
    indexes: config.indexes
      .map(({ config: index }) => ({
        name: index.name,
        unique: index.unique,
        columns: index.columns.map((column) => (is(column, SQL) ? renderSqlite(column, config.name) : column.name)),
        where: renderSqlite(index.where, config.name),
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    foreignKeys: config.foreignKeys
      .map((foreignKey) => {
        const reference = foreignKey.reference();
        return {
          name: foreignKey.getName(),
          columns: reference.columns.map((column) => column.name),
          foreignTable: getSqliteTableConfig(reference.foreignTable).name,
          foreignColumns: reference.foreignColumns.map((column) => column.name),
          onDelete: foreignKey.onDelete ?? "no action",
          onUpdate: foreignKey.onUpdate ?? "no action",
        };
      })
      .sort((a, b) => a.name.localeCompare(b.name)),
    checks: config.checks.map((check) => check.name),
  };
}

function pgShape(table: PgTable) {
  const config = getPgTableConfig(table);
  return {
    name: config.name,
    columns: Object.fromEntries(
      Object.entries(getTableColumns(table)).map(([key, column]) => [
        key,
        {
          name: column.name,
          type: pgType(column),
          notNull: column.notNull,
          hasDefault: column.hasDefault,
          default: renderPg(column.default, config.name),
          primary: column.primary,
          unique: column.isUnique ? column.uniqueName : null,
          enumValues: column.enumValues ?? null,
          // SQLite's AUTOINCREMENT: an id the database picks unless one is given
          identity: column.generatedIdentity?.type === "byDefault",
        },
      ]),
    ),
    primaryKeys: config.primaryKeys.map((key) => ({ name: key.getName(), columns: key.columns.map((column) => column.name) })),
    uniqueConstraints: config.uniqueConstraints.map((unique) => ({ name: unique.name, columns: unique.columns.map((column) => column.name) })),
    indexes: config.indexes
      .map(({ config: index }) => ({
        name: index.name,
        unique: index.unique,
        columns: index.columns.map((column) => (is(column, SQL) ? renderPg(column, config.name) : (column as IndexedColumn).name)),
        where: renderPg(index.where, config.name),
      }))
      .sort((a, b) => (a.name ?? "").localeCompare(b.name ?? "")),
    foreignKeys: config.foreignKeys
      .map((foreignKey) => {
        const reference = foreignKey.reference();
        return {
          name: foreignKey.getName(),
          columns: reference.columns.map((column) => column.name),
          foreignTable: getPgTableConfig(reference.foreignTable).name,
          foreignColumns: reference.foreignColumns.map((column) => column.name),
          onDelete: foreignKey.onDelete ?? "no action",
          onUpdate: foreignKey.onUpdate ?? "no action",
        };
      })
      .sort((a, b) => a.name.localeCompare(b.name)),
    checks: config.checks.map((check) => check.name),
  };
}

describe("the PostgreSQL schema mirrors the SQLite schema", () => {
  test("every schema file on disk is compared here, on both engines", () => {
    expect(schemaFileNames("db/sqlite")).toEqual(Object.keys(sqliteFiles).sort());
    expect(schemaFileNames("db/pg")).toEqual(Object.keys(pgFiles).sort());
  });

  test("the same tables under the same export names, in the matching file", () => {
    expect(sqliteTables.size).toBeGreaterThan(30);
    const files = (tables: Map<string, Table>) => Object.fromEntries([...tables].map(([name, { file }]) => [name, file]));
    expect(files(pgTables)).toEqual(files(sqliteTables));
  });

  test.each([...sqliteTables.keys()])("%s", (exportName) => {
    const sqlite = sqliteTables.get(exportName)!.table as SQLiteTable;
    const pg = pgTables.get(exportName)?.table as PgTable | undefined;
    expect(pg, `db/pg has no table exported as ${exportName}`).toBeDefined();
    expect(pgShape(pg!)).toEqual(sqliteShape(sqlite));
  });

});
