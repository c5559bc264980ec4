import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDb, type Db } from "@/db/client";
import { createMerchant, createShop } from "@/db/factories";
import { claimDueDeliveries } from "@/db/queries/outbox";
import { getPlatformAppForShop, listPlatformAppsByProtocol, listPlatformAppsForShops, storeTokenGrant, upsertPlatformApp } from "@/db/queries/platforms";
import { getVerifyingSecrets, listShopConnections, rotateShopSecret } from "@/db/queries/webhooks";
import { getKeyring, sealClearSecrets } from "@/db/secrets";
import { getPendingKeyFile, getSecretsKeyFile, loadKeyring } from "@/db/secrets-key";
import { rotateSecretsKey } from "@/db/secrets-rotation";
import { toPlatformAppView } from "@/lib/platforms/connection";
import { createKeyring, getSealedKeyId, openSecret, SealedSecretError, sealSecret, toSecretsKey } from "@/lib/secrets/seal";
import { getSignedHeaders, verifySignature } from "@/lib/webhook/signature";

// Secrets at rest (docs/security.md): what the queries write is sealed, what they read is opened, the upgrade seals
// older clear rows, a rotation re-seals everything under a new key, and the files are private.

const now = new Date("2026-11-20T02:00:00.000Z");
/** The secret outbound decisions are signed with: the newest of those that verify. */
const currentSecret = async (db: Db, shopId: string) => (await getVerifyingSecrets(db, shopId, now))[0];
const hour = 3_600_000;
const secrets = {
  appSecret: "douyin-app-secret-7f3a9c0d1e2b",
  accessToken: "douyin-access-token-5b6c7d8e9f00",
  refreshToken: "douyin-refresh-token-a1b2c3d4e5f6",
  wechatAppSecret: "wechat-app-secret-0badc0ffee11",
  wechatToken: "wechatPushToken9931",
  wechatAesKey: "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
  webhook: "whsec_3c4f8b2e9d1a7c6b5e4d3c2b1a09f8e7d6c5b4a3",
  webhookOld: "whsec_old_0123456789abcdef0123456789abcdef",
};
const allClear = Object.values(secrets);

type RawApp = { app_secret: string; access_token: string | null; refresh_token: string | null; settings: string };

/** The stored columns as a plain SQL select reads them, past every query of the desk. */
function readRaw(db: Db): { apps: RawApp[]; webhookSecrets: string[] } {
  return {
    apps: db.$client.prepare("select app_secret, access_token, refresh_token, settings from platform_apps order by shop_id").all() as RawApp[],
    webhookSecrets: db.$client.prepare("select secret from shop_webhook_secrets order by id").pluck().all() as string[],
  };
}

function rawValues(db: Db): string[] {
  const { apps, webhookSecrets } = readRaw(db);
  return [
    ...apps.flatMap((app) => {
      const settings = JSON.parse(app.settings) as Record<string, unknown>;
      return [app.app_secret, app.access_token, app.refresh_token, settings.wechatToken, settings.wechatAesKey].filter((value): value is string => typeof value === "string");
    }),
    ...webhookSecrets,
  ];
}

async function addShops(db: Db) {
  const merchantId = await createMerchant(db, "木槿");
  const douyin = await createShop(db, { merchantId, platform: "douyin", name: "木槿鲜生" });
  const wechat = await createShop(db, { merchantId, platform: "wechat", name: "木槿小店" });
  const tmall = await createShop(db, { merchantId, platform: "tmall", name: "木槿天猫" });
  return { merchantId, douyin, wechat, tmall };
}

async function saveEverything(db: Db) {
  const shops = await addShops(db);
  await upsertPlatformApp(
    db,
    {
      shopId: shops.douyin,
      protocol: "douyin_push",
      appKey: "7123456789012345678",
      appSecret: secrets.appSecret,
      platformShopId: "10437917",
      apiBaseUrl: "http://fake-douyin",
      accessToken: secrets.accessToken,
      refreshToken: secrets.refreshToken,
      accessTokenExpiresAt: new Date(now.getTime() + hour),
      settings: { returnAddressId: "700001" },
    },
    now,
  );
  await upsertPlatformApp(
    db,
    {
      shopId: shops.wechat,
      protocol: "wechat_ec",
      appKey: "wx1234567890abcdef",
      appSecret: secrets.wechatAppSecret,
      platformShopId: "wx1234567890abcdef",
      apiBaseUrl: "http://fake-wechat",
      settings: { wechatToken: secrets.wechatToken, wechatAesKey: secrets.wechatAesKey, wechatAppId: "wx1234567890abcdef" },
    },
    now,
  );
  await rotateShopSecret(db, shops.tmall, secrets.webhookOld, new Date(now.getTime() - hour));
  await rotateShopSecret(db, shops.tmall, secrets.webhook, now);
  return shops;
}

function expectNoClearSecret(db: Db) {
  const values = rawValues(db);
  expect(values).toHaveLength(8);
  const keyId = getKeyring(db).current.id;
  for (const value of values) expect(value).toMatch(new RegExp(`^sealed:v1:${keyId}:`));
  const everything = JSON.stringify(readRaw(db));
  for (const clear of allClear) expect(everything).not.toContain(clear);
}

let dirs: string[] = [];
function tempDatabase(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "desk-secrets-"));
  dirs.push(dir);
  return path.join(dir, "data", "desk.db");
}

function fileBytes(file: string): Buffer {
  return Buffer.concat(["", "-wal"].map((suffix) => (fs.existsSync(file + suffix) ? fs.readFileSync(file + suffix) : Buffer.alloc(0))));
}

function problemOf(action: () => unknown): string {
  try {
    action();
    return "none";
  } catch (error) {
    return error instanceof SealedSecretError ? error.problem : `other: ${String(error)}`;
  }
}

beforeEach(() => {
  dirs = [];
});

afterEach(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe("the queries seal on write and open on read", () => {
  it("after saving platform apps and rotating a webhook secret, no raw column holds a secret in clear", async () => {
    const db = openDb(":memory:");
    const shops = await saveEverything(db);
    expectNoClearSecret(db);

    expect(await getPlatformAppForShop(db, shops.douyin)).toMatchObject({ appSecret: secrets.appSecret, accessToken: secrets.accessToken, refreshToken: secrets.refreshToken, settings: { returnAddressId: "700001" } });
    const [wechat] = await listPlatformAppsByProtocol(db, "wechat_ec");
    expect(wechat.app).toMatchObject({ appSecret: secrets.wechatAppSecret, accessToken: null, refreshToken: null, settings: { wechatToken: secrets.wechatToken, wechatAesKey: secrets.wechatAesKey } });
    expect(await currentSecret(db, shops.tmall)).toBe(secrets.webhook);
  });

  it("token upkeep's grant is sealed too, and a grant without a refresh token keeps the stored one", async () => {
    const db = openDb(":memory:");
    const shops = await saveEverything(db);
    await storeTokenGrant(db, shops.douyin, { accessToken: "douyin-access-token-new-0002", accessTokenExpiresAt: new Date(now.getTime() + 7 * 24 * hour) }, now);
    const readDouyin = () => db.$client.prepare("select app_secret, access_token, refresh_token, settings from platform_apps where shop_id = ?").get(shops.douyin) as RawApp;
    const raw = readDouyin();
    expect(raw.access_token).toMatch(/^sealed:v1:/);
    expect(JSON.stringify(raw)).not.toContain("douyin-access-token-new-0002");
    expect(await getPlatformAppForShop(db, shops.douyin)).toMatchObject({ accessToken: "douyin-access-token-new-0002", refreshToken: secrets.refreshToken });
    await storeTokenGrant(db, shops.douyin, { accessToken: "douyin-access-token-new-0003", accessTokenExpiresAt: now, refreshToken: "douyin-refresh-token-new-0003" }, now);
    expect(readDouyin().refresh_token).toMatch(/^sealed:v1:/);
    expect(JSON.stringify(readDouyin())).not.toContain("douyin-refresh-token-new-0003");
    expect(await getPlatformAppForShop(db, shops.douyin)).toMatchObject({ accessToken: "douyin-access-token-new-0003", refreshToken: "douyin-refresh-token-new-0003" });
  });

  it("a sealed value moved to another column or edited does not open", async () => {
    const db = openDb(":memory:");
    const shops = await saveEverything(db);
    db.$client.prepare("update platform_apps set access_token = app_secret where shop_id = ?").run(shops.douyin);
    expect(problemOf(() => openSecret(getKeyring(db), "platform_apps.access_token", readRaw(db).apps.find((app) => app.access_token)!.access_token!))).toBe("tampered");
    await expect(getPlatformAppForShop(db, shops.douyin)).rejects.toThrow(SealedSecretError);
  });

  it("a value opened before and edited since is checked again, not taken from what was opened", async () => {
    const db = openDb(":memory:");
    const shops = await saveEverything(db);
    expect(await currentSecret(db, shops.tmall)).toBe(secrets.webhook);
    expect(await currentSecret(db, shops.tmall)).toBe(secrets.webhook);
    const [, current] = readRaw(db).webhookSecrets;
    const parts = current.split(":");
    parts[5] = (parts[5][0] === "A" ? "B" : "A") + parts[5].slice(1);
    db.$client.prepare("update shop_webhook_secrets set secret = ? where secret = ?").run(parts.join(":"), current);
    await expect(currentSecret(db, shops.tmall)).rejects.toThrow(/fails its authentication tag/);
  });
});

describe("what the owner is shown is masked", () => {
  it("the settings connections and platform app views carry the masked form, never the secret", async () => {
    const db = openDb(":memory:");
    const shops = await saveEverything(db);
    const shopIds = [shops.douyin, shops.wechat, shops.tmall];
    const connections = await listShopConnections(db, shops.merchantId, shopIds, now);
    expect(connections.find((connection) => connection.shopId === shops.tmall)).toMatchObject({ maskedSecret: `••••${secrets.webhook.slice(-4)}`, previousSecretsValidUntil: [expect.any(String)] });
    expect(connections.find((connection) => connection.shopId === shops.douyin)?.maskedSecret).toBeNull();
    const views = (await listPlatformAppsForShops(db, shops.merchantId, shopIds)).map((app) => toPlatformAppView(app.shopId, app, now));
    expect(views.find((view) => view.shopId === shops.wechat)?.secrets).toEqual({
      appSecret: `••••${secrets.wechatAppSecret.slice(-4)}`,
      accessToken: null,
      refreshToken: null,
      wechatToken: `••••${secrets.wechatToken.slice(-4)}`,
      wechatAesKey: `••••${secrets.wechatAesKey.slice(-4)}`,
    });
    const answered = JSON.stringify({ connections, views });
    for (const clear of allClear) expect(answered).not.toContain(clear);
  });
});

describe("signing and verifying with sealed storage", () => {
  it("an event signed with the current or the rotated-out secret verifies; the outbox signs with the current one", async () => {
    const db = openDb(":memory:");
    const shops = await saveEverything(db);
    const verifying = await getVerifyingSecrets(db, shops.tmall, now);
    expect(verifying).toEqual([secrets.webhook, secrets.webhookOld]);
    const body = '{"id":"evt_sealed_1"}';
    for (const signWith of [secrets.webhook, secrets.webhookOld]) {
      const headers = getSignedHeaders(shops.tmall, signWith, now, body);
      expect(verifySignature(verifying, headers["X-Timestamp"], body, headers["X-Signature"])).toBe(true);
    }
    const forged = getSignedHeaders(shops.tmall, "whsec_forged", now, body);
    expect(verifySignature(verifying, forged["X-Timestamp"], body, forged["X-Signature"])).toBe(false);
    // 25 h after the rotation the old one no longer verifies (and is not even opened)
    expect(await getVerifyingSecrets(db, shops.tmall, new Date(now.getTime() + 25 * hour))).toEqual([secrets.webhook]);
    expect(await claimDueDeliveries(db, now, 0)).toEqual([]);
  });
});

describe("the upgrade at start seals clear rows", () => {
  it("seals every clear value once, leaves sealed ones as they are, and leaves no clear bytes in the files", async () => {
    const file = tempDatabase();
    const first = openDb(file);
    const shops = await saveEverything(first);
    // What an older desk stored: the same secrets in clear, written past the queries
    first.$client.prepare("update platform_apps set app_secret = ?, access_token = ?, refresh_token = ? where shop_id = ?").run(secrets.appSecret, secrets.accessToken, secrets.refreshToken, shops.douyin);
    first.$client
      .prepare("update platform_apps set app_secret = ?, settings = json_set(settings, '$.wechatToken', ?, '$.wechatAesKey', ?) where shop_id = ?")
      .run(secrets.wechatAppSecret, secrets.wechatToken, secrets.wechatAesKey, shops.wechat);
    const [oldId, currentId] = first.$client.prepare("select id from shop_webhook_secrets order by id").pluck().all() as number[];
    const keptSealed = readRaw(first).webhookSecrets[1];
    first.$client.prepare("update shop_webhook_secrets set secret = ? where id = ?").run(secrets.webhookOld, oldId);
    expect(rawValues(first).filter((value) => allClear.includes(value))).toHaveLength(7);
    expect(fileBytes(file).includes(Buffer.from(secrets.appSecret))).toBe(true);

    // Opened while the older connection is still open (its clear writes still in the WAL)
    const db = openDb(file);
    const bytesWhileOpen = fileBytes(file);
    for (const clear of allClear) expect(bytesWhileOpen.includes(Buffer.from(clear))).toBe(false);
    first.$client.close();
    expectNoClearSecret(db);
    expect(readRaw(db).webhookSecrets[1]).toBe(keptSealed);
    expect(db.$client.prepare("select secret from shop_webhook_secrets where id = ?").pluck().get(currentId)).toBe(keptSealed);
    expect(await getPlatformAppForShop(db, shops.wechat)).toMatchObject({ appSecret: secrets.wechatAppSecret, settings: { wechatToken: secrets.wechatToken, wechatAesKey: secrets.wechatAesKey } });
    expect(await getVerifyingSecrets(db, shops.tmall, now)).toEqual([secrets.webhook, secrets.webhookOld]);
    const afterUpgrade = rawValues(db);
    expect(sealClearSecrets(db)).toBe(0);
    expect(rawValues(db)).toEqual(afterUpgrade);
    db.$client.close();

    const bytes = fileBytes(file);
    for (const clear of allClear) expect(bytes.includes(Buffer.from(clear))).toBe(false);
  });
});

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
