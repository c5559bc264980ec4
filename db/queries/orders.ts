import { and, desc, eq, inArray, or, sql, type SQL } from "drizzle-orm";
import { transact } from "@/db/client";
import type { Db } from "@/db/client";
import { likeIgnoringCase } from "@/db/dialect-workflows";
import { auditLog, orders, shops } from "@/db/schema";
import { buyerNickMatches } from "@/db/queries/buyer-nick";
import type { Scope } from "@/db/queries/users";
import type { EntryIneligibility, OrderRow } from "@/lib/api-types";
import { orderFacts, type OrderFact, type Platform, type PriorRefundState } from "@/lib/domain";
import { maskNickname } from "@/lib/mask";
import { getAfterSalesPeriodEnd } from "@/lib/policy/after-sales-period";
import type { ActionOrder } from "@/lib/policy/allowed-actions";
import { isProductCategory } from "@/lib/policy/categories";
import { getEntryOpenUntil, getEntryReopenEligibility, isEntryOpen, type EntryReopenEligibility } from "@/lib/policy/entry-reopen";
import { getPolicyProfile } from "@/lib/policy/profiles";

type OrderRecord = typeof orders.$inferSelect;

/** The prior refund as stored: a row written before "unknown" was stored names the fact in unknown_facts instead. */
export function readPriorRefund(order: Pick<OrderRecord, "priorRefund" | "unknownFacts">): PriorRefundState {
  return order.unknownFacts.includes("prior_refund") ? "unknown" : order.priorRefund;
}

/** The order as the pure rules see it; an unmapped category is "other", which no rule singles out. */
export function toPolicyOrder(order: OrderRecord): ActionOrder & { warrantyDays: number | null; sellerPromiseDays: number | null } {
  return {
    category: isProductCategory(order.category) ? order.category : "other",
    amountFen: order.amountFen,
    shippedAt: order.shippedAt,
    receivedAt: order.receivedAt,
    completedAt: order.completedAt,
    priorRefundState: readPriorRefund(order),
    entryOpenedAt: order.entryOpenedAt,
    timesOpened: order.entryTimesOpened,
    warrantyDays: order.warrantyDays,
    sellerPromiseDays: order.sellerPromiseDays,
    unknownFacts: order.unknownFacts.filter((fact): fact is OrderFact => (orderFacts as readonly string[]).includes(fact)),
  };
}

function toOrderRow(order: OrderRecord, shop: { name: string; agentsMayOpenEntry: boolean }, scope: Scope, now: Date): OrderRow {
  const profile = getPolicyProfile(order.platform);
  const policyOrder = toPolicyOrder(order);
  const eligibility = getEntryReopenEligibility(profile, policyOrder, now);
  const isOpen = order.entryOpenedAt !== null && isEntryOpen(profile, order, now);
  return {
    id: order.id,
    shop: { id: order.shopId, name: shop.name },
    platform: order.platform,
    platformOrderId: order.platformOrderId,
    title: order.title,
    category: order.category,
    amountFen: order.amountFen,
    buyerNick: maskNickname(order.buyerNick),
    completedAt: order.completedAt?.toISOString() ?? null,
    periodEndsAt: order.completedAt ? getAfterSalesPeriodEnd(profile, { ...policyOrder, completedAt: order.completedAt }).toISOString() : null,
    entryOpenUntil: isOpen && order.entryOpenedAt ? (getEntryOpenUntil(profile, order.entryOpenedAt)?.toISOString() ?? null) : null,
    entryTimesOpened: order.entryTimesOpened,
    priorRefund: readPriorRefund(order),
    eligibility: eligibility.eligible ? { eligible: true } : toEntryIneligibility(eligibility),
    canOpenEntry: scope.role === "owner" || shop.agentsMayOpenEntry,
  };
}

/** The refusal as JSON, for the 422 body and the Orders page. */
export function toEntryIneligibility(eligibility: Extract<EntryReopenEligibility, { eligible: false }>): EntryIneligibility {
  switch (eligibility.reason) {
    case "already_open":
      return { eligible: false, reason: eligibility.reason, openUntil: eligibility.openUntil.toISOString() };
    case "too_old":
      return { eligible: false, reason: eligibility.reason, deadline: eligibility.deadline.toISOString() };
    case "prior_refund":
      return { eligible: false, reason: eligibility.reason, priorRefundState: eligibility.priorRefundState };
    case "limit_reached":
      return { eligible: false, reason: eligibility.reason, maxOpenings: eligibility.maxOpenings };
    case "unknown_facts":
      return { eligible: false, reason: eligibility.reason, unknownFacts: [...eligibility.facts] };
    default:
      return { eligible: false, reason: eligibility.reason };
  }
}

function scopeCondition(scope: Scope): SQL {
  return and(inArray(orders.shopId, scope.shopIds), eq(shops.merchantId, scope.merchantId))!;
}

/** Orders of the scope's shops matching the order id, buyer (as shown, masked) or title; newest deal first. */
export async function listOrders(db: Db, scope: Scope, query: { q?: string; limit: number }, now: Date): Promise<OrderRow[]> {
  if (scope.shopIds.length === 0) return [];
  const conditions: (SQL | undefined)[] = [scopeCondition(scope)];
  const q = query.q?.trim();
  if (q) {
    // LIKE wildcards typed by the user are matched literally
    const pattern = `%${q.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
    conditions.push(
      or(
        likeIgnoringCase(orders.platformOrderId, pattern),
        buyerNickMatches(pattern),
        likeIgnoringCase(orders.title, pattern),
      ),
    );
  }
  const rows = await db
    .select({ order: orders, shopName: shops.name, agentsMayOpenEntry: shops.agentsMayOpenEntry })
    .from(orders)
    .innerJoin(shops, eq(shops.id, orders.shopId))
    .where(and(...conditions))
    // Orders whose entry was ever opened first (the ones agents come back to), then the newest deals
    .orderBy(sql`${orders.entryOpenedAt} is null`, desc(orders.entryOpenedAt), desc(orders.completedAt), desc(orders.id))
    .limit(query.limit);
  return rows.map((row) => toOrderRow(row.order, { name: row.shopName, agentsMayOpenEntry: row.agentsMayOpenEntry }, scope, now));
}

export async function getOrderRow(db: Db, scope: Scope, orderId: string, now: Date): Promise<OrderRow | null> {
  if (scope.shopIds.length === 0) return null;
  const [row] = await db
    .select({ order: orders, shopName: shops.name, agentsMayOpenEntry: shops.agentsMayOpenEntry })
    .from(orders)
    .innerJoin(shops, eq(shops.id, orders.shopId))
    .where(and(scopeCondition(scope), eq(orders.id, orderId)));
  return row ? toOrderRow(row.order, { name: row.shopName, agentsMayOpenEntry: row.agentsMayOpenEntry }, scope, now) : null;
}

export type EntrySetting = { shopId: string; shopName: string; platform: Platform; agentsMayOpenEntry: boolean };

/** Per shop of the owner's merchant: may agents open the entry (owner-only: checked by the caller). */
export async function listEntrySettings(db: Db, scope: Scope): Promise<EntrySetting[]> {
  if (scope.shopIds.length === 0) return [];
  return db
    .select({ shopId: shops.id, shopName: shops.name, platform: shops.platform, agentsMayOpenEntry: shops.agentsMayOpenEntry })
    .from(shops)
    .where(and(eq(shops.merchantId, scope.merchantId), inArray(shops.id, scope.shopIds)))
    .orderBy(shops.name);
}

export async function setAgentsMayOpenEntry(db: Db, scope: Scope, shopId: string, value: boolean, now: Date): Promise<boolean> {
  if (!scope.shopIds.includes(shopId)) return false;
  return transact(db, async (tx) => {
    const updated = await tx
      .update(shops)
      .set({ agentsMayOpenEntry: value })
      .where(and(eq(shops.id, shopId), eq(shops.merchantId, scope.merchantId)))
      .returning({ id: shops.id });
    if (updated.length !== 1) return false;
    await tx.insert(auditLog).values({ shopId, actorId: scope.userId, action: "entry_setting_changed", detail: { agentsMayOpenEntry: value }, at: now });
    return true;
  });
}
