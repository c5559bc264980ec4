import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { createMerchant, createShop } from "@/db/factories";
import { getPlatformAppForShop, upsertPlatformApp } from "@/db/queries/platforms";
import { getVerifyingSecrets, rotateShopSecret } from "@/db/queries/webhooks";
import { allRaw, runRaw } from "@/db/raw";
import { attachKeyring, getKeyring } from "@/db/secrets";
import { loadKeyring } from "@/db/secrets-key";
import { rotateSecretsKey } from "@/db/secrets-rotation";
import { closeTestDb, openAnotherInstance, openTestDb } from "@/db/test-db";
import { getDialect } from "@/db/dialect";
import { createKeyring, getSealedKeyId, SealedSecretError, sealSecret, toSecretsKey } from "@/lib/secrets/seal";

// `npm run secrets:rotate` on either engine (docs/security.md "Secrets at rest"): the same one transaction re-seals
// every stored secret on SQLite and on PostgreSQL, and SECRETS_KEY=<new>,<old> lets instances that are still running
// open both while it runs ("Rotating with several instances"). The key files are db/secrets.test.ts's.

const now = new Date("2026-11-20T02:00:00.000Z");
const hour = 3_600_000;
const clear = {
  appSecret: "douyin-app-secret-rotation-77aa",
  accessToken: "douyin-access-token-rotation-88bb",
  refreshToken: "douyin-refresh-token-rotation-99cc",
  wechatAppSecret: "wechat-app-secret-rotation-00dd",
  wechatToken: "wechatPushTokenRotation11",
  wechatAesKey: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopq",
  webhookOld: "whsec_rotation_old_0123456789abcdef",
  webhook: "whsec_rotation_new_fedcba9876543210",
};
const keyText = (byte: number) => Buffer.alloc(32, byte).toString("hex");
const keyId = (byte: number) => toSecretsKey(Buffer.alloc(32, byte)).id;
/** The keyring an instance started with SECRETS_KEY=`value` has (no key file: the database is not a file). */
const ringOf = (value: string) => loadKeyring(":memory:", { SECRETS_KEY: value });

type RawApp = { shop_id: string; app_secret: string; access_token: string | null; refresh_token: string | null; settings: string | Record<string, unknown> };

/** Every stored secret column as a plain select reads it on either engine, past the desk's queries. */
async function rawValues(db: Db): Promise<string[]> {
  const apps = await allRaw<RawApp>(db, "select shop_id, app_secret, access_token, refresh_token, settings from platform_apps order by shop_id");
  const webhookSecrets = await allRaw<{ secret: string }>(db, "select secret from shop_webhook_secrets order by id");
  return [
    ...apps.flatMap((app) => {
      const settings = (typeof app.settings === "string" ? JSON.parse(app.settings) : app.settings) as Record<string, unknown>;
      return [app.app_secret, app.access_token, app.refresh_token, settings.wechatToken, settings.wechatAesKey].filter((value): value is string => typeof value === "string");
    }),
    ...webhookSecrets.map((row) => row.secret),
  ];
}

async function saveEverything(db: Db) {
  const merchantId = await createMerchant(db, "轮换");
  const douyin = await createShop(db, { merchantId, platform: "douyin", name: "轮换抖店" });
  const wechat = await createShop(db, { merchantId, platform: "wechat", name: "轮换小店" });
  const tmall = await createShop(db, { merchantId, platform: "tmall", name: "轮换天猫" });
  const app = { apiBaseUrl: "http://fake", accessTokenExpiresAt: new Date(now.getTime() + hour) };
  await upsertPlatformApp(db, { ...app, shopId: douyin, protocol: "douyin_push", appKey: "71234", appSecret: clear.appSecret, platformShopId: "10437917", accessToken: clear.accessToken, refreshToken: clear.refreshToken, settings: { returnAddressId: "700001" } }, now);
  await upsertPlatformApp(db, { ...app, shopId: wechat, protocol: "wechat_ec", appKey: "wx12", appSecret: clear.wechatAppSecret, platformShopId: "wx12", settings: { wechatToken: clear.wechatToken, wechatAesKey: clear.wechatAesKey, wechatAppId: "wx12" } }, now);
  await rotateShopSecret(db, tmall, clear.webhookOld, new Date(now.getTime() - hour));
  await rotateShopSecret(db, tmall, clear.webhook, now);
  return { douyin, wechat, tmall };
}

async function expectEverythingOpens(db: Db, shops: Awaited<ReturnType<typeof saveEverything>>, webhookSecrets = [clear.webhook, clear.webhookOld]) {
  expect(await getPlatformAppForShop(db, shops.douyin)).toMatchObject({ appSecret: clear.appSecret, accessToken: clear.accessToken, refreshToken: clear.refreshToken, settings: { returnAddressId: "700001" } });
  expect(await getPlatformAppForShop(db, shops.wechat)).toMatchObject({ appSecret: clear.wechatAppSecret, settings: { wechatToken: clear.wechatToken, wechatAesKey: clear.wechatAesKey, wechatAppId: "wx12" } });
  expect(await getVerifyingSecrets(db, shops.tmall, now)).toEqual(webhookSecrets);
}

describe(`npm run secrets:rotate on ${getDialect() === "postgres" ? "PostgreSQL" : "SQLite"}`, () => {
  let db: Db;
  beforeEach(async () => {
    db = await openTestDb();
    attachKeyring(db, ringOf(keyText(1)));
  });
  afterEach(async () => closeTestDb(db));

  it("re-seals every stored secret under SECRETS_KEY_NEW; the new key alone then opens them all, the old one none", async () => {
    const shops = await saveEverything(db);
    expect((await rawValues(db)).map(getSealedKeyId)).toEqual(Array(8).fill(keyId(1)));
    const result = await rotateSecretsKey(db, ":memory:", { SECRETS_KEY: keyText(1), SECRETS_KEY_NEW: keyText(2) });
    expect(result).toEqual({ source: "env", fromKeyIds: [keyId(1)], toKeyId: keyId(2), resealed: 8 });
    const stored = await rawValues(db);
    expect(stored.map(getSealedKeyId)).toEqual(Array(8).fill(keyId(2)));
    for (const value of Object.values(clear)) expect(stored.join("\n")).not.toContain(value);
    await expectEverythingOpens(db, shops);

    attachKeyring(db, ringOf(keyText(2)));
    await expectEverythingOpens(db, shops);
    attachKeyring(db, ringOf(keyText(1)));
    await expect(getPlatformAppForShop(db, shops.douyin)).rejects.toThrow(SealedSecretError);
  });

  it("is one transaction: a value that does not open stops it and nothing changes", async () => {
    const shops = await saveEverything(db);
    const foreign = sealSecret(createKeyring(toSecretsKey(Buffer.alloc(32, 9))), "platform_apps.refresh_token", "from another desk");
    await runRaw(db, "update platform_apps set refresh_token = ? where shop_id = ?", [foreign, shops.douyin]);
    const before = await rawValues(db);
    await expect(rotateSecretsKey(db, ":memory:", { SECRETS_KEY: keyText(1), SECRETS_KEY_NEW: keyText(2) })).rejects.toThrow(SealedSecretError);
    expect(await rawValues(db)).toEqual(before);
    expect(getKeyring(db).current.id).toBe(keyId(1));
  });

  it("with several instances: SECRETS_KEY=<new>,<old> seals under new and opens both, and the rotation re-seals what is left under old", async () => {
    const shops = await saveEverything(db);
    // Another instance on the same database, restarted first with both keys: it writes under the new key
    const other = getDialect() === "postgres" ? await openAnotherInstance(db) : db;
    attachKeyring(other, ringOf(`${keyText(2)},${keyText(1)}`));
    const written = "whsec_written_during_rotation_0001";
    await rotateShopSecret(other, shops.tmall, written, new Date(now.getTime() + 1));
    await expectEverythingOpens(other, shops, [written, clear.webhook, clear.webhookOld]);
    expect(new Set((await rawValues(db)).map(getSealedKeyId))).toEqual(new Set([keyId(1), keyId(2)]));

    const both = { SECRETS_KEY: `${keyText(2)},${keyText(1)}`, SECRETS_KEY_NEW: keyText(2) };
    attachKeyring(db, ringOf(both.SECRETS_KEY));
    const result = await rotateSecretsKey(db, ":memory:", both);
    expect(result).toEqual({ source: "env", fromKeyIds: [keyId(1)], toKeyId: keyId(2), resealed: 8 });
    expect((await rawValues(db)).map(getSealedKeyId)).toEqual(Array(9).fill(keyId(2)));
    // Every instance may now drop the old key
    attachKeyring(other, ringOf(keyText(2)));
    await expectEverythingOpens(other, shops, [written, clear.webhook, clear.webhookOld]);
    // The new key alone, with nothing left to re-seal, is refused as the key in use
    await expect(rotateSecretsKey(other, ":memory:", { SECRETS_KEY: keyText(2), SECRETS_KEY_NEW: keyText(2) })).rejects.toThrow(/key in use/);
  });
});
