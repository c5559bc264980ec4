import { chooseTable } from "@/db/engine-tables";
import * as pg from "@/db/pg/schema";
import * as sqlite from "@/db/sqlite/schema";

// The tables of db/sqlite/schema.ts, or of their PostgreSQL twins in db/pg/schema.ts when this process runs on
// PostgreSQL (docs/postgres.md#one-query-layer-two-engines). Queries are typed against the SQLite tables.

export const merchants = chooseTable(sqlite.merchants, pg.merchants);
export const shops = chooseTable(sqlite.shops, pg.shops);
export const users = chooseTable(sqlite.users, pg.users);
export const sessions = chooseTable(sqlite.sessions, pg.sessions);
export const accounts = chooseTable(sqlite.accounts, pg.accounts);
export const verifications = chooseTable(sqlite.verifications, pg.verifications);
export const loginThrottles = chooseTable(sqlite.loginThrottles, pg.loginThrottles);
export const signInAddressWindows = chooseTable(sqlite.signInAddressWindows, pg.signInAddressWindows);
export const shopAccess = chooseTable(sqlite.shopAccess, pg.shopAccess);
export const orders = chooseTable(sqlite.orders, pg.orders);
export const requests = chooseTable(sqlite.requests, pg.requests);
export const auditLog = chooseTable(sqlite.auditLog, pg.auditLog);
export const evidenceFiles = chooseTable(sqlite.evidenceFiles, pg.evidenceFiles);
