import { chooseTable } from "@/db/engine-tables";
import * as pg from "@/db/pg/schema-policy";
import * as sqlite from "@/db/sqlite/schema-policy";

// The tables of db/sqlite/schema-policy.ts, or of their PostgreSQL twins in db/pg/schema-policy.ts when this process runs on
// PostgreSQL (docs/postgres.md#one-query-layer-two-engines). Queries are typed against the SQLite tables.

export const platformProposals = chooseTable(sqlite.platformProposals, pg.platformProposals);
export const counterOffers = chooseTable(sqlite.counterOffers, pg.counterOffers);
