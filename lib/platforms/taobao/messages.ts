import { createHash } from "node:crypto";
import type { RequestKind } from "@/lib/domain";
import { PlatformMessageError, chinaTimeToIso, parseJsonLossless, platformEventId, toIdString, parseTopYuan } from "@/lib/platforms/common";
import { mapTaobaoReason } from "@/lib/platforms/reasons";
import { readTopResponse, topText } from "@/lib/platforms/taobao/top-api";
import type { MappedMessage, NativeRefund, OrderFacts } from "@/lib/platforms/types";
import { toWebhookPriorRefund } from "@/lib/platforms/order-facts";
import type { WebhookEvent, WebhookOrder } from "@/lib/webhook/events";

// Taobao/Tmall TMC messages (docs/platforms/taobao.md): parsing a message, refund.get → our events and the native state

export type TmcMessage = { messageId: string; topic: string; sellerNick: string; content: Record<string, unknown> };

/** A TMC message (WebSocket frame fields or tmc.messages.consume's), content a JSON string with raw 19-digit ids. */
export function parseTmcMessage(raw: Record<string, unknown>): TmcMessage {
  const messageId = toIdString(raw.id, "id");
  if (typeof raw.topic !== "string") throw new PlatformMessageError("topic is missing");
  let content: unknown = raw.content;
  if (typeof content === "string") {
    try {
      content = parseJsonLossless(content);
    } catch {
      throw new PlatformMessageError("content is not a JSON string");
    }
  }
  if (!content || typeof content !== "object") throw new PlatformMessageError("content is not an object");
  const record = content as Record<string, unknown>;
  const sellerNick = String(raw.user_nick ?? raw.nick ?? record.seller_nick ?? "");
  return { messageId, topic: raw.topic, sellerNick, content: record };
}

/** Topics with their docIds (docs/platforms/taobao.md); 124 and 125 are never sent, so they are not subscribed. */
export const taobaoRefundTopics = [
  "taobao_refund_RefundCreated",
  "taobao_refund_RefundSellerAgreeAgreement",
  "taobao_refund_RefundSellerRefuseAgreement",
  "taobao_refund_RefundBuyerModifyAgreement",
  "taobao_refund_RefundBuyerReturnGoods",
  "taobao_refund_RefundCreateMessage",
  "taobao_refund_RefundClosed",
  "taobao_refund_RefundSuccess",
  "taobao_refund_TaobaoInterApplied",
  "taobao_refund_TaobaoIntervened",
] as const;

export function isTaobaoRefundTopic(topic: string): boolean {
  return (taobaoRefundTopics as readonly string[]).includes(topic);
}

export function getTaobaoRefundId(message: TmcMessage): string {
  return toIdString(message.content.refund_id, "content.refund_id");
}

/** The fields asked of taobao.refund.get (bububa/opentaobao metadata/assets/json/tbrefund/taobao_refund_get.json). */
export const taobaoRefundFields =
  "refund_id,tid,oid,title,total_fee,payment,refund_fee,status,reason,desc,good_status,has_good_return,refund_phase,refund_version,refund_remind_timeout,dispute_type,cs_status,order_status,operation_contraint,created,modified,buyer_nick,buyer_open_uid";

export type TaobaoRefundDetail = {
  refundId: string;
  tid: string;
  oid: string | null;
  title: string;
  status: string;
  disputeType: string | null;
  refundFeeFen: number;
  orderFeeFen: number | null;
  reason: string;
  desc: string | null;
  hasGoodReturn: boolean;
  refundPhase: string | null;
  refundVersion: string;
  remindTimeout: string | null;
  created: string;
  modified: string;
  buyerId: string;
  buyerNick: string;
};

export function parseTaobaoRefund(body: unknown): TaobaoRefundDetail {
  const refund = readTopResponse(body, "taobao.refund.get").refund as Record<string, unknown> | undefined;
  if (!refund) throw new PlatformMessageError("taobao.refund.get: no refund");
  const timeout = refund.refund_remind_timeout as { timeout?: unknown; exist_timeout?: unknown } | undefined;
  const fee = topText(refund.refund_fee);
  const orderFee = topText(refund.payment) ?? topText(refund.total_fee);
  if (!fee || !topText(refund.status) || !topText(refund.created)) throw new PlatformMessageError("taobao.refund.get: refund_fee, status or created missing");
  return {
    refundId: toIdString(refund.refund_id, "refund_id"),
    tid: toIdString(refund.tid, "tid"),
    oid: refund.oid === undefined || refund.oid === null ? null : toIdString(refund.oid, "oid"),
    title: (topText(refund.title) ?? "淘宝商品").slice(0, 200),
    status: String(refund.status),
    disputeType: topText(refund.dispute_type),
    refundFeeFen: parseTopYuan(fee),
    orderFeeFen: orderFee ? parseTopYuan(orderFee) : null,
    reason: topText(refund.reason) ?? "其他",
    desc: topText(refund.desc),
    hasGoodReturn: refund.has_good_return === true || refund.has_good_return === "true",
    refundPhase: topText(refund.refund_phase),
    refundVersion: String(refund.refund_version ?? "0"),
    remindTimeout: timeout && timeout.exist_timeout !== false && typeof timeout.timeout === "string" ? chinaTimeToIso(timeout.timeout) : null,
    created: chinaTimeToIso(String(refund.created)),
    modified: chinaTimeToIso(String(refund.modified ?? refund.created)),
    buyerId: topText(refund.buyer_open_uid) ?? "taobao-buyer",
    buyerNick: (topText(refund.buyer_nick) ?? "").slice(0, 64),
  };
}

/** dispute_type → our kinds; 补寄 (RESHIPPING) is an exchange as on Douyin; without it, has_good_return decides. */
export function getTaobaoKind(detail: Pick<TaobaoRefundDetail, "disputeType" | "hasGoodReturn">): RequestKind {
  const kinds: Record<string, RequestKind> = {
    REFUND: "refund_only",
    REFUND_AND_RETURN: "return_refund",
    TMALL_EXCHANGE: "exchange",
    TAOBAO_EXCHANGE: "exchange",
    RESHIPPING: "exchange",
    REPAIR: "repair",
  };
  return (detail.disputeType && kinds[detail.disputeType]) || (detail.hasGoodReturn ? "return_refund" : "refund_only");
}

const closedStatuses = new Set(["CLOSED", "SUCCESS"]);

/** Shown for the category when the order API could not be read (the fact is then listed unknown, so no rule reads it). */
export const unknownCategoryText = "类目未知";

/** OrderFacts → our order fields: an unknown fact is left out and listed in unknownFacts (lib/webhook/events.ts). */
export function toWebhookOrderFacts(facts: OrderFacts | null): Pick<WebhookOrder, "category" | "completedAt" | "receivedAt" | "shippedAt" | "priorRefund" | "unknownFacts" | "subOrderId"> {
  if (!facts) return { category: unknownCategoryText, unknownFacts: ["shipped", "received", "completed", "category", "prior_refund"] };
  const unknown = new Set(facts.unknown);
  return {
    category: unknown.has("category") ? unknownCategoryText : facts.category.slice(0, 200),
    ...(unknown.has("shipped") ? {} : { shippedAt: facts.shippedAt }),
    ...(unknown.has("received") ? {} : { receivedAt: facts.receivedAt }),
    ...(unknown.has("completed") ? {} : { completedAt: facts.completedAt }),
    ...toWebhookPriorRefund(facts),
    ...(facts.unknown.length > 0 ? { unknownFacts: [...facts.unknown] } : {}),
    ...(facts.subOrderId ? { subOrderId: facts.subOrderId } : {}),
  };
}

export type TaobaoMapOptions = {
  /** From taobao.trade.fullinfo.get (taobao-orders.ts); null when it could not be read: every fact unknown. */
  facts: OrderFacts | null;
  /** When the facts were read (the order snapshot's time, so a later read replaces an earlier one). */
  factsReadAt?: Date;
  /** The trade's `modified`, so the same facts after a change of the trade make a new snapshot. */
  tradeModified?: string | null;
};

/** One TMC message + the refund detail fetched for it (+ the order's facts) → our events and the native state. */
export function mapTaobaoMessage(message: TmcMessage, detail: TaobaoRefundDetail, options: TaobaoMapOptions): MappedMessage {
  const kind = getTaobaoKind(detail);
  const native: NativeRefund = {
    protocol: "taobao_tmc",
    refundId: detail.refundId,
    orderId: detail.tid,
    status: detail.status,
    platformType: detail.disputeType ?? (detail.hasGoodReturn ? "REFUND_AND_RETURN" : "REFUND"),
    kind,
    version: detail.refundVersion,
    ...(detail.refundPhase ? { refundPhase: detail.refundPhase } : {}),
    amountFen: detail.refundFeeFen,
    intervention: message.topic === "taobao_refund_TaobaoIntervened" ? "intervened" : message.topic === "taobao_refund_TaobaoInterApplied" ? "applied" : null,
  };
  const key = (suffix: string) => platformEventId("tb", detail.refundId, detail.status, detail.refundVersion, suffix);
  const reasonCode = mapTaobaoReason(detail.reason);
  const reasonText = detail.desc ? detail.desc.slice(0, 2000) : undefined;
  const order: WebhookOrder = {
    orderId: detail.tid,
    title: (options.facts?.title ?? detail.title).slice(0, 200) || detail.title,
    amountFen: detail.orderFeeFen ?? detail.refundFeeFen,
    supportedKinds: [...new Set(["refund_only", "return_refund", kind] as const)].filter((value) => value !== "entry_reopen") as WebhookOrder["supportedKinds"],
    ...toWebhookOrderFacts(options.facts),
    ...(options.facts?.subOrderId ? {} : detail.oid ? { subOrderId: detail.oid } : {}),
  };
  const events: WebhookEvent[] = [
    // Every message may be the first we see (TMC does not promise order): the detail always rebuilds the create
    {
      id: platformEventId("tb", detail.refundId, "created"),
      type: "request.created",
      occurredAt: detail.created,
      data: {
        requestId: detail.refundId,
        kind,
        order,
        buyer: { id: detail.buyerId.replace(/[^A-Za-z0-9_.:-]/g, "-").slice(0, 64), nick: detail.buyerNick },
        reasonCode,
        ...(reasonText ? { reasonText } : {}),
        evidence: [],
        amountFen: detail.refundFeeFen,
        ...(detail.remindTimeout ? { platformDeadline: detail.remindTimeout } : {}),
      },
    },
  ];
  // The create above is stored once (first message wins); a later read of the order's facts replaces the snapshot
  if (options.facts && options.factsReadAt) {
    const digest = createHash("sha256").update(JSON.stringify([order, options.tradeModified ?? null])).digest("hex").slice(0, 24);
    events.push({ id: platformEventId("tb", detail.tid, "order", digest), type: "order.upserted", occurredAt: options.factsReadAt.toISOString(), data: { order } });
  }
  if (detail.modified !== detail.created) {
    events.push({ id: key("updated"), type: "request.updated", occurredAt: detail.modified, data: { requestId: detail.refundId, kind, amountFen: detail.refundFeeFen, reasonCode, ...(reasonText ? { reasonText } : {}) } });
  }
  if (detail.remindTimeout) {
    events.push({ id: key("deadline"), type: "deadline.changed", occurredAt: detail.modified, data: { requestId: detail.refundId, platformDeadline: detail.remindTimeout } });
  }
  // Closed or succeeded on the platform (refund.get says so, whichever topic told us): the open card leaves the inbox
  if (closedStatuses.has(detail.status)) events.push({ id: key("closed"), type: "request.cancelled", occurredAt: detail.modified, data: { requestId: detail.refundId } });
  return { events, native };
}
