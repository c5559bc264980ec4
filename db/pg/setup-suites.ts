import { afterAll } from "vitest";
import { dropTestDatabases } from "@/db/test-db";

// Runs before each file of the `postgres-suites` project (vitest.config.ts): after the file, the databases its tests
// opened with openTestDb and left open, and the template they were copied from, are dropped (db/test-db.ts).
afterAll(dropTestDatabases);
