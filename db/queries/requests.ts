import { and, asc, desc, eq, gte, inArray, lt, lte, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { Db } from "@/db/client";
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
import { getDueAtMs } from "@/lib/urgency";
import { getPolicyProfile } from "@/lib/policy/profiles";
import type { AuditEntry, RequestCard } from "@/lib/api-types";
import { getPrepared } from "@/db/statements";

export type { AuditEntry, RequestCard };

export type RequestPageRows = { items: RequestCard[]; nextCursor: string | null };

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
  platformNative: sql<string | null>`(select ${platformRefunds.native} from ${platformRefunds} where ${platformRefunds.shopId} = ${requests.shopId} and ${platformRefunds.platformRequestId} = ${requests.platformRequestId})`,
  isPlatformConnected: sql<number>`exists(select 1 from ${platformApps} where ${platformApps.shopId} = ${requests.shopId})`,
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
  isPlatformConnected: number;
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
      priorRefund: order.priorRefund,
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

type Cursor = { sortMs: number; id: string };

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.sortMs, cursor.id])).toString("base64url");
}

export function decodeCursor(text: string): Cursor | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
    if (Array.isArray(value) && value.length === 2 && Number.isSafeInteger(value[0]) && typeof value[1] === "string") {
      return { sortMs: value[0], id: value[1] };
    }
  } catch {
    // fall through: a cursor we did not write
  }
  return null;
}

/** Mirrors lib/urgency.ts getDueAtMs in SQL (instants are epoch ms), so the database can sort by it. */
const dueAtSql = sql<number>`min(${requests.respondBy}, coalesce(${requests.platformDeadline}, ${requests.respondBy}))`;

function getCardDueAtMs(request: { respondBy: Date; platformDeadline: Date | null }): number {
  return getDueAtMs({ respondByMs: request.respondBy.getTime(), platformDeadlineMs: request.platformDeadline?.getTime() ?? null });
}

/** The pending views (all, inside the last-minute warning, overdue) sort by whichever deadline comes first. */
const pendingViews = new Set(["pending", "due_soon", "overdue"]);

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

/**
 * The inbox. Pending views: the deadline that comes first on top (keyset on due time, id).
 * Other views: newest first (keyset on received_at, id).
 */
export async function listRequests(
  db: Db,
  scope: Scope,
  query: Omit<ListRequestsQuery, "cursor"> & { cursor?: Cursor | null },
  now: Date,
): Promise<RequestPageRows> {
  if (scope.shopIds.length === 0) return { items: [], nextCursor: null };
  const isPending = pendingViews.has(query.status);
  const sortColumn = isPending ? dueAtSql : requests.receivedAt;
  // Every platform's profile warns in the same last minute; taobao's stands for all here.
  const conditions: (SQL | undefined)[] = [scopeCondition(scope), statusCondition(query.status, now, getPolicyProfile("taobao").replyWarningMs)];
  if (query.platform) conditions.push(eq(requests.platform, query.platform));
  if (query.kind) conditions.push(eq(requests.kind, query.kind));
  if (query.shop) conditions.push(eq(requests.shopId, query.shop));
  if (query.q) {
    const pattern = `%${query.q.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
    conditions.push(
      or(sql`${orders.title} like ${pattern} escape '\\'`, eq(orders.platformOrderId, query.q), eq(requests.platformRequestId, query.q), buyerNickMatches(pattern)),
    );
  }
  if (query.cursor) {
    const { sortMs, id } = query.cursor;
    conditions.push(
      isPending
        ? sql`(${dueAtSql} > ${sortMs} or (${dueAtSql} = ${sortMs} and ${requests.id} > ${id}))`
        : or(lt(requests.receivedAt, new Date(sortMs)), and(eq(requests.receivedAt, new Date(sortMs)), lt(requests.id, id))),
    );
  }
  const order = isPending ? [asc(sortColumn), asc(requests.id)] : [desc(sortColumn), desc(requests.id)];
  const rows = await selectCards(db)
    .where(and(...conditions))
    .orderBy(...order)
    .limit(query.limit + 1);
  const items = rows.slice(0, query.limit).map(toCard);
  const last = rows.length > query.limit ? rows[query.limit - 1] : null;
  const nextCursor = last
    ? encodeCursor({ sortMs: isPending ? getCardDueAtMs(last.request) : last.request.receivedAt.getTime(), id: last.request.id })
    : null;
  return { items, nextCursor };
}

export async function getRequestCard(db: Db, scope: Scope, id: string): Promise<RequestCard | null> {
  if (scope.shopIds.length === 0) return null;
  // Read on every action on a card: prepared once per number of shops in scope
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
