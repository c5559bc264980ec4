import { sql, type AnyColumn, type SQL } from "drizzle-orm";
import { getDialect } from "@/db/dialect";

// Spellings the rollups need beyond db/dialect.ts: JSON arrays and joined text differ between SQLite and PostgreSQL
// (docs/postgres.md#writing-queries-for-both-engines). The histogram columns are JSON text on SQLite, jsonb on PostgreSQL.

/** Every value of a group as text, joined with commas (null when the group has no row). */
export function joinedText(value: AnyColumn): SQL<string | null> {
  return getDialect() === "postgres" ? sql<string | null>`string_agg(${value}::text, ',')` : sql<string | null>`group_concat(${value}, ',')`;
}

/** The length of the JSON array under `key` of a JSON object column (raw SQL, the column spelled by the caller); null when absent. */
export function jsonArrayLengthAt(column: string, key: string): string {
  return getDialect() === "postgres" ? `jsonb_array_length(${column}->'${key}')` : `json_array_length(${column}, '$.${key}')`;
}

/** A JSON array column with its element at `index` moved by `delta` (raw SQL, the column spelled by the caller). */
export function jsonArrayElementAdded(column: string, index: number, delta: number): string {
  return getDialect() === "postgres"
    ? `jsonb_set(${column}, '{${index}}', to_jsonb((${column}->>${index})::bigint + ${delta}))`
    : `json_set(${column}, '$[${index}]', json_extract(${column}, '$[${index}]') + ${delta})`;
}

/** A JSON array column's value as a driver returns it (text on SQLite, parsed jsonb on PostgreSQL), as numbers. */
export function toNumberArray(value: unknown): number[] {
  const array = (typeof value === "string" ? JSON.parse(value) : value) as unknown[];
  return array.map(Number);
}
