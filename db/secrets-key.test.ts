import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { openDb } from "@/db/client";
import { getPlatformAppForShop } from "@/db/queries/platforms";
import { getVerifyingSecrets } from "@/db/queries/webhooks";
import { getKeyring } from "@/db/secrets";
import { currentSecret, expectNoClearSecret, now, problemOf, rawValues, readRaw, removeTempDatabases, saveEverything, secrets, tempDatabase } from "@/db/secrets.fixture";
import { getPendingKeyFile, getSecretsKeyFile, loadKeyring } from "@/db/secrets-key";
import { rotateSecretsKey } from "@/db/secrets-rotation";
import { createKeyring, getSealedKeyId, openSecret, SealedSecretError, sealSecret, toSecretsKey } from "@/lib/secrets/seal";

// Secrets at rest (docs/security.md), their key: another key opens nothing, where the key comes from, the files are
// private, and a rotation re-seals everything under a new key. The sealed rows themselves: secrets.test.ts

afterEach(removeTempDatabases);

describe("keys", () => {
  it("a database opened with another key cannot open its secrets", async () => {
    const file = tempDatabase();
    const db = openDb(file);
    const shops = await saveEverything(db);
    db.$client.close();
    const stranger = openDb(file, { keyring: createKeyring(toSecretsKey(Buffer.alloc(32, 9))) });
    await expect(getPlatformAppForShop(stranger, shops.douyin)).rejects.toThrow(/not configured/);
    await expect(getVerifyingSecrets(stranger, shops.tmall, now)).rejects.toThrow(SealedSecretError);
    stranger.$client.close();
  });

  it("SECRETS_KEY (hex or base64) is used instead of a key file, and a bad one stops the start", () => {
    const file = tempDatabase();
    const hex = "11".repeat(32);
    const keyring = loadKeyring(file, { SECRETS_KEY: hex });
    expect(keyring.current.bytes.toString("hex")).toBe(hex);
    expect(loadKeyring(file, { SECRETS_KEY: Buffer.from(hex, "hex").toString("base64") }).current.id).toBe(keyring.current.id);
    expect(fs.existsSync(getSecretsKeyFile(file))).toBe(false);
    expect(() => loadKeyring(file, { SECRETS_KEY: "too-short" })).toThrow(/^SECRETS_KEY: /);
  });

  it("the key file is generated once beside the database and read back the same", () => {
    const file = tempDatabase();
    const first = loadKeyring(file, {});
    const keyFile = getSecretsKeyFile(file);
    expect(path.dirname(keyFile)).toBe(path.dirname(file));
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(loadKeyring(file, {}).current.id).toBe(first.current.id);
  });
});

describe("file modes", () => {
  it("the data directory is 0700, the database, its -wal and -shm and the key file 0600, even under umask 022", async () => {
    const previous = process.umask(0o022);
    try {
      const file = tempDatabase();
      fs.mkdirSync(path.dirname(file), { mode: 0o755 });
      const db = openDb(file);
      await saveEverything(db);
      const modes = Object.fromEntries(
        [path.dirname(file), file, `${file}-wal`, `${file}-shm`, getSecretsKeyFile(file)].map((entry) => [path.basename(entry), fs.statSync(entry).mode & 0o777]),
      );
      expect(modes).toEqual({ data: 0o700, "desk.db": 0o600, "desk.db-wal": 0o600, "desk.db-shm": 0o600, ".secrets-key": 0o600 });
      db.$client.close();
    } finally {
      process.umask(previous);
    }
  });

  it("a database file left world-readable by an older desk is narrowed at open", () => {
    const file = tempDatabase();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    new Database(file).close();
    fs.chmodSync(file, 0o644);
    fs.chmodSync(path.dirname(file), 0o755);
    openDb(file).$client.close();
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
  });
});

describe("npm run secrets:rotate", () => {
  it("key file: re-seals every value under a new key, replaces the key file, and the desk opens them after a restart", async () => {
    const file = tempDatabase();
    const db = openDb(file);
    const shops = await saveEverything(db);
    const oldKey = getKeyring(db).current;
    const result = await rotateSecretsKey(db, file, {});
    expect(result).toMatchObject({ source: "file", fromKeyIds: [oldKey.id], resealed: 8 });
    expect(result.toKeyId).not.toBe(oldKey.id);
    expect(rawValues(db).map(getSealedKeyId)).toEqual(Array(8).fill(result.toKeyId));
    expect(fs.existsSync(getPendingKeyFile(file))).toBe(false);
    expect(fs.statSync(getSecretsKeyFile(file)).mode & 0o777).toBe(0o600);
    db.$client.close();

    const restarted = openDb(file);
    expect(getKeyring(restarted).current.id).toBe(result.toKeyId);
    expect([...getKeyring(restarted).keys.keys()]).toEqual([result.toKeyId]);
    expect(await getPlatformAppForShop(restarted, shops.douyin)).toMatchObject({ appSecret: secrets.appSecret, accessToken: secrets.accessToken, refreshToken: secrets.refreshToken });
    expect(await getVerifyingSecrets(restarted, shops.tmall, now)).toEqual([secrets.webhook, secrets.webhookOld]);
    expectNoClearSecret(restarted);
    // The old key opens nothing any more
    const [sealed] = readRaw(restarted).webhookSecrets;
    expect(problemOf(() => openSecret(createKeyring(oldKey), "shop_webhook_secrets.secret", sealed))).toBe("unknown_key");
    restarted.$client.close();
  });

  it("SECRETS_KEY: re-seals under SECRETS_KEY_NEW, which then opens everything as SECRETS_KEY", async () => {
    const file = tempDatabase();
    const oldEnv = { SECRETS_KEY: "22".repeat(32) };
    const db = openDb(file, { keyring: loadKeyring(file, oldEnv) });
    const shops = await saveEverything(db);
    await expect(rotateSecretsKey(db, file, oldEnv)).rejects.toThrow(/SECRETS_KEY_NEW/);
    await expect(rotateSecretsKey(db, file, { ...oldEnv, SECRETS_KEY_NEW: oldEnv.SECRETS_KEY })).rejects.toThrow(/key in use/);
    const newKey = Buffer.alloc(32, 0x33).toString("base64");
    const result = await rotateSecretsKey(db, file, { ...oldEnv, SECRETS_KEY_NEW: newKey });
    expect(result).toMatchObject({ source: "env", resealed: 8 });
    db.$client.close();

    const withOld = openDb(file, { keyring: loadKeyring(file, oldEnv) });
    await expect(getPlatformAppForShop(withOld, shops.douyin)).rejects.toThrow(SealedSecretError);
    withOld.$client.close();
    const withNew = openDb(file, { keyring: loadKeyring(file, { SECRETS_KEY: newKey }) });
    expect(await currentSecret(withNew, shops.tmall)).toBe(secrets.webhook);
    expect((await getPlatformAppForShop(withNew, shops.wechat))?.settings).toMatchObject({ wechatToken: secrets.wechatToken, wechatAesKey: secrets.wechatAesKey });
    withNew.$client.close();
  });

  it("is one transaction: a value that does not open stops it and nothing changes", async () => {
    const file = tempDatabase();
    const db = openDb(file);
    const shops = await saveEverything(db);
    const foreign = sealSecret(createKeyring(toSecretsKey(Buffer.alloc(32, 4))), "platform_apps.refresh_token", "from another desk");
    db.$client.prepare("update platform_apps set refresh_token = ? where shop_id = ?").run(foreign, shops.douyin);
    const before = rawValues(db);
    const keyFileBefore = fs.readFileSync(getSecretsKeyFile(file), "utf8");
    await expect(rotateSecretsKey(db, file, {})).rejects.toThrow(SealedSecretError);
    expect(rawValues(db)).toEqual(before);
    expect(fs.readFileSync(getSecretsKeyFile(file), "utf8")).toBe(keyFileBefore);
    db.$client.close();
  });

  it("stopped between its commit and the key file's rename, the desk still opens everything and the next run finishes", async () => {
    const file = tempDatabase();
    const db = openDb(file);
    const shops = await saveEverything(db);
    const first = await rotateSecretsKey(db, file, {});
    db.$client.close();
    // Put the state back to "committed under the new key, old key file still in place, new key still pending"
    fs.renameSync(getSecretsKeyFile(file), getPendingKeyFile(file));
    fs.writeFileSync(getSecretsKeyFile(file), `${Buffer.alloc(32, 5).toString("hex")}\n`, { mode: 0o600 });

    const restarted = openDb(file);
    expect(await getPlatformAppForShop(restarted, shops.douyin)).toMatchObject({ appSecret: secrets.appSecret });
    const second = await rotateSecretsKey(restarted, file, {});
    expect(second.toKeyId).toBe(first.toKeyId);
    expect(fs.existsSync(getPendingKeyFile(file))).toBe(false);
    restarted.$client.close();
    const finished = openDb(file);
    expect(getKeyring(finished).current.id).toBe(first.toKeyId);
    expect(await currentSecret(finished, shops.tmall)).toBe(secrets.webhook);
    finished.$client.close();
  });
});
