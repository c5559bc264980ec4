import { and, desc, eq, gte, inArray, isNotNull, lt, min, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { orders, requests, shops, users } from "@/db/schema";
import { freightScenarios, freightSettings } from "@/db/schema-freight";
import type { Scope } from "@/db/queries/users";
import type { CardFreight } from "@/lib/api-types";
import type { Platform, RequestKind } from "@/lib/domain";
import { isProductCategory } from "@/lib/policy/categories";
import { isProposalApplicable } from "@/lib/policy/platform-negotiation";
import { getPolicyProfile } from "@/lib/policy/profiles";
import { newId } from "@/lib/ids";
import {
  defaultFreightSettings,
  freightSettingsSchema,
  type FreightSettings,
  type SavedScenario,
  type ScenarioBody,
  type ShopFreightInputs,
} from "@/lib/return-freight/api";
import { getBuyerZone, getOrderReturnFreight } from "@/lib/return-freight/order-freight";
import { categoryIds, type BuyerZone, type CategoryId } from "@/lib/return-freight/parameters";
import { getZoneParameters, sellerFaultReasonCodes } from "@/lib/return-freight/shop-parameters";
import { dayMs } from "@/lib/time";

// 退货宝 estimator data: the shop's shipped orders and returns over a window, the owner's saved settings,
// named scenarios. Every function takes the caller's scope; a shop outside it answers like a missing one.


/** Kinds whose approval ships a parcel back that 退货宝 pays on; repairs are not paid (order-freight.ts), so not counted. */
const returnKinds: RequestKind[] = ["return_refund", "exchange"];

function isCategoryId(value: string): value is CategoryId {
  return (categoryIds as readonly string[]).includes(value);
}

/** The shop if the scope may work it and it belongs to the scope's merchant, else null. */
export async function getScopedShop(db: Db, scope: Scope, shopId: string) {
  if (!scope.shopIds.includes(shopId)) return null;
  const [shop] = await db
    .select({ id: shops.id, name: shops.name, platform: shops.platform, shipFromProvince: shops.shipFromProvince })
    .from(shops)
    .where(and(eq(shops.id, shopId), eq(shops.merchantId, scope.merchantId)));
  return shop ?? null;
}

/**
 * Shipped orders per category, returns shipped back per category (approved return & refund or exchange on
 * an order shipped in the window, counted once per order) and the buyer mix by zone, over [now − window, now).
 */
export async function getShopFreightInputs(
  db: Db,
  scope: Scope,
  shopId: string,
  options: { windowDays: number; now: Date },
): Promise<ShopFreightInputs | null> {
  const shop = await getScopedShop(db, scope, shopId);
  if (!shop) return null;
  const windowStart = new Date(options.now.getTime() - options.windowDays * dayMs);
  const inWindow = and(eq(orders.shopId, shop.id), isNotNull(orders.shippedAt), gte(orders.shippedAt, windowStart), lt(orders.shippedAt, options.now));

  const shippedRows = await db
    .select({ category: orders.category, province: orders.province, count: sql<number>`count(*)`.mapWith(Number) })
    .from(orders)
    .where(inWindow)
    .groupBy(orders.category, orders.province);
  const returnRows = await db
    .select({
      category: orders.category,
      returns: sql<number>`count(distinct ${requests.orderId})`.mapWith(Number),
      sellerFault: sql<number>`count(distinct case when ${inArray(requests.reasonCode, [...sellerFaultReasonCodes])} then ${requests.orderId} end)`.mapWith(Number),
    })
    .from(requests)
    .innerJoin(orders, eq(orders.id, requests.orderId))
    // Scoped through the order's shop (a request's shop is its order's). Naming requests.shop_id too made
    // SQLite scan the shop's requests once per order (2 s on the demo data instead of 30 ms).
    .where(and(inWindow, eq(requests.status, "approved"), inArray(requests.kind, returnKinds)))
    .groupBy(orders.category);
  const [first] = await db.select({ shippedAt: min(orders.shippedAt) }).from(orders).where(inWindow);

  const byCategory = new Map<CategoryId, ShopFreightInputs["categories"][number]>();
  const ordersByZone: Record<BuyerZone, number> = { same_prov: 0, cross_prov: 0, remote: 0 };
  let unknownZoneOrders = 0;
  let uncategorizedOrders = 0;
  for (const row of shippedRows) {
    if (!isCategoryId(row.category)) {
      uncategorizedOrders += row.count;
      continue;
    }
    const entry = byCategory.get(row.category) ?? { categoryId: row.category, shippedOrders: 0, returnsShippedBack: 0, sellerFaultReturns: 0 };
    entry.shippedOrders += row.count;
    byCategory.set(row.category, entry);
    if (row.province && shop.shipFromProvince) ordersByZone[getBuyerZone(shop.shipFromProvince, row.province)] += row.count;
    else unknownZoneOrders += row.count;
  }
  for (const row of returnRows) {
    const entry = isCategoryId(row.category) ? byCategory.get(row.category) : undefined;
    if (!entry) continue;
    entry.returnsShippedBack = row.returns;
    entry.sellerFaultReturns = row.sellerFault;
  }
  // A shop younger than the window is scaled by the days it has shipped in, not by the whole window.
  const firstShippedAt = first?.shippedAt ?? null;
  const coveredDays = firstShippedAt
    ? Math.min(options.windowDays, Math.max(1, Math.ceil((options.now.getTime() - firstShippedAt.getTime()) / dayMs)))
    : options.windowDays;
  return {
    shop,
    windowDays: options.windowDays,
    coveredDays,
    categories: [...byCategory.values()].sort((a, b) => b.shippedOrders - a.shippedOrders || a.categoryId.localeCompare(b.categoryId)),
    ordersByZone,
    unknownZoneOrders,
    uncategorizedOrders,
  };
}

/** A stored row that no longer parses (an older shape) falls back to the defaults rather than failing the page. */
function parseSettings(value: unknown): FreightSettings {
  const parsed = freightSettingsSchema.safeParse(value);
  return parsed.success ? parsed.data : defaultFreightSettings;
}

export async function getFreightSettings(db: Db, scope: Scope, shopId: string): Promise<FreightSettings | null> {
  const shop = await getScopedShop(db, scope, shopId);
  if (!shop) return null;
  const [row] = await db.select({ settings: freightSettings.settings }).from(freightSettings).where(eq(freightSettings.shopId, shop.id));
  return row ? parseSettings(row.settings) : defaultFreightSettings;
}

export async function saveFreightSettings(db: Db, scope: Scope, shopId: string, settings: FreightSettings, now: Date): Promise<FreightSettings | null> {
  const shop = await getScopedShop(db, scope, shopId);
  if (!shop) return null;
  await db
    .insert(freightSettings)
    .values({ shopId: shop.id, settings, updatedBy: scope.userId, updatedAt: now })
    .onConflictDoUpdate({ target: freightSettings.shopId, set: { settings, updatedBy: scope.userId, updatedAt: now } });
  return settings;
}

function toScenario(row: typeof freightScenarios.$inferSelect, creatorName: string | null): SavedScenario {
  return {
    id: row.id,
    shopId: row.shopId,
    name: row.name,
    windowDays: row.windowDays,
    parameters: row.parameters,
    createdBy: row.createdBy && creatorName ? { id: row.createdBy, name: creatorName } : null,
    createdAt: row.createdAt.toISOString(),
  };
}

/** Scenarios of one shop, newest first; `ids` narrows to those (the CSV export of a selection). */
export async function listScenarios(db: Db, scope: Scope, shopId: string, ids?: string[]): Promise<SavedScenario[] | null> {
  const shop = await getScopedShop(db, scope, shopId);
  if (!shop) return null;
  const rows = await db
    .select({ scenario: freightScenarios, creatorName: users.name })
    .from(freightScenarios)
    .leftJoin(users, eq(users.id, freightScenarios.createdBy))
    .where(and(eq(freightScenarios.shopId, shop.id), ids ? inArray(freightScenarios.id, ids) : undefined))
    .orderBy(desc(freightScenarios.createdAt), desc(freightScenarios.id));
  return rows.map((row) => toScenario(row.scenario, row.creatorName));
}

export async function createScenario(db: Db, scope: Scope, body: ScenarioBody, now: Date): Promise<SavedScenario | null> {
  const shop = await getScopedShop(db, scope, body.shopId);
  if (!shop) return null;
  const [row] = await db
    .insert(freightScenarios)
    .values({ id: newId("fsc"), shopId: shop.id, name: body.name, windowDays: body.windowDays, parameters: body.parameters, createdBy: scope.userId, createdAt: now })
    .returning();
  return toScenario(row, scope.userName);
}

/** true when deleted; false when missing or outside the scope (the caller answers 404 for both). */
export async function deleteScenario(db: Db, scope: Scope, id: string): Promise<boolean> {
  if (scope.shopIds.length === 0) return false;
  const [row] = await db
    .select({ shopId: freightScenarios.shopId })
    .from(freightScenarios)
    .innerJoin(shops, eq(shops.id, freightScenarios.shopId))
    .where(and(eq(freightScenarios.id, id), inArray(freightScenarios.shopId, scope.shopIds), eq(shops.merchantId, scope.merchantId)));
  if (!row) return false;
  const deleted = await db
    .delete(freightScenarios)
    .where(and(eq(freightScenarios.id, id), eq(freightScenarios.shopId, row.shopId)))
    .returning({ id: freightScenarios.id });
  return deleted.length === 1;
}

/**
 * The card's freight line, from the order's zone and the shop's saved freight/payout (else the defaults):
 * for a return parcel of the card's own kind; or, for a refund-only a Douyin platform proposal may turn into
 * return & refund (docs/domain/negotiation.md, lib/policy/platform-negotiation.ts), the freight the seller would then pay.
 */
export function getCardFreight(input: {
  request: { kind: RequestKind; platform: Platform; amountFen: number; receivedAt: Date };
  order: { category: string; amountFen: number; province: string | null; shippedAt: Date | null; receivedAt: Date | null };
  shipFromProvince: string | null;
  settings: unknown;
}): CardFreight | null {
  const { request, order } = input;
  const proposalOrder = { category: isProductCategory(order.category) ? order.category : "other", amountFen: order.amountFen, receivedAt: order.receivedAt };
  const isProposalFreight = request.kind === "refund_only" && isProposalApplicable(getPolicyProfile(request.platform), proposalOrder, request);
  const settings = input.settings === null || input.settings === undefined ? defaultFreightSettings : parseSettings(input.settings);
  const zone = order.province && input.shipFromProvince ? getBuyerZone(input.shipFromProvince, order.province) : null;
  // A received order was shipped even when the platform did not send the shipping time.
  const isShipped = order.shippedAt !== null || order.receivedAt !== null;
  const freight = getOrderReturnFreight(getZoneParameters(settings), { zone, kind: isProposalFreight ? "return_refund" : request.kind, isShipped });
  if (!freight.hasReturnParcel) return null;
  return {
    basis: isProposalFreight ? "proposal" : "request",
    zone,
    returnFreightFen: freight.returnFreightFen,
    payoutFen: freight.payoutFen,
    isCovered: freight.isCovered,
    uncoveredFen: freight.uncoveredFen,
    isSubscribed: settings.isSubscribed,
  };
}
