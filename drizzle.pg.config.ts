import fs from "node:fs";
import { defineConfig } from "drizzle-kit";

// The PostgreSQL back-end's migrations (docs/postgres.md): `npm run db:generate:pg`. The schema is every
// db/pg/schema.ts and db/pg/schema-<feature>.ts, listed rather than globbed so schema-parity.test.ts stays out.
const pgSchemaFiles = fs
  .readdirSync("db/pg")
  .filter((file) => /^schema(-[a-z]+)?\.ts$/.test(file))
  .map((file) => `./db/pg/${file}`);

export default defineConfig({
  dialect: "postgresql",
  schema: pgSchemaFiles,
  out: "./db/pg/migrations",
});
