import { inject } from "vitest";

// Runs before each *.pg.test.ts file is loaded: the process's engine is PostgreSQL, so db/schema*.ts hand the query
// layer the PostgreSQL tables (db/engine-tables.ts). The url itself comes from db/pg/global-setup.ts.
const postgres = inject("postgres");
process.env.DATABASE_URL = "url" in postgres ? postgres.url : "postgres://no-server-was-found";
