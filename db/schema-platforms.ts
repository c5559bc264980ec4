import { chooseTable } from "@/db/engine-tables";
import * as pg from "@/db/pg/schema-platforms";
import * as sqlite from "@/db/sqlite/schema-platforms";

// The tables of db/sqlite/schema-platforms.ts, or of their PostgreSQL twins in db/pg/schema-platforms.ts when this process runs on
// PostgreSQL (docs/postgres.md#one-query-layer-two-engines). Queries are typed against the SQLite tables.

export const platformApps = chooseTable(sqlite.platformApps, pg.platformApps);
export const platformMessages = chooseTable(sqlite.platformMessages, pg.platformMessages);
export const platformRefunds = chooseTable(sqlite.platformRefunds, pg.platformRefunds);
export const platformRejectReasons = chooseTable(sqlite.platformRejectReasons, pg.platformRejectReasons);
