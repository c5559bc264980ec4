import { fileURLToPath } from "node:url";
import { configDefaults, defineConfig } from "vitest/config";

const postgresTests = ["db/**/*.pg.test.ts", "app/**/*.pg.test.ts"];
// The suites that also run on PostgreSQL (database, workflows, auth, routes, server side): they open their databases with openTestDb
// (db/test-db.ts), the `unit` project runs them on SQLite and `postgres-suites` on PostgreSQL (docs/postgres.md#tests)
const bothEngineSuites = [
  "db/queries/buyer-nick.test.ts",
  "db/queries/claims.test.ts",
  "db/queries/connection-health.test.ts",
  "db/queries/freight.test.ts",
  "db/queries/login-throttle.test.ts",
  "db/queries/metrics.test.ts",
  "db/queries/orders.test.ts",
  "db/queries/outbox.test.ts",
  "db/queries/presence.test.ts",
  "db/queries/proposals.test.ts",
  "db/queries/requests.test.ts",
  "db/queries/rules.test.ts",
  "db/queries/sign-in-limit.test.ts",
  "db/secrets-rotation.test.ts",
  "db/workflows/assignment.test.ts",
  "db/workflows/platform-refusal.test.ts",
  "db/workflows/undo.test.ts",
  "db/auth.test.ts",
  // The route handler tests (their desk comes from openTestDb, app/_server/test-support.ts) and the server side
  "app/**/*.test.ts",
  // SQLite only: client.test.ts (SQLite's transaction queue and group commit), requests-race.test.ts and workflows/assignment-lock.test.ts (several connections to one SQLite file),
  // rules-backtest.test.ts (compares with SQLite's rowids), metrics-migrations.test.ts (SQLite's backfill migrations)
  // Not yet: db/seed.test.ts passes on PostgreSQL but takes about a minute there (three demo seeds)
];

export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL("./", import.meta.url)) } },
  test: {
    environment: "node",
    // A guard against a hung test, not a speed check (speed is npm run bench's): the property and seed tests take a
    // few seconds on two quiet cores and several times that on a busy machine
    testTimeout: 30_000,
    // Three workers on two cores: the PostgreSQL projects spend much of their time waiting on the server, so a third
    // worker fills that wait (the whole run 362 → 252 s here, every test passing)
    maxWorkers: 3,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["lib/**/*.test.ts", "db/**/*.test.ts", "app/**/*.test.ts", "components/**/*.test.ts", "components/**/*.test.tsx", "scripts/**/*.test.ts"],
          exclude: [...configDefaults.exclude, ...postgresTests],
        },
      },
      {
        // Tests on a live PostgreSQL server: the global setup finds or starts one (scripts/postgres.mjs) only when
        // one of these files runs, and hands its url to the tests (docs/postgres.md#tests)
        extends: true,
        test: { name: "postgres", include: postgresTests, globalSetup: ["db/pg/global-setup.ts"], setupFiles: ["db/pg/setup-engine.ts", "db/pg/setup-suites.ts"] },
      },
      {
        // The same files as in `unit`, with PostgreSQL as the process's engine
        extends: true,
        test: {
          name: "postgres-suites",
          include: bothEngineSuites,
          exclude: [...configDefaults.exclude, ...postgresTests],
          globalSetup: ["db/pg/global-setup.ts"],
          setupFiles: ["db/pg/setup-engine.ts", "db/pg/setup-suites.ts"],
        },
      },
    ],
  },
});
