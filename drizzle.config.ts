import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  // Core tables in schema.ts; each feature may add its own db/schema-<feature>.ts.
  schema: "./db/sqlite/schema*.ts",
  out: "./db/migrations",
});
