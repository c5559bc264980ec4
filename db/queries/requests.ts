import { and, asc, desc, eq, gte, inArray, lt, lte, or, sql, type SQL } from "drizzle-orm";
import { readPriorRefund } from "@/db/queries/orders";
import { alias } from "drizzle-orm/sqlite-core";
import type { Db } from "@/db/client";
import { getDialect, toBoolean } from "@/db/dialect";
import { jsonText, likeIgnoringCase } from "@/db/dialect-workflows";
import { auditLog, orders, requests, shops, users } from "@/db/schema";
import { freightSettings } from "@/db/schema-freight";
import { platformApps, platformRefunds } from "@/db/schema-platforms";
import { getCardFreight } from "@/db/queries/freight";
import { buyerNickMatches } from "@/db/queries/buyer-nick";
import { latestCounterOfferJson, latestProposalJson, parseCardCounterOffer, parseCardProposal } from "@/db/queries/proposals";
import type { Scope } from "@/db/queries/users";
import type { ListRequestsQuery } from "@/lib/api-schemas";
import { orderFacts, type OrderFact } from "@/lib/domain";
import { getAnswerAvailability } from "@/lib/platforms/answer-table";
import type { NativeRefund } from "@/lib/platforms/types";
import { maskNickname } from "@/lib/mask";
import { urgencySortKeySql } from "@/db/queries/request-order";
import { getPolicyProfile } from "@/lib/policy/profiles";
import type { AuditEntry, RequestCard } from "@/lib/api-types";
import { getPrepared } from "@/db/statements";

export type { AuditEntry, RequestCard };

export type RequestPageRows = { items: RequestCard[]; nextCursor: string | null; orderedAt: string };

const decider = alias(users, "decider");
const claimer = alias(users, "claimer");

const cardColumns = {
  request: requests,
  order: orders,
  shopName: shops.name,
  deciderName: decider.name,
  claimerName: claimer.name,
  shipFromProvince: shops.shipFromProvince,
  freightSettings: freightSettings.settings,
  proposal: latestProposalJson,
  counterOffer: latestCounterOfferJson,
  // The refund's native platform state (primary-key lookup): its intervention, and which answers its API takes now
  platformNative: sql<string | null>`(select ${jsonText(platformRefunds.native)} from ${platformRefunds} where ${platformRefunds.shopId} = ${requests.shopId} and ${platformRefunds.platformRequestId} = ${requests.platformRequestId})`,
  isPlatformConnected: sql<boolean>`exists(select 1 from ${platformApps} where ${platformApps.shopId} = ${requests.shopId})`.mapWith(toBoolean),
};

type CardRow = {
  request: typeof requests.$inferSelect;
  order: typeof orders.$inferSelect;
  shopName: string;
  deciderName: string | null;
  claimerName: string | null;
  shipFromProvince: string | null;
  freightSettings: unknown;
  proposal: string | null;
  counterOffer: string | null;
  platformNative: string | null;
  isPlatformConnected: boolean;
};

const iso = (date: Date | null) => (date ? date.toISOString() : null);

const toOrderFacts = (stored: string[]): OrderFact[] => orderFacts.filter((fact) => stored.includes(fact));

function toCard(row: CardRow): RequestCard {
  const { request, order } = row;
  const native = row.platformNative ? (JSON.parse(row.platformNative) as NativeRefund) : null;
  return {
    id: request.id,
    shop: { id: request.shopId, name: row.shopName },
    platform: request.platform,
    platformRequestId: request.platformRequestId,
    kind: request.kind,
    status: request.status,
    reasonCode: request.reasonCode,
    reasonText: request.reasonText,
    claim: request.claim,
    // Webhook requests carry the platform's evidence URLs; seeded and uploaded ones are our file ids
    evidence: request.evidence.map((id) => ({ id, url: /^https?:\/\//.test(id) ? id : `/api/evidence/${id}` })),
    amountFen: request.amountFen,
    receivedAt: request.receivedAt.toISOString(),
    respondBy: request.respondBy.toISOString(),
    platformDeadline: iso(request.platformDeadline),
    decision: request.decision,
    decidedAt: iso(request.decidedAt),
    decidedBy: request.decidedBy && row.deciderName ? { id: request.decidedBy, name: row.deciderName } : null,
    claimedBy: request.claimedBy && row.claimerName ? { id: request.claimedBy, name: row.claimerName } : null,
    rejectReasonCode: request.rejectReasonCode,
    rejectReasonText: request.rejectReasonText,
    rejectMessage: request.rejectMessage,
    version: request.version,
    buyerNick: maskNickname(order.buyerNick),
    order: {
      id: order.id,
      platformOrderId: order.platformOrderId,
      title: order.title,
      category: order.category,
      amountFen: order.amountFen,
      completedAt: iso(order.completedAt),
      receivedAt: iso(order.receivedAt),
      shippedAt: iso(order.shippedAt),
      priorRefund: readPriorRefund(order),
      warrantyDays: order.warrantyDays,
      sellerPromiseDays: order.sellerPromiseDays,
      entryOpenedAt: iso(order.entryOpenedAt),
      entryTimesOpened: order.entryTimesOpened,
      unknownFacts: toOrderFacts(order.unknownFacts),
      subOrderId: order.subOrderId,
    },
    proposal: parseCardProposal(row.proposal),
    counterOffer: parseCardCounterOffer(row.counterOffer),
    freight: getCardFreight({ request, order, shipFromProvince: row.shipFromProvince, settings: row.freightSettings }),
    platformIntervention: native?.intervention ?? null,
    // A connected shop's buttons follow what its platform's API can answer (lib/platforms/answer-table.ts)
    answers: row.isPlatformConnected ? getAnswerAvailability(request.platform, request.kind, native) : null,
    // The platform refused the last answer and the card came back (docs/platforms/refusals.md); kept until the next decision
    platformRefusal: request.platformRefusal && request.platformRefusedAt ? { message: request.platformRefusal, at: request.platformRefusedAt.toISOString() } : null,
  };
}

/** Rows of the scope's shops only; the merchant check guards against a stale or forged shop list. */
function scopeCondition(scope: Scope): SQL {
  return and(inArray(requests.shopId, scope.shopIds), eq(shops.merchantId, scope.merchantId))!;
}

function selectCards(db: Db) {
  return db
    .select(cardColumns)
    .from(requests)
    .innerJoin(orders, eq(orders.id, requests.orderId))
    .innerJoin(shops, eq(shops.id, requests.shopId))
    .leftJoin(decider, eq(decider.id, requests.decidedBy))
    .leftJoin(claimer, eq(claimer.id, requests.claimedBy))
    .leftJoin(freightSettings, eq(freightSettings.shopId, requests.shopId));
}

/** Pending views: the urgency key as of the first page's instant (lib/urgency.ts); the others: arrival. */
export type Cursor = { view: "urgency"; asOfMs: number; sortKey: number; id: string } | { view: "received"; sortMs: number; id: string };

export function encodeCursor(cursor: Cursor): string {
  const value = cursor.view === "urgency" ? [cursor.asOfMs, cursor.sortKey, cursor.id] : [cursor.sortMs, cursor.id];
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

export function decodeCursor(text: string): Cursor | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
    if (!Array.isArray(value) || typeof value.at(-1) !== "string") return null;
    const numbers = value.slice(0, -1);
    if (!numbers.every((number) => Number.isSafeInteger(number))) return null;
    if (value.length === 3) return { view: "urgency", asOfMs: value[0], sortKey: value[1], id: value[2] };
    if (value.length === 2) return { view: "received", sortMs: value[0], id: value[1] };
  } catch {
    // fall through: a cursor we did not write
  }
  return null;
}

/** The pending views (all, inside the last-minute warning, overdue) sort by urgency (lib/urgency.ts). */
const pendingViews = new Set(["pending", "due_soon", "overdue"]);

/** A cursor belongs to the kind of view that wrote it. */
export function isCursorForView(cursor: Cursor, status: ListRequestsQuery["status"]): boolean {
  return (cursor.view === "urgency") === pendingViews.has(status);
}

/** Which rows a status tab holds; the urgency edges match the reply clock (lib/response-timer.ts). */
function statusCondition(status: ListRequestsQuery["status"], now: Date, warningMs: number): SQL | undefined {
  switch (status) {
    case "all":
      return undefined;
    case "due_soon":
      return and(eq(requests.status, "pending"), gte(requests.respondBy, now), lte(requests.respondBy, new Date(now.getTime() + warningMs)));
    case "overdue":
      return and(eq(requests.status, "pending"), lt(requests.respondBy, now));
    default:
      return eq(requests.status, status);
  }
}

export type RequestFilters = Pick<ListRequestsQuery, "platform" | "kind" | "shop" | "q">;

/**
 * The filters an agent sets (platform, kind, shop, search), over `requests` joined with `orders`: the list and
 * the tab counts read the same ones, so a count always matches the list it stands for.
 */
export function filterConditions(filters: RequestFilters): SQL[] {
  const conditions: SQL[] = [];
  if (filters.platform) conditions.push(eq(requests.platform, filters.platform));
  if (filters.kind) conditions.push(eq(requests.kind, filters.kind));
  if (filters.shop) conditions.push(eq(requests.shopId, filters.shop));
  if (filters.q) {
    const pattern = `%${filters.q.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
    conditions.push(
      or(likeIgnoringCase(orders.title, pattern), eq(orders.platformOrderId, filters.q), eq(requests.platformRequestId, filters.q), buyerNickMatches(pattern))!,
    );
  }
  return conditions;
}

/** Every platform's profile warns in the same last minute; taobao's stands for all here. */
export const replyWarningMs = getPolicyProfile("taobao").replyWarningMs;

/**
 * The inbox. Pending views: most urgent first (lib/urgency.ts), as of `now` on the first page and as of the
 * same instant on every later one (the cursor carries it), so a card crossing its reply clock meanwhile is
 * neither skipped nor shown twice; keyset on (sort key, id). Other views: newest first (keyset on
 * received_at, id). `orderedAt` is the instant the order was taken at.
 */
export async function listRequests(
  db: Db,
  scope: Scope,
  query: Omit<ListRequestsQuery, "cursor"> & { cursor?: Cursor | null },
  now: Date,
): Promise<RequestPageRows> {
  const cursor = query.cursor && isCursorForView(query.cursor, query.status) ? query.cursor : null;
  const isPending = pendingViews.has(query.status);
  const asOf = cursor?.view === "urgency" ? new Date(cursor.asOfMs) : now;
  if (scope.shopIds.length === 0) return { items: [], nextCursor: null, orderedAt: asOf.toISOString() };
  const conditions: (SQL | undefined)[] = [scopeCondition(scope), statusCondition(query.status, asOf, replyWarningMs), ...filterConditions(query)];

  if (isPending) {
    const sortKey = urgencySortKeySql(asOf);
    if (cursor?.view === "urgency") conditions.push(sql`(${sortKey}, ${requests.id}) > (${cursor.sortKey}, ${cursor.id})`);
    // Ids first (a sort over narrow rows), then the page's cards by primary key. Only a search reads the order.
    // The scope's shops checked once (not joined per row), the same guard as scopeCondition
    const scopeShops = db.select({ id: shops.id }).from(shops).where(and(eq(shops.merchantId, scope.merchantId), inArray(shops.id, scope.shopIds)));
    const keyConditions = [inArray(requests.shopId, scopeShops), ...conditions.slice(1)];
    const base = db.select({ id: requests.id, sortKey }).from(requests);
    const keys = await (query.q ? base.innerJoin(orders, eq(orders.id, requests.orderId)) : base)
      .where(and(...keyConditions))
      .orderBy(sortKey, asc(requests.id))
      .limit(query.limit + 1);
    const pageKeys = keys.slice(0, query.limit);
    const rows = pageKeys.length ? await selectCards(db).where(inArray(requests.id, pageKeys.map((key) => key.id))) : [];
    const byId = new Map(rows.map((row) => [row.request.id, row]));
    const items = pageKeys.flatMap((key) => {
      const row = byId.get(key.id);
      return row ? [toCard(row)] : [];
    });
    const last = keys.length > query.limit ? pageKeys.at(-1) : undefined;
    const nextCursor = last ? encodeCursor({ view: "urgency", asOfMs: asOf.getTime(), sortKey: last.sortKey, id: last.id }) : null;
    return { items, nextCursor, orderedAt: asOf.toISOString() };
  }

  if (cursor?.view === "received") {
    const { sortMs, id } = cursor;
    conditions.push(or(lt(requests.receivedAt, new Date(sortMs)), and(eq(requests.receivedAt, new Date(sortMs)), lt(requests.id, id))));
  }
  const rows = await selectCards(db)
    .where(and(...conditions))
    .orderBy(desc(requests.receivedAt), desc(requests.id))
    .limit(query.limit + 1);
  const items = rows.slice(0, query.limit).map(toCard);
  const last = rows.length > query.limit ? rows[query.limit - 1] : null;
  const nextCursor = last ? encodeCursor({ view: "received", sortMs: last.request.receivedAt.getTime(), id: last.request.id }) : null;
  return { items, nextCursor, orderedAt: asOf.toISOString() };
}

export async function getRequestCard(db: Db, scope: Scope, id: string): Promise<RequestCard | null> {
  if (scope.shopIds.length === 0) return null;
  // Read on every action on a card: prepared once per number of shops in scope
  if (getDialect() === "postgres") {
    const [row] = await selectCards(db)
      .where(and(inArray(requests.shopId, scope.shopIds), eq(shops.merchantId, scope.merchantId), eq(requests.id, id)))
      .limit(1);
    return row ? toCard(row) : null;
  }
  const shopCount = scope.shopIds.length;
  const query = getPrepared(db, `request-card:${shopCount}`, () =>
    selectCards(db)
      .where(
        and(
          inArray(
            requests.shopId,
            Array.from({ length: shopCount }, (_, index) => sql.placeholder(`shop${index}`)),
          ),
          eq(shops.merchantId, sql.placeholder("merchantId")),
          eq(requests.id, sql.placeholder("id")),
        ),
      )
      .prepare(),
  );
  const [row] = query.all({ id, merchantId: scope.merchantId, ...Object.fromEntries(scope.shopIds.map((shopId, index) => [`shop${index}`, shopId])) });
  return row ? toCard(row) : null;
}

/**
 * A card as everyone who may see its shop sees it, for the live stream: the hub reads it once per event and sends
 * it only to streams scoped to that shop (app/_server/live-hub.ts), so no one's scope is applied here.
 */
export async function getLiveCard(db: Db, id: string, shopId: string): Promise<RequestCard | null> {
  if (getDialect() === "postgres") {
    const [row] = await selectCards(db)
      .where(and(eq(requests.id, id), eq(requests.shopId, shopId)))
      .limit(1);
    return row ? toCard(row) : null;
  }
  const query = getPrepared(db, "live-card", () =>
    selectCards(db)
      .where(and(eq(requests.id, sql.placeholder("id")), eq(requests.shopId, sql.placeholder("shopId"))))
      .prepare(),
  );
  const [row] = query.all({ id, shopId });
  return row ? toCard(row) : null;
}

export async function listRequestAudit(db: Db, scope: Scope, requestId: string): Promise<AuditEntry[]> {
  if (scope.shopIds.length === 0) return [];
  const rows = await db
    .select({ entry: auditLog, actorName: users.name })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .where(and(eq(auditLog.requestId, requestId), inArray(auditLog.shopId, scope.shopIds)))
    .orderBy(asc(auditLog.at), asc(auditLog.id));
  return rows.map(({ entry, actorName }) => ({
    id: entry.id,
    action: entry.action,
    actor: entry.actorId && actorName ? { id: entry.actorId, name: actorName } : null,
    fromStatus: entry.fromStatus,
    toStatus: entry.toStatus,
    detail: entry.detail,
    at: entry.at.toISOString(),
  }));
}
