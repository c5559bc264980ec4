import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { getHotRow, getHotRows } from "@/db/dialect-workflows";
import { sessions, shopAccess, shops, users } from "@/db/schema";
import type { Platform, Role } from "@/lib/domain";

/** Who is acting and which shops they may work: every query below is scoped by this. */
export type Scope = {
  userId: string;
  userName: string;
  merchantId: string;
  role: Role;
  shopIds: string[];
};

export type ShopSummary = { id: string; name: string; platform: Platform };

// Every API call resolves its scope first: these three are prepared once per connection
export async function getScope(db: Db, userId: string): Promise<Scope | null> {
  const user = await getHotRow(db, "scope:user", (params) => db.select().from(users).where(eq(users.id, params.userId)), { userId });
  if (!user) return null;
  const merchantShops = await getHotRows(db, "scope:shops", (params) => db.select({ id: shops.id }).from(shops).where(eq(shops.merchantId, params.merchantId)), {
    merchantId: user.merchantId,
  });
  let shopIds = merchantShops.map((shop) => shop.id);
  if (!user.allShops) {
    const granted = await getHotRows(
      db,
      "scope:access",
      (params) => db.select({ shopId: shopAccess.shopId }).from(shopAccess).where(eq(shopAccess.userId, params.userId)),
      { userId: user.id },
    );
    const grantedIds = new Set(granted.map((row) => row.shopId));
    shopIds = shopIds.filter((id) => grantedIds.has(id));
  }
  return { userId: user.id, userName: user.name, merchantId: user.merchantId, role: user.role, shopIds };
}

export async function listScopeShops(db: Db, scope: Scope): Promise<ShopSummary[]> {
  if (scope.shopIds.length === 0) return [];
  return db
    .select({ id: shops.id, name: shops.name, platform: shops.platform })
    .from(shops)
    .where(and(eq(shops.merchantId, scope.merchantId), inArray(shops.id, scope.shopIds)))
    .orderBy(asc(shops.name));
}

export type TeamMember = {
  id: string;
  name: string;
  email: string;
  role: Role;
  allShops: boolean;
  shops: ShopSummary[];
};

/** The merchant's users and the shops each may work (owners only: checked by the caller). */
export async function listTeam(db: Db, merchantId: string): Promise<TeamMember[]> {
  const members = await db.select().from(users).where(eq(users.merchantId, merchantId)).orderBy(asc(users.role), asc(users.name));
  const merchantShops = await db
    .select({ id: shops.id, name: shops.name, platform: shops.platform })
    .from(shops)
    .where(eq(shops.merchantId, merchantId))
    .orderBy(asc(shops.name));
  const access = members.length
    ? await db.select().from(shopAccess).where(inArray(shopAccess.userId, members.map((member) => member.id)))
    : [];
  return members.map((member) => {
    const granted = new Set(access.filter((row) => row.userId === member.id).map((row) => row.shopId));
    return {
      id: member.id,
      name: member.name,
      email: member.email,
      role: member.role,
      allShops: member.allShops,
      shops: member.allShops ? merchantShops : merchantShops.filter((shop) => granted.has(shop.id)),
    };
  });
}

/** Signs a team member out everywhere (owner action); only within the owner's merchant. */
export async function revokeUserSessions(db: Db, merchantId: string, userId: string): Promise<number | null> {
  const [member] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.id, userId), eq(users.merchantId, merchantId)));
  if (!member) return null;
  const deleted = await db.delete(sessions).where(eq(sessions.userId, member.id)).returning({ id: sessions.id });
  return deleted.length;
}

/**
 * Auto-assignment switch and cap of one of the merchant's shops; false when the shop is not theirs. Turning it on
 * stamps when (the sweep hands out cards that arrived since); saving it on again keeps the first stamp.
 */
export async function setShopAssignment(db: Db, merchantId: string, shopId: string, values: { autoAssign: boolean; cap: number }, now: Date): Promise<boolean> {
  const since = values.autoAssign ? sql`case when ${shops.autoAssign} then ${shops.autoAssignSince} else ${now.getTime()} end` : null;
  const result = await db
    .update(shops)
    .set({ autoAssign: values.autoAssign, assignCap: values.cap, autoAssignSince: since })
    .where(and(eq(shops.id, shopId), eq(shops.merchantId, merchantId)))
    .returning({ id: shops.id });
  return result.length === 1;
}

export type ShopAssignment = ShopSummary & { autoAssign: boolean; assignCap: number };

export async function listShopAssignments(db: Db, merchantId: string): Promise<ShopAssignment[]> {
  return db
    .select({ id: shops.id, name: shops.name, platform: shops.platform, autoAssign: shops.autoAssign, assignCap: shops.assignCap })
    .from(shops)
    .where(eq(shops.merchantId, merchantId))
    .orderBy(asc(shops.name));
}
