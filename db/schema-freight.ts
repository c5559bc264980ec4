import { chooseTable } from "@/db/engine-tables";
import * as pg from "@/db/pg/schema-freight";
import * as sqlite from "@/db/sqlite/schema-freight";

// The tables of db/sqlite/schema-freight.ts, or of their PostgreSQL twins in db/pg/schema-freight.ts when this process runs on
// PostgreSQL (docs/postgres.md#one-query-layer-two-engines). Queries are typed against the SQLite tables.

export const freightSettings = chooseTable(sqlite.freightSettings, pg.freightSettings);
export const freightScenarios = chooseTable(sqlite.freightScenarios, pg.freightScenarios);
