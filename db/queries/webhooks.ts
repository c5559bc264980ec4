import { and, asc, desc, eq, inArray, isNull } from "drizzle-orm";
import { transact } from "@/db/client";
import type { Db } from "@/db/client";
import { getHotRow, getHotRows } from "@/db/dialect-workflows";
import { shops } from "@/db/schema";
import { shopPlatformEndpoints, shopWebhookSecrets, webhookEvents } from "@/db/schema-webhooks";
import { openStored, sealStored, secretPurposes } from "@/db/secrets";
import type { Platform } from "@/lib/domain";
import type { ShopConnection, WebhookEventRow } from "@/lib/webhook/settings-types";
import { maskSecret } from "@/lib/platforms/connection";
import { getActiveSecrets, secretRotationGraceMs } from "@/lib/webhook/signature";

// The shops' webhook settings: who may send events (signing secrets), where decisions go (endpoints) and what
// came in. What an event does once received is a workflow: db/workflows/ingest.ts.

export type WebhookShop = { id: string; platform: Platform; merchantId: string };

/** The shop an inbound event claims to come from, only if it is on the platform of the URL. */
export async function findWebhookShop(db: Db, shopId: string, platform: Platform): Promise<WebhookShop | null> {
  // This, the secrets and the card lookup run for every event received: prepared once per connection
  const shop = await getHotRow(
    db,
    "webhook:shop",
    (params) =>
      db
        .select({ id: shops.id, platform: shops.platform, merchantId: shops.merchantId })
        .from(shops)
        .where(and(eq(shops.id, params.shopId), eq(shops.platform, params.platform))),
    { shopId, platform },
  );
  return shop ?? null;
}

// Webhook secrets are stored sealed (db/secrets.ts): opened here only where a signature is made or checked, and
// shown to the owner masked (listShopConnections); the clear secret is answered once, by the rotation that made it.

/** Secrets that verify a signature now: the current one and any rotated out at most 24 h ago (opened for use). */
export async function getVerifyingSecrets(db: Db, shopId: string, now: Date): Promise<string[]> {
  const rows = await getHotRows(
    db,
    "webhook:secrets",
    (params) =>
      db
        .select({ secret: shopWebhookSecrets.secret, rotatedOutAt: shopWebhookSecrets.rotatedOutAt })
        .from(shopWebhookSecrets)
        .where(eq(shopWebhookSecrets.shopId, params.shopId))
        .orderBy(desc(shopWebhookSecrets.id)),
    { shopId },
  );
  // Only the secrets still active are opened
  return getActiveSecrets(rows, now).map((secret) => openStored(db, secretPurposes.webhookSecret, secret));
}

/** Makes `secret` the current one; the previous current secret keeps verifying for 24 h from `now`. */
export async function rotateShopSecret(db: Db, shopId: string, secret: string, now: Date): Promise<void> {
  const sealed = sealStored(db, secretPurposes.webhookSecret, secret);
  await transact(db, async (tx) => {
    await tx
      .update(shopWebhookSecrets)
      .set({ rotatedOutAt: now })
      .where(and(eq(shopWebhookSecrets.shopId, shopId), isNull(shopWebhookSecrets.rotatedOutAt)));
    await tx.insert(shopWebhookSecrets).values({ shopId, secret: sealed, createdAt: now });
  });
}

export async function setShopEndpoint(db: Db, shopId: string, url: string, now: Date): Promise<void> {
  await db
    .insert(shopPlatformEndpoints)
    .values({ shopId, url, updatedAt: now })
    .onConflictDoUpdate({ target: shopPlatformEndpoints.shopId, set: { url, updatedAt: now } });
}

export async function listRecentEvents(db: Db, shopIds: string[], limit = 50): Promise<WebhookEventRow[]> {
  if (shopIds.length === 0) return [];
  const rows = await db
    .select({
      id: webhookEvents.id,
      shopId: webhookEvents.shopId,
      eventId: webhookEvents.eventId,
      type: webhookEvents.type,
      platformRequestId: webhookEvents.platformRequestId,
      occurredAt: webhookEvents.occurredAt,
      receivedAt: webhookEvents.receivedAt,
    })
    .from(webhookEvents)
    .where(inArray(webhookEvents.shopId, shopIds))
    .orderBy(desc(webhookEvents.id))
    .limit(limit);
  return rows.map((row) => ({ ...row, occurredAt: row.occurredAt.toISOString(), receivedAt: row.receivedAt.toISOString() }));
}

function getMaskedSecret(db: Db, sealed: string | undefined): string | null {
  return sealed === undefined ? null : maskSecret(openStored(db, secretPurposes.webhookSecret, sealed));
}

/** One row per shop of the merchant that the scope covers, for the settings page (the secret masked). */
export async function listShopConnections(db: Db, merchantId: string, shopIds: string[], now: Date): Promise<ShopConnection[]> {
  if (shopIds.length === 0) return [];
  const shopRows = await db
    .select({ id: shops.id, name: shops.name, platform: shops.platform, url: shopPlatformEndpoints.url })
    .from(shops)
    .leftJoin(shopPlatformEndpoints, eq(shopPlatformEndpoints.shopId, shops.id))
    .where(and(eq(shops.merchantId, merchantId), inArray(shops.id, shopIds)))
    .orderBy(asc(shops.name));
  const secretRows = await db
    .select()
    .from(shopWebhookSecrets)
    .where(inArray(shopWebhookSecrets.shopId, shopIds))
    .orderBy(desc(shopWebhookSecrets.id));
  return shopRows.map((shop) => {
    const own = secretRows.filter((row) => row.shopId === shop.id);
    return {
      shopId: shop.id,
      shopName: shop.name,
      platform: shop.platform,
      endpointUrl: shop.url,
      maskedSecret: getMaskedSecret(db, own.find((row) => row.rotatedOutAt === null)?.secret),
      previousSecretsValidUntil: own
        .filter((row) => row.rotatedOutAt && row.rotatedOutAt.getTime() + secretRotationGraceMs >= now.getTime())
        .map((row) => new Date(row.rotatedOutAt!.getTime() + secretRotationGraceMs).toISOString()),
    };
  });
}
