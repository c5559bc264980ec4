import { randomBytes } from "node:crypto";
import pg from "pg";
import { openPostgresDb, type Db } from "@/db/client";
import { serverUrlOrFail } from "@/db/pg/test-server";
import { createKeyring, toSecretsKey } from "@/lib/secrets/seal";

/**
 * A new database on the tests' PostgreSQL server, migrated, opened by as many pools as `instances` (each one stands
 * for a desk instance of its own); `drop()` closes them and removes the database.
 */
export async function createTestDatabase(instances = 1): Promise<{ dbs: Db[]; drop: () => Promise<void> }> {
  const serverUrl = serverUrlOrFail();
  const name = `shouhoutai_wf_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const keyring = createKeyring(toSecretsKey(randomBytes(32)));
  const dbs: Db[] = [];
  for (let index = 0; index < instances; index++) dbs.push(await openPostgresDb(url.toString(), { keyring, maxConnections: 4 }));
  return {
    dbs,
    drop: async () => {
      for (const db of dbs) await (db.$client as unknown as pg.Pool).end();
      await admin.query(`drop database if exists "${name}"`);
      await admin.end();
    },
  };
}
