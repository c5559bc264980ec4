import type { KnipConfig } from "knip";

// The dead-code check of `npm run lint`: files nothing imports, exports and dependencies nothing uses.
// Next's entries (pages, layouts, routes, instrumentation*.ts, proxy.ts, next.config.ts and the next-intl request
// config it names), vitest's (*.test.ts) and Playwright's (e2e/) come from knip's plugins for them; the package.json
// scripts are entries too. Listed here: what is started by file name from elsewhere.
const config: KnipConfig = {
  entry: [
    // Run by node or tsx, from package.json or from each other (scripts/e2e-server.mjs, scripts/serve.mjs)
    "scripts/*.{ts,mjs}",
    // `npx tsx bench/backtest.ts` (bench/run.ts is package.json's `bench`); the modules run.ts is split into are
    // checked like any other
    "bench/backtest.ts",
    // `tsx db/setup.ts` from scripts/start.mjs, scripts/e2e-server.mjs and scripts/crash-test.mjs
    "db/setup.ts",
    // The PostgreSQL e2e run's config (scripts/test.mjs runs it with -c and DATABASE_URL); its specs are the normal
    // config's, and loading it without DATABASE_URL throws, so it is an entry rather than a Playwright config here
    "playwright.postgres.config.ts",
  ],
  project: ["**/*.{ts,tsx,mjs,css}"],
  // The multi-instance e2e has a Playwright config of its own (scripts/test.mjs runs it with -c)
  playwright: { config: ["playwright.config.ts", "playwright.multi-instance.config.ts"] },
  // An export its own file uses is not dead, only visible wider than it needs to be
  ignoreExportsUsedInFile: true,
  compilers: {
    // Stylesheets import packages by name (app/globals.css: @import "tailwindcss")
    css: (text: string) => [...text.matchAll(/@import\s+["']([^"']+)["']/g)].map(([, source]) => `import "${source}";`).join("\n"),
  },
};

export default config;
