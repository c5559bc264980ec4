import type { TestProject } from "vitest/node";
import { providePostgres } from "../../scripts/postgres.mjs";

// Vitest's global setup of the *.pg.test.ts files (vitest.config.ts): one server for the run, stopped after it.
export default async function setup(project: TestProject) {
  const server = await providePostgres();
  console.log(`PostgreSQL for the tests: ${server.source}`);
  project.provide("postgresUrl", server.url);
  return server.stop;
}

declare module "vitest" {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}
