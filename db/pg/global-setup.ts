import type { TestProject } from "vitest/node";
import { providePostgres } from "../../scripts/postgres.mjs";

// Vitest's global setup of the *.pg.test.ts files (vitest.config.ts): one server for the run, stopped after it.
// Without one, the tests fail with the reason (serverUrlOrFail) rather than the whole run stopping here.
export default async function setup(project: TestProject) {
  try {
    const server = await providePostgres();
    console.log(`PostgreSQL for the tests: ${server.source}`);
    project.provide("postgres", { url: server.url });
    return server.stop;
  } catch (error) {
    project.provide("postgres", { error: error instanceof Error ? error.message : String(error) });
  }
}

declare module "vitest" {
  export interface ProvidedContext {
    postgres: { url: string } | { error: string };
  }
}
