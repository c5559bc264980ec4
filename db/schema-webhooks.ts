import { chooseTable } from "@/db/engine-tables";
import * as pg from "@/db/pg/schema-webhooks";
import * as sqlite from "@/db/sqlite/schema-webhooks";

// The tables of db/sqlite/schema-webhooks.ts, or of their PostgreSQL twins in db/pg/schema-webhooks.ts when this process runs on
// PostgreSQL (docs/postgres.md#one-query-layer-two-engines). Queries are typed against the SQLite tables.

export const shopWebhookSecrets = chooseTable(sqlite.shopWebhookSecrets, pg.shopWebhookSecrets);
export const shopPlatformEndpoints = chooseTable(sqlite.shopPlatformEndpoints, pg.shopPlatformEndpoints);
export const webhookEvents = chooseTable(sqlite.webhookEvents, pg.webhookEvents);
export const outbox = chooseTable(sqlite.outbox, pg.outbox);
