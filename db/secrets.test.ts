import { afterEach, describe, expect, it } from "vitest";
import { openDb } from "@/db/client";
import { claimDueDeliveries } from "@/db/queries/outbox";
import { getPlatformAppForShop, listPlatformAppsByProtocol, listPlatformAppsForShops, storeTokenGrant } from "@/db/queries/platforms";
import { getVerifyingSecrets, listShopConnections } from "@/db/queries/webhooks";
import { getKeyring, sealClearSecrets } from "@/db/secrets";
import {
  allClear,
  currentSecret,
  expectNoClearSecret,
  fileBytes,
  now,
  problemOf,
  rawValues,
  readRaw,
  removeTempDatabases,
  saveEverything,
  secrets,
  tempDatabase,
  type RawApp,
} from "@/db/secrets.fixture";
import { toPlatformAppView } from "@/lib/platforms/connection";
import { openSecret, SealedSecretError } from "@/lib/secrets/seal";
import { hourMs } from "@/lib/time";
import { getSignedHeaders, verifySignature } from "@/lib/webhook/signature";

// Secrets at rest (docs/security.md), in the rows: what the queries write is sealed, what they read is opened, what
// the owner is shown is masked, and the upgrade seals older clear rows. The key, its rotation and the files' modes:
// secrets-key.test.ts

afterEach(removeTempDatabases);

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
    await storeTokenGrant(db, shops.douyin, { accessToken: "douyin-access-token-new-0002", accessTokenExpiresAt: new Date(now.getTime() + 7 * 24 * hourMs) }, now);
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
    expect(await getVerifyingSecrets(db, shops.tmall, new Date(now.getTime() + 25 * hourMs))).toEqual([secrets.webhook]);
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

