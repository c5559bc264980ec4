import { chooseTable } from "@/db/engine-tables";
import * as pg from "@/db/pg/schema-presence";
import * as sqlite from "@/db/sqlite/schema-presence";

// The tables of db/sqlite/schema-presence.ts, or of their PostgreSQL twins in db/pg/schema-presence.ts when this process runs on
// PostgreSQL (docs/postgres.md#one-query-layer-two-engines). Queries are typed against the SQLite tables.

export const presence = chooseTable(sqlite.presence, pg.presence);
