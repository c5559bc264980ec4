import { chooseTable } from "@/db/engine-tables";
import * as pg from "@/db/pg/schema-metrics";
import * as sqlite from "@/db/sqlite/schema-metrics";

// The tables of db/sqlite/schema-metrics.ts, or of their PostgreSQL twins in db/pg/schema-metrics.ts when this process runs on
// PostgreSQL (docs/postgres.md#one-query-layer-two-engines). Queries are typed against the SQLite tables.

export const metricHourly = chooseTable(sqlite.metricHourly, pg.metricHourly);
export const metricDaily = chooseTable(sqlite.metricDaily, pg.metricDaily);
export const metricMonthly = chooseTable(sqlite.metricMonthly, pg.metricMonthly);
export const metricShopDaily = chooseTable(sqlite.metricShopDaily, pg.metricShopDaily);
export const metricShopHourly = chooseTable(sqlite.metricShopHourly, pg.metricShopHourly);
export { unansweredAgentId } from "@/db/sqlite/schema-metrics";
