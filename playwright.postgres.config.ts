import { defineConfig } from "@playwright/test";
import base from "./playwright.config";

// The e2e specs of the desk's core on PostgreSQL: the same build and specs as the normal run, the server and the
// specs' own writes (e2e/helpers.ts) on one PostgreSQL database that `npm test` creates and passes in DATABASE_URL
// (scripts/test.mjs); docs/postgres.md#tests. Alone: create a database, then
// `DATABASE_URL=postgres://…/db npx playwright test -c playwright.postgres.config.ts`.
const databaseUrl = process.env.DATABASE_URL ?? "";
if (!/^postgres(ql)?:\/\//.test(databaseUrl)) throw new Error("The PostgreSQL e2e run needs DATABASE_URL=postgres://… (a new, empty database)");

export default defineConfig({
  ...base,
  // Sign-in, the inbox and decisions with their live view, undo, races, tenancy, the API, metrics, assignment and
  // every page: the specs that drive the workflows the two engines implement differently (transactions, the live
  // tail, rollups, claims). The rest of e2e tests the browser side or SQLite's file, on SQLite.
  testMatch: [
    "**/auth.spec.ts",
    "**/decide.spec.ts",
    "**/live.spec.ts",
    "**/bulk-undo.spec.ts",
    "**/race.spec.ts",
    "**/tenancy.spec.ts",
    "**/api.spec.ts",
    "**/metrics.spec.ts",
    "**/assignment.spec.ts",
    "**/every-page.spec.ts",
  ],
  outputDir: "test-results/postgres",
  reporter: [["list"], ["json", { outputFile: "test-results/e2e-postgres.json" }]],
  webServer: base.webServer && !Array.isArray(base.webServer) ? { ...base.webServer, env: { ...base.webServer.env, DATABASE_URL: databaseUrl } } : base.webServer,
});
