import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { shops, users } from "@/db/schema";
import type { Platform } from "@/lib/domain";

// Names and platforms the report pages show beside the rollups' ids

export async function getShopNames(db: Db, shopIds: string[]): Promise<Map<string, string>> {
  if (shopIds.length === 0) return new Map();
  const rows = await db.select({ id: shops.id, name: shops.name }).from(shops).where(inArray(shops.id, shopIds));
  return new Map(rows.map((row) => [row.id, row.name]));
}

export async function getShopPlatforms(db: Db, shopIds: string[]): Promise<Map<string, Platform>> {
  if (shopIds.length === 0) return new Map();
  const rows = await db.select({ id: shops.id, platform: shops.platform }).from(shops).where(inArray(shops.id, shopIds));
  return new Map(rows.map((row) => [row.id, row.platform]));
}

export async function getUserNames(db: Db, merchantId: string, userIds: string[]): Promise<Map<string, string>> {
  if (userIds.length === 0) return new Map();
  const rows = await db
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(and(eq(users.merchantId, merchantId), inArray(users.id, userIds)));
  return new Map(rows.map((row) => [row.id, row.name]));
}
