import { defineConfig, devices } from "@playwright/test";

// e2e runs against the built app (its own build folder) on its own port and its own fresh database.
// Port, build folder and database all follow E2E_PORT, so two checkouts' runs can share a machine.
export const e2ePort = Number(process.env.E2E_PORT ?? 3100);
export const e2eDatabasePath = `e2e/.data/${e2ePort}/e2e.db`;
export const e2eDistDir = `.next-e2e-${e2ePort}`;

export default defineConfig({
  testDir: "e2e",
  // Its own run, with its own servers on PostgreSQL: playwright.multi-instance.config.ts
  testIgnore: "**/multi-instance.spec.ts",
  // A guard against a hung test, not a speed check: specs that drive several browsers or run axe over a page take
  // longer on a busy two-core machine
  timeout: 120_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 2,
  retries: 0,
  forbidOnly: true,
  reporter: [["list"], ["json", { outputFile: "test-results/e2e.json" }]],
  use: {
    ...devices["Desktop Chrome"],
    baseURL: `http://localhost:${e2ePort}`,
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    },
  },
  webServer: {
    command: "node scripts/e2e-server.mjs",
    url: `http://localhost:${e2ePort}/login`,
    reuseExistingServer: false,
    timeout: 120_000,
    // 30 failed sign-ins a minute per address, as in production (only failures count); local fakes need loopback calls
    env: { E2E_PORT: String(e2ePort), DATABASE_PATH: e2eDatabasePath, NEXT_DIST_DIR: e2eDistDir, AUTH_SIGN_IN_PER_MINUTE: "30", ALLOW_LOCAL_ENDPOINTS: "1" },
  },
});
