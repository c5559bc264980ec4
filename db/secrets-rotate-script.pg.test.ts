import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, openPostgresDb } from "@/db/client";
import { createMerchant, createShop } from "@/db/factories";
import { getVerifyingSecrets, rotateShopSecret } from "@/db/queries/webhooks";
import { serverUrlOrFail } from "@/db/pg/test-server";
import { getSecretsKeyFile, loadKeyring } from "@/db/secrets-key";
import { getSealedKeyId } from "@/lib/secrets/seal";

// `npm run secrets:rotate` under DATABASE_URL=postgres://… (docs/security.md "Rotating the key"): it re-seals the
// PostgreSQL database's rows, not a SQLite file beside DATABASE_PATH, and the key file the instances load then opens them.

const databaseName = `shouhoutai_test_${randomBytes(6).toString("hex")}`;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "desk-rotate-pg-"));
const databasePath = path.join(dir, "data", "desk.db");
const secret = "whsec_pg_script_rotation_0123456789";
let admin: pg.Client;
let url: string;

beforeAll(async () => {
  const server = serverUrlOrFail();
  admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`create database "${databaseName}"`);
  const target = new URL(server);
  target.pathname = `/${databaseName}`;
  url = target.toString();
});

afterAll(async () => {
  await admin?.query(`drop database if exists "${databaseName}" with (force)`);
  await admin?.end();
  fs.rmSync(dir, { recursive: true, force: true });
});

const open = () => openPostgresDb(url, { keyring: loadKeyring(databasePath, {}), maxConnections: 1 });

async function rawSecret(): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ secret: string }>("select secret from shop_webhook_secrets")).rows[0].secret;
  } finally {
    await client.end();
  }
}

describe("npm run secrets:rotate on PostgreSQL", () => {
  it("re-seals the PostgreSQL rows under a new key file, which the instances then open; no SQLite file is made", async () => {
    const db = await open();
    const shopId = await createShop(db, { merchantId: await createMerchant(db, "A"), platform: "tmall", name: "A 天猫" });
    await rotateShopSecret(db, shopId, secret, new Date("2026-11-20T02:00:00.000Z"));
    await closeDb(db);
    const keyBefore = fs.readFileSync(getSecretsKeyFile(databasePath), "utf8");
    const sealedBefore = await rawSecret();

    const { SECRETS_KEY: _key, SECRETS_KEY_NEW: _newKey, ...inherited } = process.env;
    const rotated = spawnSync(path.join("node_modules", ".bin", "tsx"), ["scripts/secrets-rotate.ts"], { env: { ...inherited, DATABASE_URL: url, DATABASE_PATH: databasePath }, encoding: "utf8", timeout: 60_000 });
    expect(rotated.stderr).toBe("");
    expect(rotated.status).toBe(0);
    const newKeyId = getSealedKeyId(await rawSecret());
    expect(newKeyId).not.toBe(getSealedKeyId(sealedBefore));
    expect(rotated.stdout).toContain(`PostgreSQL (DATABASE_URL): 1 secret(s) re-sealed under key ${newKeyId} (was ${getSealedKeyId(sealedBefore)})`);
    expect(fs.readFileSync(getSecretsKeyFile(databasePath), "utf8")).not.toBe(keyBefore);
    expect(fs.existsSync(databasePath)).toBe(false);

    const restarted = await open();
    expect(await getVerifyingSecrets(restarted, shopId, new Date("2026-11-20T03:00:00.000Z"))).toEqual([secret]);
    await closeDb(restarted);
  }, 120_000);
});
