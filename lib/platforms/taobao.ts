import { createHash } from "node:crypto";
import type { RequestKind } from "@/lib/domain";
import {
  PlatformMessageError,
  chinaTimeToIso,
  isoToChinaTime,
  parseJsonLossless,
  platformEventId,
  toIdString,
  yuanToFen,
} from "@/lib/platforms/common";
import { mapTaobaoReason } from "@/lib/platforms/reasons";
import type {
  AnswerAction,
  AnswerDraft,
  AnswerOutcome,
  AnswerProblem,
  AnswerTable,
  MappedMessage,
  NativeRefund,
  NotOfferedReason,
  OrderFacts,
  OutboundDecision,
  PlatformCall,
  PlatformRejectReason,
  TokenGrant,
} from "@/lib/platforms/types";
import type { WebhookEvent, WebhookOrder } from "@/lib/webhook/events";

// Taobao/Tmall TMC and the TOP API (docs/platforms/taobao.md): TMC message parsing, the TOP md5 sign and router
// calls, refund.get → our events, the answer table, answer parameters and how TOP's answers are classified.

/** CONNECT sign = UPPER(HEX(MD5(secret + "app_key"+key + "group_name"+group + "timestamp"+ms + secret))). */
export function signTmcConnect(appKey: string, appSecret: string, groupName: string, timestampMs: number): string {
  return createHash("md5").update(`${appSecret}app_key${appKey}group_name${groupName}timestamp${timestampMs}${appSecret}`).digest("hex").toUpperCase();
}

/** TOP md5 sign: UPPER(HEX(MD5(secret + sorted key+value pairs + secret))); file parameters are not signed. */
export function signTop(params: Record<string, string>, appSecret: string): string {
  const pairs = Object.keys(params)
    .sort()
    .map((key) => `${key}${params[key]}`)
    .join("");
  return createHash("md5").update(`${appSecret}${pairs}${appSecret}`, "utf8").digest("hex").toUpperCase();
}

export type TopConfig = { baseUrl: string; appKey: string; appSecret: string; session: string | null };
export type TopFile = { field: string; name: string; mimeType: string; bytes: Uint8Array };

/** A signed POST to the TOP router; with a file it is multipart (the file outside the sign), else a form. */
export function buildTopCall(config: TopConfig, method: string, params: Record<string, string>, now: Date, file?: TopFile): PlatformCall {
  const system: Record<string, string> = {
    method,
    app_key: config.appKey,
    timestamp: isoToChinaTime(now),
    format: "json",
    v: "2.0",
    sign_method: "md5",
    simplify: "false",
    ...(config.session ? { session: config.session } : {}),
  };
  const all = { ...system, ...params };
  const signed = { ...all, sign: signTop(all, config.appSecret) };
  if (!file) {
    return { method: "POST", url: config.baseUrl, apiMethod: method, headers: { "content-type": "application/x-www-form-urlencoded;charset=utf-8" }, body: new URLSearchParams(signed).toString() };
  }
  const boundary = `----shouhoutai${createHash("md5").update(file.bytes).digest("hex")}`;
  const parts: Buffer[] = Object.entries(signed).map(([key, value]) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${key}"\r\n\r\n${value}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.name.replace(/["\r\n]/g, "")}"\r\nContent-Type: ${file.mimeType}\r\n\r\n`));
  parts.push(Buffer.from(file.bytes), Buffer.from(`\r\n--${boundary}--\r\n`));
  return { method: "POST", url: config.baseUrl, apiMethod: method, headers: { "content-type": `multipart/form-data; boundary=${boundary}` }, body: new Uint8Array(Buffer.concat(parts)) };
}

/** TOP's error_response (code, msg, sub_code, sub_msg), kept whole so an answer can be classified by it. */
export class TopApiError extends PlatformMessageError {
  override name = "TopApiError";
  constructor(
    readonly method: string,
    readonly code: number | null,
    readonly subCode: string | null,
    readonly subMsg: string | null,
    readonly msg: string | null,
  ) {
    super(`${method}: ${subMsg ?? msg ?? "error"} (${subCode ?? code ?? "?"})`);
  }
}

/** The inner object of `{"<method without taobao.>_response": {…}}`; an error_response throws TopApiError. */
export function readTopResponse(body: unknown, method: string): Record<string, unknown> {
  const root = body as Record<string, unknown> | null;
  if (!root || typeof root !== "object") throw new PlatformMessageError(`${method}: not a TOP response`);
  const error = root.error_response as Record<string, unknown> | undefined;
  if (error && typeof error === "object") {
    const code = Number(error.code);
    throw new TopApiError(method, Number.isFinite(code) ? code : null, text(error.sub_code), text(error.sub_msg), text(error.msg));
  }
  const key = `${method.replace(/^taobao\./, "").replaceAll(".", "_")}_response`;
  const inner = root[key];
  if (!inner || typeof inner !== "object") throw new PlatformMessageError(`${method}: no ${key}`);
  return inner as Record<string, unknown>;
}

/**
 * A list field as TOP sends it with simplify=false: `{"orders":{"order":[…]}}` (the element named as in the SDK's XML
 * tags); a plain array or a lone object is accepted too.
 */
export function readTopList(value: unknown, element: string): Record<string, unknown>[] {
  if (Array.isArray(value)) return value.filter((entry) => entry && typeof entry === "object") as Record<string, unknown>[];
  if (!value || typeof value !== "object") return [];
  const inner = (value as Record<string, unknown>)[element];
  if (Array.isArray(inner)) return inner.filter((entry) => entry && typeof entry === "object") as Record<string, unknown>[];
  return inner && typeof inner === "object" ? [inner as Record<string, unknown>] : [];
}

const text = (value: unknown) => (typeof value === "string" && value ? value : null);

/** A TOP time (`yyyy-MM-dd HH:mm:ss`, China time; a bare date is midnight) as an ISO instant, null when absent. */
export function readTopTime(value: unknown, field: string): string | null {
  if (value === undefined || value === null || value === "") return null;
  if (typeof value !== "string") throw new PlatformMessageError(`${field} is not a time`);
  return chinaTimeToIso(value.length === 10 ? `${value} 00:00:00` : value);
}

// ---- messages

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
  const fee = text(refund.refund_fee);
  const orderFee = text(refund.payment) ?? text(refund.total_fee);
  if (!fee || !text(refund.status) || !text(refund.created)) throw new PlatformMessageError("taobao.refund.get: refund_fee, status or created missing");
  return {
    refundId: toIdString(refund.refund_id, "refund_id"),
    tid: toIdString(refund.tid, "tid"),
    oid: refund.oid === undefined || refund.oid === null ? null : toIdString(refund.oid, "oid"),
    title: (text(refund.title) ?? "淘宝商品").slice(0, 200),
    status: String(refund.status),
    disputeType: text(refund.dispute_type),
    refundFeeFen: yuanToFen(fee),
    orderFeeFen: orderFee ? yuanToFen(orderFee) : null,
    reason: text(refund.reason) ?? "其他",
    desc: text(refund.desc),
    hasGoodReturn: refund.has_good_return === true || refund.has_good_return === "true",
    refundPhase: text(refund.refund_phase),
    refundVersion: String(refund.refund_version ?? "0"),
    remindTimeout: timeout && timeout.exist_timeout !== false && typeof timeout.timeout === "string" ? chinaTimeToIso(timeout.timeout) : null,
    created: chinaTimeToIso(String(refund.created)),
    modified: chinaTimeToIso(String(refund.modified ?? refund.created)),
    buyerId: text(refund.buyer_open_uid) ?? "taobao-buyer",
    buyerNick: (text(refund.buyer_nick) ?? "").slice(0, 64),
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
    ...(unknown.has("prior_refund") ? {} : { priorRefund: facts.priorRefund }),
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

// ---- reject reasons

/** taobao.refund.refusereason.get's fields (bububa/opentaobao metadata/assets/json/tbrefund/taobao_refund_refusereason_get.json). */
export const taobaoRefuseReasonFields = "reason_id,reason_text,reason_tips";

/** `reasons.reason[]` → our list; on Tmall every reason needs proof (refund.refuse's refuse_proof is required there). */
export function parseTaobaoRefuseReasons(body: unknown, isTmall: boolean): PlatformRejectReason[] {
  const inner = readTopResponse(body, "taobao.refund.refusereason.get");
  return readTopList(inner.reasons, "reason").flatMap((reason) => {
    const id = reason.reason_id === undefined ? null : toIdString(reason.reason_id, "reason_id");
    const label = text(reason.reason_text);
    return id && label ? [{ id, text: label.slice(0, 200), tips: text(reason.reason_tips), isEvidenceRequired: isTmall }] : [];
  });
}

/** tmall.exchange.refusereason.get: `result.results.reason[]` (reason_id, reason_text); Tmall wants proof with each. */
export function parseTmallExchangeRefuseReasons(body: unknown): PlatformRejectReason[] {
  const result = readTopResponse(body, "tmall.exchange.refusereason.get").result as Record<string, unknown> | undefined;
  if (!result) throw new PlatformMessageError("tmall.exchange.refusereason.get: no result");
  const reasons = readTopList(result.results, "reason");
  if (reasons.length === 0 && (text(result.error_code) || text(result.exception))) {
    throw new PlatformMessageError(`tmall.exchange.refusereason.get: ${text(result.error_msg) ?? text(result.exception) ?? text(result.error_code)}`);
  }
  return reasons.flatMap((reason) => {
    const id = reason.reason_id === undefined ? null : toIdString(reason.reason_id, "reason_id");
    const label = text(reason.reason_text);
    return id && label ? [{ id, text: label.slice(0, 200), tips: null, isEvidenceRequired: true }] : [];
  });
}

/** tmall.exchange.refusereason.get's dispute_type: 1 售中, 2 售后, 0 any. */
export function getExchangeDisputeType(refundPhase: string | undefined): string {
  return refundPhase === "onsale" ? "1" : refundPhase === "aftersale" ? "2" : "0";
}

// ---- the answer table (docs/platforms/taobao.md "Answers")

export type TaobaoAnswerMethod =
  | "taobao.rp.refunds.agree"
  | "taobao.refund.refuse"
  | "taobao.rp.returngoods.agree"
  | "taobao.rp.returngoods.refuse"
  | "tmall.exchange.agree"
  | "tmall.exchange.refuse"
  | "tmall.exchange.returngoods.agree"
  | "tmall.exchange.returngoods.refuse";

const noCounterOffer = { notOffered: "counter_offer_not_offered" } as const;
const noKind = { approve: { notOffered: "no_api_for_kind" }, reject: { notOffered: "no_api_for_kind" }, counter_offer: noCounterOffer } as const;
const entryReopen = { approve: { notOffered: "entry_reopen_in_backend" }, reject: { notOffered: "entry_reopen_in_backend" }, counter_offer: noCounterOffer } as const;

/** Taobao (集市): refunds and returns only; 换货/维修 have no open API, nor does a counter-offer or re-opening the entry. */
export const taobaoAnswerTable: AnswerTable = {
  refund_only: { approve: { apis: ["taobao.rp.refunds.agree"] }, reject: { apis: ["taobao.refund.refuse"] }, counter_offer: noCounterOffer },
  return_refund: { approve: { apis: ["taobao.rp.returngoods.agree", "taobao.rp.refunds.agree"] }, reject: { apis: ["taobao.refund.refuse"] }, counter_offer: noCounterOffer },
  exchange: noKind,
  repair: noKind,
  entry_reopen: entryReopen,
};

/** Tmall adds 拒绝退货 (rp.returngoods.refuse) and the tmall.exchange.* answers for 天猫换货. */
export const tmallAnswerTable: AnswerTable = {
  ...taobaoAnswerTable,
  return_refund: { approve: { apis: ["taobao.rp.returngoods.agree", "taobao.rp.refunds.agree"] }, reject: { apis: ["taobao.refund.refuse", "taobao.rp.returngoods.refuse"] }, counter_offer: noCounterOffer },
  exchange: { approve: { apis: ["tmall.exchange.agree", "tmall.exchange.returngoods.agree"] }, reject: { apis: ["tmall.exchange.refuse", "tmall.exchange.returngoods.refuse"] }, counter_offer: noCounterOffer },
};

/** refund.refuse's refuse_proof: at most 130,000 bytes, GIF/JPG/PNG (taobao_refund_refuse.json). */
export const maxRefuseProofBytes = 130_000;
/** rp.returngoods.refuse's refuse_proof: "不能超过5M", read as 5,000,000 bytes (the smaller reading). */
export const maxReturnGoodsProofBytes = 5_000_000;
/** tmall.exchange.* leave_message_pics: no documented limit ⚑, so the strictest Taobao limit is used. */
const maxExchangeProofBytes = maxRefuseProofBytes;

export type TaobaoProofSlot = { field: "refuse_proof" | "leave_message_pics"; maxBytes: number; isRequired: boolean };

export type TaobaoAnswerRoute =
  | { ok: true; method: TaobaoAnswerMethod; proof: TaobaoProofSlot | null; needsAddress: boolean }
  | { ok: false; notOffered: NotOfferedReason };

/** Waiting for the seller's first answer; the buyer has sent the goods back (second-stage answers). Exchange states
 * as tmall.exchange.get numbers them (1 换货待处理, 3 买家已退货待收货) are accepted too. */
const firstStage = new Set(["WAIT_SELLER_AGREE", "1"]);
const returnedStage = new Set(["WAIT_SELLER_CONFIRM_GOODS", "3"]);

/** Which API answers this refund in its current state, or why none does (the cell of the answer table, refined by state). */
export function routeTaobaoAnswer(native: Pick<NativeRefund, "kind" | "status" | "platformType">, action: AnswerAction, isTmall: boolean): TaobaoAnswerRoute {
  const kind = native.kind;
  if (!kind) return { ok: false, notOffered: "no_api_for_kind" };
  const cell = (isTmall ? tmallAnswerTable : taobaoAnswerTable)[kind][action];
  if ("notOffered" in cell) return { ok: false, notOffered: cell.notOffered };
  const isFirst = firstStage.has(native.status);
  const isReturned = returnedStage.has(native.status);
  const refuseProof = (isRequired: boolean): TaobaoProofSlot => ({ field: "refuse_proof", maxBytes: maxRefuseProofBytes, isRequired });
  const exchangeProof: TaobaoProofSlot = { field: "leave_message_pics", maxBytes: maxExchangeProofBytes, isRequired: true };
  const route = (method: TaobaoAnswerMethod, proof: TaobaoProofSlot | null = null, needsAddress = false): TaobaoAnswerRoute => ({ ok: true, method, proof, needsAddress });
  switch (kind) {
    case "refund_only":
      if (!isFirst) break;
      return action === "approve" ? route("taobao.rp.refunds.agree") : route("taobao.refund.refuse", refuseProof(isTmall));
    case "return_refund":
      if (isFirst) return action === "approve" ? route("taobao.rp.returngoods.agree", null, true) : route("taobao.refund.refuse", refuseProof(isTmall));
      if (!isReturned) break;
      if (action === "approve") return route("taobao.rp.refunds.agree");
      return isTmall ? route("taobao.rp.returngoods.refuse", { field: "refuse_proof", maxBytes: maxReturnGoodsProofBytes, isRequired: true }) : route("taobao.refund.refuse", refuseProof(false));
    case "exchange":
      // Only a 天猫换货 has an API; 淘宝换货 and 补寄 (also our "exchange") do not
      if (native.platformType !== "TMALL_EXCHANGE") return { ok: false, notOffered: "no_api_for_kind" };
      if (isFirst) return action === "approve" ? route("tmall.exchange.agree", null, true) : route("tmall.exchange.refuse", exchangeProof);
      if (isReturned) return action === "approve" ? route("tmall.exchange.returngoods.agree") : route("tmall.exchange.returngoods.refuse", exchangeProof);
      break;
    default:
      return { ok: false, notOffered: "no_api_for_kind" };
  }
  return { ok: false, notOffered: "no_api_for_state" };
}

/** A seller address from taobao.logistics.address.search (the address library; contact_id is the address id). */
export type TaobaoAddress = { contactId: string; name: string; province: string; city: string; district: string; addr: string; zip: string; phone: string; mobile: string; isReturnDefault: boolean };

export function parseTaobaoAddresses(body: unknown): TaobaoAddress[] {
  const inner = readTopResponse(body, "taobao.logistics.address.search");
  return readTopList(inner.addresses, "address_result").flatMap((entry) => {
    if (entry.contact_id === undefined) return [];
    return [
      {
        contactId: toIdString(entry.contact_id, "contact_id"),
        name: text(entry.contact_name) ?? "",
        province: text(entry.province) ?? "",
        city: text(entry.city) ?? "",
        district: text(entry.country) ?? "",
        addr: text(entry.addr) ?? "",
        zip: text(entry.zip_code) ?? "",
        phone: text(entry.phone) ?? "",
        mobile: text(entry.mobile_phone) ?? "",
        isReturnDefault: entry.cancel_def === true || entry.cancel_def === "true",
      },
    ];
  });
}

/** The configured address, else the library's 默认退货地址 (cancel_def), else null. */
export function pickReturnAddress(addresses: readonly TaobaoAddress[], configuredId: string | undefined): TaobaoAddress | null {
  if (configuredId) return addresses.find((address) => address.contactId === configuredId) ?? null;
  return addresses.find((address) => address.isReturnDefault) ?? null;
}

/** What TOP counts as refuse_message's length (docs/platforms/taobao.md): code points for the minimum, UTF-16 units for the maximum. */
export function measureRefuseMessage(message: string | undefined): { chars: number; ok: boolean } {
  const trimmed = message?.trim() ?? "";
  const codePoints = [...trimmed].length;
  const units = trimmed.length;
  if (codePoints < 2) return { chars: codePoints, ok: false };
  return { chars: units, ok: units <= 200 };
}

/** Our remark when agreeing a Tmall return without a message of the agent's (remark is required on Tmall). */
export const defaultReturnRemark = "同意退货，请按售后地址寄回商品并填写物流单号。";

const exchangeFields = "dispute_id,bizorder_id,modified,status";

export type TaobaoAnswerContext = {
  isTmall: boolean;
  /** The platform reason id (the decision's reasonCode), required for every refusal. */
  reasonId: string | null;
  address: TaobaoAddress | null;
  /** When the seller address is configured and the API needs only its id. */
  addressId: string | null;
};

/** The parameters of one answer call (the proof file is attached by the caller). Throws when a required value is missing. */
export function buildTaobaoAnswerParams(method: TaobaoAnswerMethod, native: NativeRefund, decision: OutboundDecision, context: TaobaoAnswerContext): Record<string, string> {
  const { isTmall } = context;
  const phase = native.refundPhase;
  if (isTmall && !phase && method.startsWith("taobao.")) throw new PlatformMessageError(`${method}: refund_phase is required on Tmall and unknown for refund ${native.refundId}`);
  const tmallExtras: Record<string, string> = isTmall && phase ? { refund_phase: phase, refund_version: native.version } : {};
  const message = decision.message?.trim() ?? "";
  const reasonId = () => {
    if (!context.reasonId) throw new PlatformMessageError(`${method}: no platform reason id`);
    return context.reasonId;
  };
  const addressId = () => {
    const id = context.addressId ?? context.address?.contactId;
    if (!id) throw new PlatformMessageError(`${method}: no seller return address`);
    return id;
  };
  switch (method) {
    case "taobao.rp.refunds.agree": {
      const amountFen = native.amountFen ?? decision.amountFen;
      const [refundInfos] = batchRefundInfos([{ refundId: native.refundId, amountFen, version: native.version, phase: phase ?? "" }], isTmall);
      return { refund_infos: refundInfos };
    }
    case "taobao.refund.refuse":
      return { refund_id: native.refundId, refuse_message: message, refuse_reason_id: reasonId(), ...tmallExtras };
    case "taobao.rp.returngoods.agree": {
      if (isTmall) return { refund_id: native.refundId, seller_address_id: addressId(), ...tmallExtras, remark: (message || defaultReturnRemark).slice(0, 200) };
      const address = context.address;
      if (!address) throw new PlatformMessageError(`${method}: Taobao needs the return address's name, address, post and phone`);
      const full = `${address.province}${address.city}${address.district}${address.addr}`;
      return Object.fromEntries(
        Object.entries({ refund_id: native.refundId, seller_address_id: address.contactId, name: address.name, address: full, post: address.zip, tel: address.phone, mobile: address.mobile }).filter(([, value]) => value !== ""),
      );
    }
    case "taobao.rp.returngoods.refuse":
      return { refund_id: native.refundId, refund_phase: phase ?? "", refund_version: native.version, refuse_reason_id: reasonId() };
    case "tmall.exchange.agree":
      return { dispute_id: native.refundId, address_id: addressId(), fields: exchangeFields, ...(message ? { leave_message: message } : {}) };
    case "tmall.exchange.returngoods.agree":
      return { dispute_id: native.refundId, fields: exchangeFields };
    case "tmall.exchange.refuse":
      return { dispute_id: native.refundId, seller_refuse_reason_id: reasonId(), fields: exchangeFields, ...(message ? { leave_message: message } : {}) };
    case "tmall.exchange.returngoods.refuse":
      return { dispute_id: native.refundId, seller_refuse_reason_id: reasonId(), ...(message ? { leave_message: message } : {}) };
  }
}

export type RefundInfo = { refundId: string; amountFen: number; version: string; phase: string };

/** rp.refunds.agree batches: ≤20 refunds and ¥6,000 (Taobao) or ≤30 and ¥10,000 (Tmall) per call; phase only when known. */
export function batchRefundInfos(items: readonly RefundInfo[], isTmall: boolean): string[] {
  const maxCount = isTmall ? 30 : 20;
  const maxFen = isTmall ? 1_000_000 : 600_000;
  const batches: RefundInfo[][] = [];
  for (const item of items) {
    if (item.amountFen > maxFen) throw new PlatformMessageError(`Refund ${item.refundId} is over the batch limit; agree it alone in the seller backend`);
    const current = batches.at(-1);
    const total = current?.reduce((sum, entry) => sum + entry.amountFen, 0) ?? 0;
    if (current && current.length < maxCount && total + item.amountFen <= maxFen) current.push(item);
    else batches.push([item]);
  }
  return batches.map((batch) => batch.map((item) => [item.refundId, item.amountFen, item.version, ...(item.phase ? [item.phase] : [])].join("|")).join(","));
}

// ---- reading an answer

export type AnswerRefusal = Exclude<AnswerOutcome, { ok: true }>;

/** Calls-limited (4–8) and session (26, 27, 53) platform codes: retried; the token upkeep refreshes a session. */
const transientCodes = new Set([4, 5, 6, 7, 8, 10, 26, 27, 53]);
/** Remote service error (15) and missing/invalid arguments (40, 41): the request itself was refused. */
const businessCodes = new Set([15, 40, 41]);

/** An error_response: isp.* and platform-level codes are transient, isv.* and 15/40/41 are TOP's refusal. */
export function classifyTopError(error: TopApiError): AnswerRefusal {
  const subCode = error.subCode ?? "";
  const words = error.subMsg ?? error.msg ?? `TOP error ${error.code ?? "?"}`;
  if (subCode.startsWith("isp.") || /sessionkey|session-/.test(subCode)) return { ok: false, refused: false, error: `${error.method}: ${words} (${subCode})` };
  if (error.code !== null && transientCodes.has(error.code)) return { ok: false, refused: false, error: `${error.method}: ${words} (${error.code})` };
  if (subCode.startsWith("isv.") || (error.code !== null && businessCodes.has(error.code))) return { ok: false, refused: true, message: words, code: subCode || String(error.code) };
  return { ok: false, refused: false, error: `${error.method}: ${words} (${subCode || error.code})` };
}

/** null when the answer call succeeded; else TOP's refusal (with its words) or a transient failure. */
export function readTaobaoAnswer(body: unknown, method: string, refundId: string): AnswerRefusal | null {
  let inner: Record<string, unknown>;
  try {
    inner = readTopResponse(body, method);
  } catch (error) {
    if (error instanceof TopApiError) return classifyTopError(error);
    return { ok: false, refused: false, error: error instanceof Error ? error.message : String(error) };
  }
  const isTrue = (value: unknown) => value === true || value === "true";
  switch (method) {
    case "taobao.rp.refunds.agree": {
      if (inner.msg_code === "OP_SUCC") return null;
      const results = readTopList(inner.results, "refund_mapping_result");
      const ours = results.find((entry) => String(entry.refund_id ?? "") === refundId);
      if (inner.msg_code === "SOME_OP_SUCC" && ours && isTrue(ours.succ)) return null;
      const words = text(ours?.message) ?? text(inner.message) ?? "同意退款未成功";
      return { ok: false, refused: true, message: words, code: String(inner.msg_code ?? "OP_FAILURE_UE") };
    }
    case "taobao.rp.returngoods.refuse":
      return isTrue(inner.result) ? null : { ok: false, refused: true, message: "拒绝退货未成功", code: "result_false" };
    case "taobao.refund.refuse":
    case "taobao.rp.returngoods.agree":
      return isTrue(inner.is_success) ? null : { ok: false, refused: true, message: `${method} 未成功`, code: "is_success_false" };
    default: {
      // tmall.exchange.*: result{success, msg_code, message}
      const result = inner.result as Record<string, unknown> | undefined;
      if (result && isTrue(result.success)) return null;
      if (!result) return { ok: false, refused: false, error: `${method}: no result` };
      return { ok: false, refused: true, message: text(result.message) ?? `${method} 未成功`, code: text(result.msg_code) ?? "success_false" };
    }
  }
}

/** Statuses past the seller's answer: a resend of the decision is not sent again. */
export function isTaobaoAlreadyAnswered(native: NativeRefund): boolean {
  return [
    "WAIT_BUYER_RETURN_GOODS",
    "SELLER_REFUSE_BUYER",
    "CLOSED",
    "SUCCESS",
    "WAIT_SELLER_CONSIGN_GOODS",
    "WAIT_BUYER_CONFIRM_EXCHANGE_SELLER_SEND_GOODS",
    "EXCHANGE_TRANSFORM_TO_REFUND",
  ].includes(native.status);
}

/** Types the desk converts to JPEG for TOP (sharp reads them); GIF/JPG/PNG is what TOP takes after conversion. */
export const convertibleProofTypes = ["image/jpeg", "image/png", "image/gif", "image/webp", "image/avif", "image/tiff"] as const;

/** What Taobao/Tmall would refuse in this answer (docs/platforms/taobao.md "Checks before an answer"). */
export function checkTaobaoAnswer(draft: AnswerDraft, options: { isTmall: boolean }): AnswerProblem[] {
  const route = draft.native ? routeTaobaoAnswer({ ...draft.native, kind: draft.native.kind ?? draft.kind }, draft.action, options.isTmall) : null;
  if (route && !route.ok) return [{ code: "answer_not_offered", reason: route.notOffered }];
  if (draft.action !== "reject") return [];
  const problems: AnswerProblem[] = [];
  const measured = measureRefuseMessage(draft.message);
  if (!measured.ok) problems.push({ code: "message_length", min: 2, max: 200, chars: measured.chars });
  const isProofRequired = route?.ok ? route.proof?.isRequired === true : options.isTmall;
  if (isProofRequired && draft.proof.length === 0) problems.push({ code: "proof_required" });
  // Only the first proof is sent (each API takes one image); it is converted, so any type sharp reads will do
  const [first] = draft.proof;
  if (first && !(convertibleProofTypes as readonly string[]).includes(first.type.toLowerCase())) problems.push({ code: "proof_type", fileName: first.name, type: first.type });
  if (!draft.reasonCode) problems.push({ code: "reason_not_platform", reasonCode: "" });
  else if (draft.reasons && !draft.reasons.some((reason) => reason.id === draft.reasonCode)) problems.push({ code: "reason_not_platform", reasonCode: draft.reasonCode });
  return problems;
}

// ---- token

/**
 * taobao.top.auth.token.refresh's token_result (a JSON string): access_token, expires_in (s), expire_time (ms),
 * refresh_token, re_expires_in (s), refresh_token_valid_time (ms). Times in ms win over the relative seconds.
 */
export function parseTaobaoTokenRefresh(body: unknown, now: Date): TokenGrant {
  const inner = readTopResponse(body, "taobao.top.auth.token.refresh");
  let token: unknown = inner.token_result;
  if (typeof token === "string") {
    try {
      token = JSON.parse(token);
    } catch {
      throw new PlatformMessageError("taobao.top.auth.token.refresh: token_result is not JSON");
    }
  }
  if (!token || typeof token !== "object") throw new PlatformMessageError("taobao.top.auth.token.refresh: no token_result");
  const record = token as Record<string, unknown>;
  const accessToken = text(record.access_token);
  if (!accessToken) throw new PlatformMessageError("taobao.top.auth.token.refresh: no access_token");
  const number = (value: unknown) => (typeof value === "number" ? value : typeof value === "string" && /^\d+$/.test(value) ? Number(value) : null);
  const at = (ms: number | null, seconds: number | null) => (ms !== null && ms > 0 ? new Date(ms) : seconds !== null ? new Date(now.getTime() + seconds * 1000) : null);
  const accessTokenExpiresAt = at(number(record.expire_time), number(record.expires_in));
  if (!accessTokenExpiresAt) throw new PlatformMessageError("taobao.top.auth.token.refresh: no expires_in");
  return {
    accessToken,
    accessTokenExpiresAt,
    refreshToken: text(record.refresh_token),
    refreshTokenExpiresAt: at(number(record.refresh_token_valid_time), number(record.re_expires_in)),
  };
}
