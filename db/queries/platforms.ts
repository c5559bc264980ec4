import { and, desc, eq, inArray, isNotNull, lte, ne } from "drizzle-orm";
import type { Db } from "@/db/client";
import { auditLog, evidenceFiles, requests, shops } from "@/db/schema";
import { platformApps, platformMessages, platformRefunds, platformRejectReasons } from "@/db/schema-platforms";
import type { WebhookShop } from "@/db/queries/webhooks";
import { openStored, openStoredOrNull, sealStored, sealStoredOrNull, secretPurposes } from "@/db/secrets";
import type { Platform } from "@/lib/domain";
import type { HealthTimes } from "@/lib/platforms/connection-health";
import type { NativeRefund, PlatformRejectReason, Protocol, TokenGrant } from "@/lib/platforms/types";

// Platform apps (credentials, tokens, connection health), their messages and the refunds' native state. Platform
// adapters feed the SAME ingest as our own contract: db/workflows/ingest.ts ingestPlatformMessage.

export type PlatformApp = typeof platformApps.$inferSelect;
type PlatformAppInsert = typeof platformApps.$inferInsert;

// The app secret, the tokens and WeChat's Token/EncodingAESKey are stored sealed (db/secrets.ts): every read below
// returns them opened, every write seals them. Nothing else reads or writes those columns.

function openSettings(db: Db, settings: PlatformApp["settings"]): PlatformApp["settings"] {
  const opened = { ...settings };
  if (typeof opened.wechatToken === "string") opened.wechatToken = openStored(db, secretPurposes.wechatToken, opened.wechatToken);
  if (typeof opened.wechatAesKey === "string") opened.wechatAesKey = openStored(db, secretPurposes.wechatAesKey, opened.wechatAesKey);
  return opened;
}

function sealSettings(db: Db, settings: PlatformApp["settings"]): PlatformApp["settings"] {
  const sealed = { ...settings };
  if (typeof sealed.wechatToken === "string") sealed.wechatToken = sealStored(db, secretPurposes.wechatToken, sealed.wechatToken);
  if (typeof sealed.wechatAesKey === "string") sealed.wechatAesKey = sealStored(db, secretPurposes.wechatAesKey, sealed.wechatAesKey);
  return sealed;
}

function openApp(db: Db, app: PlatformApp): PlatformApp {
  return {
    ...app,
    appSecret: openStored(db, secretPurposes.appSecret, app.appSecret),
    accessToken: openStoredOrNull(db, secretPurposes.accessToken, app.accessToken),
    refreshToken: openStoredOrNull(db, secretPurposes.refreshToken, app.refreshToken),
    settings: openSettings(db, app.settings),
  };
}

function openAppWithShop<T extends { app: PlatformApp }>(db: Db, row: T): T {
  return { ...row, app: openApp(db, row.app) };
}

/** The values as stored: a secret left undefined stays undefined (an upsert keeps the stored one). */
function sealAppValues<T extends Partial<PlatformAppInsert>>(db: Db, values: T): T {
  const sealed: T = { ...values };
  if (values.appSecret !== undefined) sealed.appSecret = sealStored(db, secretPurposes.appSecret, values.appSecret);
  if (values.accessToken !== undefined) sealed.accessToken = sealStoredOrNull(db, secretPurposes.accessToken, values.accessToken);
  if (values.refreshToken !== undefined) sealed.refreshToken = sealStoredOrNull(db, secretPurposes.refreshToken, values.refreshToken);
  if (values.settings !== undefined) sealed.settings = sealSettings(db, values.settings);
  return sealed;
}

export async function findPlatformApp(db: Db, protocol: Protocol, platformShopId: string): Promise<{ app: PlatformApp; shop: WebhookShop } | null> {
  const [row] = await db
    .select({ app: platformApps, shop: { id: shops.id, platform: shops.platform, merchantId: shops.merchantId } })
    .from(platformApps)
    .innerJoin(shops, eq(shops.id, platformApps.shopId))
    .where(and(eq(platformApps.protocol, protocol), eq(platformApps.platformShopId, platformShopId)));
  return row ? openAppWithShop(db, row) : null;
}

/** Every shop on one platform app (an ISV app serves many shops with one key and secret). */
export async function listPlatformAppsByKey(db: Db, protocol: Protocol, appKey: string): Promise<{ app: PlatformApp; shop: WebhookShop }[]> {
  const rows = await db
    .select({ app: platformApps, shop: { id: shops.id, platform: shops.platform, merchantId: shops.merchantId } })
    .from(platformApps)
    .innerJoin(shops, eq(shops.id, platformApps.shopId))
    .where(and(eq(platformApps.protocol, protocol), eq(platformApps.appKey, appKey)));
  return rows.map((row) => openAppWithShop(db, row));
}

/** Every shop connected over one protocol (WeChat pushes name no app: the push's signature tells which token signed it). */
export async function listPlatformAppsByProtocol(db: Db, protocol: Protocol): Promise<{ app: PlatformApp; shop: WebhookShop }[]> {
  const rows = await db
    .select({ app: platformApps, shop: { id: shops.id, platform: shops.platform, merchantId: shops.merchantId } })
    .from(platformApps)
    .innerJoin(shops, eq(shops.id, platformApps.shopId))
    .where(eq(platformApps.protocol, protocol));
  return rows.map((row) => openAppWithShop(db, row));
}

export async function getPlatformAppForShop(db: Db, shopId: string): Promise<PlatformApp | null> {
  const [row] = await db.select().from(platformApps).where(eq(platformApps.shopId, shopId));
  return row ? openApp(db, row) : null;
}

/** Shops whose consumer should run (Taobao TMC), with their shop row. */
export async function listConsumerApps(db: Db, protocol: Protocol): Promise<{ app: PlatformApp; shop: WebhookShop }[]> {
  const rows = await db
    .select({ app: platformApps, shop: { id: shops.id, platform: shops.platform, merchantId: shops.merchantId } })
    .from(platformApps)
    .innerJoin(shops, eq(shops.id, platformApps.shopId))
    .where(and(eq(platformApps.protocol, protocol), eq(platformApps.consumerEnabled, true)));
  return rows.map((row) => openAppWithShop(db, row));
}

/** The merchant's own shop and its platform, null for another merchant's or a missing one. */
export async function getMerchantShop(db: Db, merchantId: string, shopId: string): Promise<{ id: string; platform: Platform } | null> {
  const [row] = await db.select({ id: shops.id, platform: shops.platform }).from(shops).where(and(eq(shops.id, shopId), eq(shops.merchantId, merchantId)));
  return row ?? null;
}

/** The platform apps of the scope's shops (settings page), scoped to the merchant as well. */
export async function listPlatformAppsForShops(db: Db, merchantId: string, shopIds: string[]): Promise<PlatformApp[]> {
  if (shopIds.length === 0) return [];
  const rows = await db
    .select({ app: platformApps })
    .from(platformApps)
    .innerJoin(shops, eq(shops.id, platformApps.shopId))
    .where(and(eq(shops.merchantId, merchantId), inArray(platformApps.shopId, shopIds)));
  return rows.map((row) => openApp(db, row.app));
}

/** What says whether each shop's connection is failing (lib/platforms/connection-health.ts), read without opening a secret. */
export async function listConnectionHealthTimes(db: Db, merchantId: string, shopIds: string[]): Promise<HealthTimes[]> {
  if (shopIds.length === 0) return [];
  return db
    .select({
      protocol: platformApps.protocol,
      accessTokenExpiresAt: platformApps.accessTokenExpiresAt,
      tokenRefreshedAt: platformApps.tokenRefreshedAt,
      lastAnswerAt: platformApps.lastAnswerAt,
      lastErrorAt: platformApps.lastErrorAt,
    })
    .from(platformApps)
    .innerJoin(shops, eq(shops.id, platformApps.shopId))
    .where(and(eq(shops.merchantId, merchantId), inArray(platformApps.shopId, shopIds)));
}

/** Saves a shop's app from the owner's form; conflict when that platform shop is already another shop's. */
export async function savePlatformApp(db: Db, shopId: string, values: Omit<typeof platformApps.$inferInsert, "shopId" | "updatedAt">, now: Date): Promise<{ ok: true; app: PlatformApp } | { ok: false }> {
  const [taken] = await db
    .select({ shopId: platformApps.shopId })
    .from(platformApps)
    .where(and(eq(platformApps.protocol, values.protocol), eq(platformApps.platformShopId, values.platformShopId), ne(platformApps.shopId, shopId)));
  if (taken) return { ok: false };
  await upsertPlatformApp(db, { ...values, shopId }, now);
  return { ok: true, app: (await getPlatformAppForShop(db, shopId))! };
}

export async function upsertPlatformApp(db: Db, values: Omit<PlatformAppInsert, "updatedAt">, now: Date): Promise<void> {
  const sealed = sealAppValues(db, values);
  const { shopId: _shopId, ...rest } = sealed;
  await db
    .insert(platformApps)
    .values({ ...sealed, updatedAt: now })
    .onConflictDoUpdate({ target: platformApps.shopId, set: { ...rest, updatedAt: now } });
}

// ---- Token upkeep and connection health (app/_server/platforms/token-upkeep.ts, docs/platforms/tokens.md)

/** Apps whose access token expires at or before `expiringBy` (the upkeep's widest margin from now); no expiry = left alone. */
export async function listAppsWithExpiringTokens(db: Db, expiringBy: Date): Promise<PlatformApp[]> {
  const rows = await db
    .select()
    .from(platformApps)
    .where(and(isNotNull(platformApps.accessTokenExpiresAt), lte(platformApps.accessTokenExpiresAt, expiringBy)))
    .orderBy(platformApps.accessTokenExpiresAt);
  return rows.map((row) => openApp(db, row));
}

/**
 * A fresh token, stored in one update with its expiry and the refresh time. A grant without a refresh token keeps
 * the stored one (and its expiry); a new refresh token without an expiry clears the old token's expiry.
 */
export async function storeTokenGrant(db: Db, shopId: string, grant: TokenGrant, now: Date): Promise<void> {
  const hasNewRefreshToken = typeof grant.refreshToken === "string" && grant.refreshToken !== "";
  await db
    .update(platformApps)
    .set({
      accessToken: sealStored(db, secretPurposes.accessToken, grant.accessToken),
      accessTokenExpiresAt: grant.accessTokenExpiresAt,
      ...(hasNewRefreshToken ? { refreshToken: sealStoredOrNull(db, secretPurposes.refreshToken, grant.refreshToken), refreshTokenExpiresAt: grant.refreshTokenExpiresAt ?? null } : {}),
      ...(!hasNewRefreshToken && grant.refreshTokenExpiresAt ? { refreshTokenExpiresAt: grant.refreshTokenExpiresAt } : {}),
      tokenRefreshedAt: now,
    })
    .where(eq(platformApps.shopId, shopId));
}

/** A failed platform call: `message` is already the owner's Chinese sentence with the platform's words. */
export async function recordPlatformError(db: Db, shopId: string, message: string, at: Date): Promise<void> {
  await db.update(platformApps).set({ lastError: message, lastErrorAt: at }).where(eq(platformApps.shopId, shopId));
}

/** An answer the platform took (平台连接 最近回传处理); a shop without a platform app is left as it is. */
export async function recordPlatformAnswer(db: Db, shopId: string, at: Date): Promise<void> {
  await db.update(platformApps).set({ lastAnswerAt: at }).where(eq(platformApps.shopId, shopId));
}

export async function isPlatformMessageSeen(db: Db, shopId: string, messageId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: platformMessages.id })
    .from(platformMessages)
    .where(and(eq(platformMessages.shopId, shopId), eq(platformMessages.messageId, messageId)));
  return Boolean(row);
}

export async function getNativeRefund(db: Db, shopId: string, platformRequestId: string): Promise<NativeRefund | null> {
  const [row] = await db
    .select({ native: platformRefunds.native })
    .from(platformRefunds)
    .where(and(eq(platformRefunds.shopId, shopId), eq(platformRefunds.platformRequestId, platformRequestId)));
  return row?.native ?? null;
}

/** Digit versions compare as integers (Taobao refund_version is ms, Douyin update_time s), others as text. */
export function isNewerVersion(candidate: string, current: string): boolean {
  if (/^\d+$/.test(candidate) && /^\d+$/.test(current)) return BigInt(candidate) > BigInt(current);
  return candidate > current;
}

/** The stored state merged with a message's: a newer version replaces it; a partial one only adds its intervention. */
export function mergeNativeRefund(current: NativeRefund | null, incoming: NativeRefund): NativeRefund {
  if (!current) return incoming;
  const intervention = incoming.intervention ?? current.intervention;
  if (incoming.isPartial || !isNewerVersion(incoming.version, current.version)) return { ...current, intervention };
  return { ...current, ...incoming, intervention };
}

/** The proof images of the desk's rejection (its evidence ids are kept on the audit row), in the order attached. */
export async function getRejectionProofs(db: Db, shopId: string, platformRequestId: string): Promise<{ name: string; mimeType: string; bytes: Uint8Array }[]> {
  const [audit] = await db
    .select({ detail: auditLog.detail })
    .from(auditLog)
    .innerJoin(requests, eq(requests.id, auditLog.requestId))
    .where(and(eq(requests.shopId, shopId), eq(requests.platformRequestId, platformRequestId), eq(auditLog.action, "rejected")))
    .orderBy(desc(auditLog.id))
    .limit(1);
  const ids = Array.isArray(audit?.detail?.evidenceIds) ? (audit.detail.evidenceIds as string[]) : [];
  if (ids.length === 0) return [];
  const files = await db.select().from(evidenceFiles).where(and(eq(evidenceFiles.shopId, shopId), inArray(evidenceFiles.id, ids)));
  return ids
    .map((id) => files.find((file) => file.id === id))
    .filter((file): file is NonNullable<typeof file> => Boolean(file?.mimeType.startsWith("image/")))
    .map((file) => ({ name: file.name, mimeType: file.mimeType, bytes: new Uint8Array(file.bytes) }));
}

/** The platform's reasons cached for a shop and kind (null when never read). */
export async function getCachedRejectReasons(db: Db, shopId: string, kind: string): Promise<{ reasons: PlatformRejectReason[]; fetchedAt: Date } | null> {
  const [row] = await db
    .select({ reasons: platformRejectReasons.reasons, fetchedAt: platformRejectReasons.fetchedAt })
    .from(platformRejectReasons)
    .where(and(eq(platformRejectReasons.shopId, shopId), eq(platformRejectReasons.kind, kind)));
  return row ?? null;
}

export async function getCachedRejectReason(db: Db, shopId: string, kind: string, reasonId: string): Promise<PlatformRejectReason | null> {
  return (await getCachedRejectReasons(db, shopId, kind))?.reasons.find((reason) => reason.id === reasonId) ?? null;
}

export async function storeRejectReasons(db: Db, shopId: string, kind: string, reasons: PlatformRejectReason[], now: Date): Promise<void> {
  await db
    .insert(platformRejectReasons)
    .values({ shopId, kind, reasons, fetchedAt: now })
    .onConflictDoUpdate({ target: [platformRejectReasons.shopId, platformRejectReasons.kind], set: { reasons, fetchedAt: now } });
}
