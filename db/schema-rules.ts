import { chooseTable } from "@/db/engine-tables";
import * as pg from "@/db/pg/schema-rules";
import * as sqlite from "@/db/sqlite/schema-rules";

// The tables of db/sqlite/schema-rules.ts, or of their PostgreSQL twins in db/pg/schema-rules.ts when this process runs on
// PostgreSQL (docs/postgres.md#one-query-layer-two-engines). Queries are typed against the SQLite tables.

export const autoRuleSets = chooseTable(sqlite.autoRuleSets, pg.autoRuleSets);
