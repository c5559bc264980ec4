// `npm test`: typecheck, lint, unit (vitest; *.pg.test.ts on a PostgreSQL server from scripts/postgres.mjs), e2e
// (Playwright on Debian's Chromium), then the multi-instance e2e (three instances on PostgreSQL,
// playwright.multi-instance.config.ts) and the core e2e specs on PostgreSQL (playwright.postgres.config.ts).
// Ends with "N passed, N failed".
// `npm run test:e2e` (`--e2e-only`): the e2e build and Playwright alone; arguments after it go to Playwright
// (`npm run test:e2e -- e2e/decide.spec.ts`). E2E_PORT picks the port, and with it the build folder and database.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { providePostgres } from "./postgres.mjs";
import { createDatabase } from "./desk-instances.mjs";

process.env.NEXT_TELEMETRY_DISABLED = "1";
const bin = (name) => path.join("node_modules", ".bin", name);
const results = [];

function step(name, command, args, env = {}) {
  console.log(`\n=== ${name}: ${command} ${args.join(" ")}`);
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: "inherit", env: { ...process.env, ...env } });
  const ok = result.status === 0;
  console.log(`=== ${name}: ${ok ? "ok" : `FAILED (exit ${result.status})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return ok;
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}

function ensureChromium() {
  const executable = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (fs.existsSync(executable)) return true;
  console.log("Chromium not found: installing Debian's chromium (never Playwright's download).");
  const sudo = process.getuid?.() === 0 ? [] : ["sudo"];
  const apt = (args) => spawnSync(sudo[0] ?? "apt-get", sudo.length ? ["apt-get", ...args] : args, { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
  apt(["update", "-qq"]);
  apt(["install", "-y", "-qq", "chromium", "fonts-wqy-microhei"]);
  return fs.existsSync(executable);
}

const [mode, ...playwrightArgs] = process.argv.slice(2);
const isE2eOnly = mode === "--e2e-only";
if (mode !== undefined && !isE2eOnly) {
  console.error(`Unknown option ${mode}: the only one is --e2e-only`);
  process.exit(2);
}

fs.rmSync("test-results", { recursive: true, force: true });
fs.mkdirSync("test-results", { recursive: true });

if (!isE2eOnly) await runChecksAndUnit();

async function runChecksAndUnit() {
  results.push({ name: "typecheck", passed: step("typecheck", bin("tsc"), ["--noEmit", "-p", "."]) ? 1 : 0, failed: 0 });
  if (!results.at(-1).passed) results.at(-1).failed = 1;
  // Lint is eslint and the import-cycle check (madge, type-only imports included: .madgerc)
  const eslintOk = step("lint", bin("eslint"), [".", "--max-warnings=0"]);
  const cyclesOk = step("import cycles", "npm", ["run", "-s", "lint:cycles"]);
  const lintOk = eslintOk && cyclesOk;
  results.push({ name: "lint", passed: lintOk ? 1 : 0, failed: lintOk ? 0 : 1 });
  // Dead code: unused files, exports and dependencies (knip.config.ts)
  const deadCodeOk = step("dead code", bin("knip"), ["--no-progress"]);
  results.push({ name: "dead code", passed: deadCodeOk ? 1 : 0, failed: deadCodeOk ? 0 : 1 });

  // The *.pg.test.ts files need a PostgreSQL server (scripts/postgres.mjs): found or started here, in sight, once.
  // Without one they still run, and fail with the reason (docs/postgres.md#tests).
  console.log("\n=== PostgreSQL for the unit tests");
  const postgres = await providePostgres().catch((error) => {
    console.error(error instanceof Error ? error.message : String(error));
    return null;
  });
  if (postgres) console.log(`=== PostgreSQL: ${postgres.source}`);
  const unitEnv = postgres ? { TEST_DATABASE_URL: postgres.url } : {};
  const unitOk = step("unit", bin("vitest"), ["run", "--reporter=default", "--reporter=json", "--outputFile=test-results/vitest.json"], unitEnv);
  await postgres?.stop();
  const vitest = readJson("test-results/vitest.json");
  results.push({
    name: "unit",
    passed: vitest?.numPassedTests ?? 0,
    failed: vitest ? vitest.numFailedTests + (unitOk || vitest.numFailedTests ? 0 : 1) : 1,
  });
}

let e2eOk = ensureChromium();
if (!e2eOk) console.error("Chromium is missing and could not be installed: e2e cannot run.");
if (e2eOk && (isE2eOnly || process.env.SKIP_E2E !== "1")) {
  const distDir = `.next-e2e-${process.env.E2E_PORT ?? 3100}`;
  // next build adds its distDir's types to tsconfig.json; a test run must leave the tree as it found it.
  const tsconfig = fs.readFileSync("tsconfig.json", "utf8");
  e2eOk = step("e2e build", bin("next"), ["build"], { NEXT_DIST_DIR: distDir });
  fs.writeFileSync("tsconfig.json", tsconfig);
  const built = e2eOk;
  if (built) e2eOk = step("e2e", bin("playwright"), ["test", ...playwrightArgs]);
  results.push(e2eResult("e2e", e2eOk, "test-results/e2e.json"));
  // Three instances of the same build on one PostgreSQL database, one SIGKILLed mid-ingest (docs/loops.md#several-instances).
  // The spec finds or starts the server itself (scripts/postgres.mjs) and fails without one. Left out when
  // arguments name what Playwright runs.
  if (playwrightArgs.length === 0) {
    const multiOk = built && step("e2e multi-instance", bin("playwright"), ["test", "-c", "playwright.multi-instance.config.ts"]);
    results.push(e2eResult("e2e multi", multiOk, "test-results/e2e-multi-instance.json"));
    // The core specs again on PostgreSQL (playwright.postgres.config.ts), on a database of their own
    const postgresOk = built && (await runPostgresE2e());
    results.push(e2eResult("e2e pg", postgresOk, "test-results/e2e-postgres.json"));
  }
} else if (!e2eOk) {
  results.push({ name: "e2e", passed: 0, failed: 1 });
}

/** The PostgreSQL e2e run: a server from scripts/postgres.mjs, a new database on it, dropped after. */
async function runPostgresE2e() {
  console.log("\n=== PostgreSQL for the e2e run");
  const postgres = await providePostgres().catch((error) => {
    console.error(error instanceof Error ? error.message : String(error));
    return null;
  });
  if (!postgres) return false;
  const port = process.env.E2E_PORT ?? "3100";
  try {
    const database = await createDatabase(postgres.url, `e2e_pg_${port}`);
    try {
      // DATABASE_PATH: where the server keeps its secrets key file, which the specs' own writes open too
      return step("e2e postgres", bin("playwright"), ["test", "-c", "playwright.postgres.config.ts"], { DATABASE_URL: database.url, DATABASE_PATH: `e2e/.data/${port}/e2e.db` });
    } finally {
      await database.drop();
    }
  } finally {
    await postgres.stop();
  }
}

/** A Playwright run's row of the summary, from its JSON report: a run that failed without a failed test counts one. */
function e2eResult(name, ok, reportFile) {
  const stats = readJson(reportFile)?.stats;
  return {
    name,
    passed: stats?.expected ?? 0,
    failed: stats ? stats.unexpected + (stats.flaky ?? 0) + (ok || stats.unexpected ? 0 : 1) : 1,
  };
}

console.log("\n=== summary");
for (const result of results) console.log(`${result.name.padEnd(10)} ${result.passed} passed, ${result.failed} failed`);
const passed = results.reduce((sum, result) => sum + result.passed, 0);
const failed = results.reduce((sum, result) => sum + result.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
