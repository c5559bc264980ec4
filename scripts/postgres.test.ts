import fs from "node:fs";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { providePostgres } from "./postgres.mjs";

// The fallback that CI and most machines never reach: a throwaway cluster from Debian's binaries (docs/postgres.md#tests).
describe("providePostgres without a running server", () => {
  it("starts a throwaway cluster that answers, and stop() removes it", async () => {
    const previous = process.env.TEST_DATABASE_URL;
    delete process.env.TEST_DATABASE_URL;
    try {
      const server = await providePostgres({ probeLocal: false, log: () => {} });
      expect(server.url).not.toBe("postgres://postgres@127.0.0.1:5432/postgres");
      expect(server.folder && fs.existsSync(server.folder)).toBe(true);
      const client = new pg.Client({ connectionString: server.url });
      try {
        await client.connect();
        const { rows } = await client.query<{ user: string; dataDirectory: string }>(
          "select current_user as user, current_setting('data_directory') as \"dataDirectory\"",
        );
        expect(rows[0].user).toBe("postgres");
        expect(rows[0].dataDirectory.startsWith(server.folder!)).toBe(true);
      } finally {
        await client.end();
      }
      await server.stop();
      expect(fs.existsSync(server.folder!)).toBe(false);
    } finally {
      if (previous !== undefined) process.env.TEST_DATABASE_URL = previous;
    }
  });

  it("says what it tried when TEST_DATABASE_URL names a server that does not answer", async () => {
    const previous = process.env.TEST_DATABASE_URL;
    process.env.TEST_DATABASE_URL = "postgres://postgres@127.0.0.1:1/postgres";
    try {
      await expect(providePostgres({ log: () => {} })).rejects.toThrow(/TEST_DATABASE_URL is set but its server does not answer/);
    } finally {
      if (previous === undefined) delete process.env.TEST_DATABASE_URL;
      else process.env.TEST_DATABASE_URL = previous;
    }
  });
});
