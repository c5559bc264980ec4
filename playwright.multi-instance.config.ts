import { defineConfig } from "@playwright/test";
import base from "./playwright.config";

// The multi-instance e2e (e2e/multi-instance.spec.ts): three desk instances of the e2e build on one PostgreSQL
// database, which the spec starts and kills itself, so there is no webServer here. `npm test` runs it after the
// normal e2e (scripts/test.mjs); alone: `npx playwright test -c playwright.multi-instance.config.ts`.
export default defineConfig({
  ...base,
  testIgnore: [],
  testMatch: "**/multi-instance.spec.ts",
  workers: 1,
  // A folder of its own: Playwright empties its output folder first, and the normal run's traces must stay
  outputDir: "test-results/multi-instance",
  reporter: [["list"], ["json", { outputFile: "test-results/e2e-multi-instance.json" }]],
  webServer: undefined,
});
