import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import pgConfig from "@/drizzle.pg.config";

// db/pg/migrations must already say everything db/pg/schema*.ts declares: drizzle-kit generate, run with the same
// config on a copy of the folder, finds nothing to add (docs/postgres.md#migrations). Offline: no server needed.

const migrationsFolder = "db/pg/migrations";
let scratch: string | undefined;
afterEach(() => {
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  scratch = undefined;
});

function listFiles(folder: string): string[] {
  return fs.readdirSync(folder, { recursive: true, encoding: "utf8" }).sort();
}

describe("the PostgreSQL migrations", () => {
  it("are in step with the pg-core schema: generating again adds nothing", () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "shouhoutai-pg-migrations-"));
    const out = path.join(scratch, "migrations");
    fs.cpSync(migrationsFolder, out, { recursive: true });
    // drizzle-kit reads `out` relative to the working folder, even when it is absolute
    const config = { ...pgConfig, out: path.relative(process.cwd(), out) };
    const configFile = path.join(scratch, "drizzle.config.json");
    fs.writeFileSync(configFile, JSON.stringify(config));

    const result = spawnSync(path.join("node_modules", ".bin", "drizzle-kit"), ["generate", "--config", configFile], { encoding: "utf8" });
    const output = `${result.stdout}${result.stderr}`;
    expect(result.status, output).toBe(0);
    expect(listFiles(out), `${output}\nnpm run db:generate:pg writes the missing migration`).toEqual(listFiles(migrationsFolder));
    expect(output).toContain("No schema changes");
  });
});
