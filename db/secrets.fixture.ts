import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "vitest";
import type { Db } from "@/db/client";
import { createMerchant, createShop } from "@/db/factories";
import { upsertPlatformApp } from "@/db/queries/platforms";
import { getVerifyingSecrets, rotateShopSecret } from "@/db/queries/webhooks";
import { getKeyring } from "@/db/secrets";
import { SealedSecretError } from "@/lib/secrets/seal";
import { hourMs } from "@/lib/time";

// The desk both secrets test files fill and read: secrets.test.ts (the sealed rows) and secrets-key.test.ts (the key,
// the files and their rotation)

export const now = new Date("2026-11-20T02:00:00.000Z");
/** The secret outbound decisions are signed with: the newest of those that verify. */
export const currentSecret = async (db: Db, shopId: string) => (await getVerifyingSecrets(db, shopId, now))[0];
export const secrets = {
  appSecret: "douyin-app-secret-7f3a9c0d1e2b",
  accessToken: "douyin-access-token-5b6c7d8e9f00",
  refreshToken: "douyin-refresh-token-a1b2c3d4e5f6",
  wechatAppSecret: "wechat-app-secret-0badc0ffee11",
  wechatToken: "wechatPushToken9931",
  wechatAesKey: "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
  webhook: "whsec_3c4f8b2e9d1a7c6b5e4d3c2b1a09f8e7d6c5b4a3",
  webhookOld: "whsec_old_0123456789abcdef0123456789abcdef",
};
export const allClear = Object.values(secrets);

export type RawApp = { app_secret: string; access_token: string | null; refresh_token: string | null; settings: string };

/** The stored columns as a plain SQL select reads them, past every query of the desk. */
export function readRaw(db: Db): { apps: RawApp[]; webhookSecrets: string[] } {
  return {
    apps: db.$client.prepare("select app_secret, access_token, refresh_token, settings from platform_apps order by shop_id").all() as RawApp[],
    webhookSecrets: db.$client.prepare("select secret from shop_webhook_secrets order by id").pluck().all() as string[],
  };
}

export function rawValues(db: Db): string[] {
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

export async function saveEverything(db: Db) {
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
      accessTokenExpiresAt: new Date(now.getTime() + hourMs),
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
  await rotateShopSecret(db, shops.tmall, secrets.webhookOld, new Date(now.getTime() - hourMs));
  await rotateShopSecret(db, shops.tmall, secrets.webhook, now);
  return shops;
}

export function expectNoClearSecret(db: Db) {
  const values = rawValues(db);
  expect(values).toHaveLength(8);
  const keyId = getKeyring(db).current.id;
  for (const value of values) expect(value).toMatch(new RegExp(`^sealed:v1:${keyId}:`));
  const everything = JSON.stringify(readRaw(db));
  for (const clear of allClear) expect(everything).not.toContain(clear);
}

const dirs: string[] = [];
/** A database file in a fresh temporary directory, removed by removeTempDatabases. */
export function tempDatabase(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "desk-secrets-"));
  dirs.push(dir);
  return path.join(dir, "data", "desk.db");
}

export function fileBytes(file: string): Buffer {
  return Buffer.concat(["", "-wal"].map((suffix) => (fs.existsSync(file + suffix) ? fs.readFileSync(file + suffix) : Buffer.alloc(0))));
}


export function removeTempDatabases() {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

export function problemOf(action: () => unknown): string {
  try {
    action();
    return "none";
  } catch (error) {
    return error instanceof SealedSecretError ? error.problem : `other: ${String(error)}`;
  }
}
