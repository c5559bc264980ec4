import { and, eq, sql } from "drizzle-orm";
import { transact } from "@/db/client";
import type { Db, Tx } from "@/db/client";
import { getHotRow, jsonParam } from "@/db/dialect-workflows";
import { allRaw, getRaw, runRaw } from "@/db/raw";
import { requests, auditLog } from "@/db/schema";
import { platformApps, platformMessages, platformRefunds } from "@/db/schema-platforms";
import { addReceivedToRollup } from "@/db/queries/metrics/upkeep";
import { mergeNativeRefund } from "@/db/queries/platforms";
import { recordProposal, resolveProposal } from "@/db/queries/proposals";
import type { WebhookShop } from "@/db/queries/webhooks";
import { applyAutoRules } from "@/db/workflows/auto-rules";
import { answerReopenIfEntryOpen } from "@/db/workflows/entry";
import type { RequestStatus } from "@/lib/domain";
import { newId } from "@/lib/ids";
import type { MappedMessage } from "@/lib/platforms/types";
import { normalizeCategory } from "@/lib/policy/categories";
import { getPolicyProfile } from "@/lib/policy/profiles";
import { getRespondBy } from "@/lib/response-timer";
import { applyRequestEvents, isLaterStamp, type RequestEvent, type RequestEventState, type Stamp } from "@/lib/webhook/event-order";
import type { WebhookBuyer, WebhookEvent, WebhookOrder } from "@/lib/webhook/events";
import { toOrderFactColumns } from "@/lib/webhook/order-facts";

// What happens when a platform event arrives, top to bottom (docs/loops.md lists what runs after it):
//   receiveWebhookEvent  stores the event (a repeated id changes nothing) and, in the same transaction,
//     projectRequest     rebuilds the card from every event stored for it (order-independent), inserts it with
//                        its "received" audit row and its rollup counts, or patches a pending one;
//     recordProposals    records Douyin's proposals and their outcomes;
//     answerReopenIfEntryOpen / applyAutoRules  answer it at once when the entry is already open or a rule says so.
//   ingestPlatformMessage  does the same for a platform adapter's message (each mapped event through
//                        receiveWebhookEvent), with the message id and the refund's native state.
// Auto-assignment is not part of it: the assignment sweep (db/workflows/assignment.ts) picks new cards up.

export type ReceiveResult = { duplicate: boolean };

function getPlatformOrderId(event: WebhookEvent): string | null {
  if (event.type === "request.created" || event.type === "order.upserted") return event.data.order.orderId;
  return null;
}

/**
 * Stores an event and applies it in one transaction, so a 200 means both happened and a crash
 * means neither. The same event id again for the shop changes nothing.
 */
export async function receiveWebhookEvent(
  db: Db,
  input: { shop: WebhookShop; event: WebhookEvent; rawBody: string; now: Date },
): Promise<ReceiveResult> {
  const { shop, event, rawBody, now } = input;
  return transact(db, async (tx) => {
    // The receipt's writes are prepared once per connection (times as epoch ms, JSON as text, as the schema stores them)
    const stored = await runRaw(
      tx,
      `insert into "webhook_events" ("shop_id", "platform", "event_id", "type", "occurred_at", "received_at", "platform_request_id", "platform_order_id", "raw_body")
       values (?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict ("shop_id", "event_id") do nothing`,
      [
        shop.id,
        shop.platform,
        event.id,
        event.type,
        Date.parse(event.occurredAt),
        now.getTime(),
        event.type === "order.upserted" ? null : event.data.requestId,
        getPlatformOrderId(event),
        rawBody,
      ],
    );
    if (stored.changes === 0) return { duplicate: true };
    if (event.type === "order.upserted") await projectOrder(tx, shop, event.data.order.orderId);
    else await projectRequest(tx, shop, event.data.requestId, now);
    return { duplicate: false };
  });
}

/** The "received" audit row's detail, as JSON text (hand-written SQL passes JSON as text). */
const webhookSourceDetail = JSON.stringify({ source: "webhook" });

type OrderSnapshot = { stamp: Stamp; order: WebhookOrder; buyer: WebhookBuyer | null };

/** A request's or an order's stored events in arrival order (prepared once: every receipt reads them). */
async function readEvents(tx: Tx, shopId: string, by: { requestId: string } | { orderId: string }): Promise<WebhookEvent[]> {
  const column = "requestId" in by ? "platform_request_id" : "platform_order_id";
  const rows = await allRaw<{ raw_body: string }>(tx, `select "raw_body" from "webhook_events" where "shop_id" = ? and "${column}" = ? order by "id"`, [
    shopId,
    "requestId" in by ? by.requestId : by.orderId,
  ]);
  // Only validated bodies are stored, so the log parses back to the contract's types
  return rows.map((row) => JSON.parse(row.raw_body) as WebhookEvent);
}

function getStamp(event: WebhookEvent): Stamp {
  return { occurredAt: new Date(event.occurredAt).toISOString(), eventId: event.id };
}

/** The order as its latest snapshot says, whichever event carried it; the buyer from the latest request. */
async function projectOrder(tx: Tx, shop: WebhookShop, platformOrderId: string): Promise<string | null> {
  const events = await readEvents(tx, shop.id, { orderId: platformOrderId });
  let latest: OrderSnapshot | null = null;
  let buyer: { stamp: Stamp; buyer: WebhookBuyer } | null = null;
  for (const event of events) {
    if (event.type !== "request.created" && event.type !== "order.upserted") continue;
    const stamp = getStamp(event);
    if (isLaterStamp(stamp, latest?.stamp)) latest = { stamp, order: event.data.order, buyer: null };
    if (event.type === "request.created" && isLaterStamp(stamp, buyer?.stamp)) buyer = { stamp, buyer: event.data.buyer };
  }
  if (!latest) return null;
  const { order } = latest;
  const facts = toOrderFactColumns(order);
  const supportedKinds = JSON.stringify(order.supportedKinds);
  const json = jsonParam();
  const row = await getRaw<{ id: string }>(
    tx,
    `insert into "orders" ("id", "shop_id", "platform", "platform_order_id", "buyer_id", "buyer_nick", "category", "title", "amount_fen", "completed_at", "received_at", "shipped_at", "supported_kinds", "prior_refund", "unknown_facts", "sub_order_id")
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ${json}, ?, ${json}, ?)
     on conflict ("shop_id", "platform_order_id") do update set "category" = excluded."category", "title" = excluded."title", "amount_fen" = excluded."amount_fen",
       "completed_at" = excluded."completed_at", "received_at" = excluded."received_at", "shipped_at" = excluded."shipped_at", "supported_kinds" = excluded."supported_kinds",
       "prior_refund" = excluded."prior_refund", "unknown_facts" = excluded."unknown_facts", "sub_order_id" = excluded."sub_order_id"
       ${buyer ? ', "buyer_id" = excluded."buyer_id", "buyer_nick" = excluded."buyer_nick"' : ""}
     returning "id"`,
    [
      newId("ord"),
      shop.id,
      shop.platform,
      platformOrderId,
      buyer?.buyer.id ?? "",
      buyer?.buyer.nick ?? "",
      normalizeCategory(order.category),
      order.title,
      order.amountFen,
      facts.completedAtMs,
      facts.receivedAtMs,
      facts.shippedAtMs,
      supportedKinds,
      facts.priorRefund,
      JSON.stringify(facts.unknownFacts),
      order.subOrderId ?? null,
    ],
  );
  if (!row) throw new Error(`Order ${platformOrderId} was not stored`);
  return row.id;
}

/**
 * Rebuilds the request from every stored event for it (the order-independent reducer), then writes
 * what changed. A decided or withdrawn request is never reopened.
 */
async function projectRequest(tx: Tx, shop: WebhookShop, platformRequestId: string, now: Date): Promise<void> {
  const events = await readEvents(tx, shop.id, { requestId: platformRequestId });
  const state = applyRequestEvents(null, events.filter((event): event is RequestEvent => event.type !== "order.upserted"));
  if (!state) return;
  const existing = await getHotRow(
    tx,
    "webhook:request",
    (params) =>
      tx
        .select()
        .from(requests)
        .where(and(eq(requests.shopId, params.shopId), eq(requests.platform, params.platform), eq(requests.platformRequestId, params.platformRequestId))),
    { shopId: shop.id, platform: shop.platform, platformRequestId },
  );
  const { fields } = state;

  if (!existing) {
    // Only later events so far (a cancel before its create): no card until the create arrives
    if (!state.createdAt || !fields.order || !fields.kind || fields.reasonCode === null) return;
    const orderId = await projectOrder(tx, shop, fields.order.orderId);
    if (!orderId) return;
    const receivedAt = new Date(state.createdAt);
    const status: RequestStatus = state.cancelledAt ? "cancelled" : "pending";
    const id = newId("req");
    const amountFen = fields.amountFen ?? fields.order.amountFen;
    const respondBy = getRespondBy(getPolicyProfile(shop.platform), receivedAt);
    await runRaw(
      tx,
      `insert into "requests" ("id", "shop_id", "order_id", "platform", "platform_request_id", "kind", "status", "reason_code", "reason_text", "claim", "evidence", "amount_fen", "received_at", "respond_by", "platform_deadline")
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ${jsonParam()}, ?, ?, ?, ?)`,
      [
        id,
        shop.id,
        orderId,
        shop.platform,
        platformRequestId,
        fields.kind,
        status,
        fields.reasonCode,
        fields.reasonText ?? null,
        fields.claim ?? null,
        JSON.stringify(fields.evidence),
        amountFen,
        receivedAt.getTime(),
        respondBy.getTime(),
        fields.platformDeadline ? Date.parse(fields.platformDeadline) : null,
      ],
    );
    await runRaw(
      tx,
      `insert into "audit_log" ("shop_id", "request_id", "order_id", "action", "to_status", "detail", "at") values (?, ?, ?, 'received', ?, ${jsonParam()}, ?)`,
      [shop.id, id, orderId, status, webhookSourceDetail, now.getTime()],
    );
    // The metrics count a card from the moment it is stored, in the same transaction.
    await addReceivedToRollup(tx, {
      shopId: shop.id,
      platform: shop.platform,
      kind: fields.kind,
      status,
      receivedAt,
      decidedAt: null,
      decidedBy: null,
      rejectReasonCode: null,
      rejectMessage: null,
      amountFen,
      rejectEvidenceCount: 0,
    });
    const created = { id, kind: fields.kind };
    await recordProposals(tx, shop, created.id, state, now);
    // A re-open request while the entry is open is answered "已开启，至 …" by the system (docs/domain/after-sales-entry.md)
    if (created.kind === "entry_reopen") await answerReopenIfEntryOpen(tx, created.id, now);
    // The shop's automatic rules answer (or, 只记录, tag) it in this same transaction (docs/domain/automatic-rules.md)
    await applyAutoRules(tx, created.id, now);
    return;
  }

  await updatePendingRequest(tx, shop, existing, state, events, now);
  await recordProposals(tx, shop, existing.id, state, now);
}

/** Writes what later events changed on a pending request; a decided or withdrawn one is never reopened. */
async function updatePendingRequest(
  tx: Tx,
  shop: WebhookShop,
  existing: typeof requests.$inferSelect,
  state: RequestEventState,
  events: WebhookEvent[],
  now: Date,
): Promise<void> {
  if (existing.status !== "pending") return;
  const { fields, fieldStamps } = state;
  // Fields the create set are already on the row; only later events change it (a proposal may have changed the kind since)
  const createIds = new Set(events.filter((event) => event.type === "request.created").map((event) => event.id));
  const isChanged = (key: keyof typeof fieldStamps) => Boolean(fieldStamps[key] && !createIds.has(fieldStamps[key].eventId));
  const patch: Partial<typeof requests.$inferInsert> = {};
  if (isChanged("kind") && fields.kind && fields.kind !== existing.kind) patch.kind = fields.kind;
  if (isChanged("amountFen") && fields.amountFen !== null && fields.amountFen !== existing.amountFen) patch.amountFen = fields.amountFen;
  if (isChanged("reasonCode") && fields.reasonCode !== null && fields.reasonCode !== existing.reasonCode) patch.reasonCode = fields.reasonCode;
  if (isChanged("reasonText") && fields.reasonText !== existing.reasonText) patch.reasonText = fields.reasonText;
  if (isChanged("claim") && fields.claim !== existing.claim) patch.claim = fields.claim;
  if (isChanged("evidence") && JSON.stringify(fields.evidence) !== JSON.stringify(existing.evidence)) patch.evidence = fields.evidence;
  const deadlineMs = fields.platformDeadline ? Date.parse(fields.platformDeadline) : null;
  if (isChanged("platformDeadline") && deadlineMs !== (existing.platformDeadline?.getTime() ?? null)) {
    patch.platformDeadline = deadlineMs === null ? null : new Date(deadlineMs);
  }
  const isCancelled = state.cancelledAt !== null;
  if (!isCancelled && Object.keys(patch).length === 0) return;
  const updated = await tx
    .update(requests)
    .set({ ...patch, ...(isCancelled ? { status: "cancelled" as const } : {}), version: sql`${requests.version} + 1` })
    .where(and(eq(requests.id, existing.id), eq(requests.status, "pending")))
    .returning({ id: requests.id });
  if (updated.length !== 1) return;
  await tx
    .insert(auditLog)
    .values({
      shopId: shop.id,
      requestId: existing.id,
      orderId: existing.orderId,
      action: isCancelled ? "cancelled_by_buyer" : "updated_by_platform",
      fromStatus: "pending",
      toStatus: isCancelled ? "cancelled" : "pending",
      detail: { source: "webhook", changed: Object.keys(patch) },
      at: now,
    });
}

/** Douyin proposals go to platform_proposals (docs/domain/negotiation.md); both calls ignore what they have already recorded. */
async function recordProposals(tx: Tx, shop: WebhookShop, requestId: string, state: RequestEventState, now: Date): Promise<void> {
  for (const proposal of state.proposals) {
    // A resolution that arrived before its proposal waits for it (it stays in the event log)
    if (!proposal.created) continue;
    await recordProposal(tx, {
      shopId: shop.id,
      requestId,
      platformProposalId: proposal.proposalId,
      proposedAt: new Date(proposal.created.occurredAt),
      expiresAt: proposal.expiresAt ? new Date(proposal.expiresAt) : null,
      now,
    });
    if (proposal.outcome) await resolveProposal(tx, { shopId: shop.id, platformProposalId: proposal.proposalId, outcome: proposal.outcome, now });
  }
}

export type IngestResult = { duplicate: boolean; newEvents: number };

/**
 * Stores one platform message: its events through receiveWebhookEvent, the native state and the message id,
 * all in one transaction (better-sqlite3 nests receiveWebhookEvent's transaction as a savepoint).
 */
export async function ingestPlatformMessage(
  db: Db,
  input: { shop: WebhookShop; messageId: string; topic: string; rawBody: string; mapped: MappedMessage; now: Date },
): Promise<IngestResult> {
  const { shop, messageId, topic, rawBody, mapped, now } = input;
  return transact(db, async (tx) => {
    const stored = await tx
      .insert(platformMessages)
      .values({
        shopId: shop.id,
        messageId,
        topic,
        platformRequestId: mapped.native?.refundId ?? mapped.events.find((event) => event.type !== "order.upserted")?.data.requestId ?? null,
        eventIds: mapped.events.map((event) => event.id),
        note: mapped.note ?? null,
        rawBody,
        receivedAt: now,
      })
      .onConflictDoNothing({ target: [platformMessages.shopId, platformMessages.messageId] })
      .returning({ id: platformMessages.id });
    // Connection health (平台连接 最近收到消息): a redelivery shows the connection is alive as well
    await tx.update(platformApps).set({ lastMessageAt: now }).where(eq(platformApps.shopId, shop.id));
    if (stored.length === 0) return { duplicate: true, newEvents: 0 };
    let newEvents = 0;
    for (const event of mapped.events) {
      if (!(await receiveWebhookEvent(db, { shop, event, rawBody: JSON.stringify(event), now })).duplicate) newEvents++;
    }
    if (mapped.native) {
      const [current] = await tx
        .select({ native: platformRefunds.native })
        .from(platformRefunds)
        .where(and(eq(platformRefunds.shopId, shop.id), eq(platformRefunds.platformRequestId, mapped.native.refundId)))
        .limit(1);
      const native = mergeNativeRefund(current?.native ?? null, mapped.native);
      await tx
        .insert(platformRefunds)
        .values({ shopId: shop.id, platformRequestId: native.refundId, native, updatedAt: now })
        .onConflictDoUpdate({ target: [platformRefunds.shopId, platformRefunds.platformRequestId], set: { native, updatedAt: now } });
    }
    return { duplicate: false, newEvents };
  });
}
