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
import type { AnswerDraft, AnswerPlan, AnswerProblem, AnswerTable, MappedMessage, NativeRefund, OutboundDecision, PlatformAppSettings, PlatformCall } from "@/lib/platforms/types";
import type { WebhookEvent } from "@/lib/webhook/events";

// Taobao/Tmall TMC and TOP API (PLATFORMS.md §1; TheNorthMemory/tmc.js lib/consumer.js and types/taobao.d.ts for
// CONNECT signing and the refund topics; bububa/opentaobao metadata for refund.get, rp.refunds.agree, refund.refuse,
// rp.returngoods.agree and tmc.messages.consume/confirm).

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
  return createHash("md5").update(`${appSecret}${pairs}${appSecret}`).digest("hex").toUpperCase();
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
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.name.replace(/"/g, "")}"\r\nContent-Type: ${file.mimeType}\r\n\r\n`));
  parts.push(Buffer.from(file.bytes), Buffer.from(`\r\n--${boundary}--\r\n`));
  return { method: "POST", url: config.baseUrl, apiMethod: method, headers: { "content-type": `multipart/form-data; boundary=${boundary}` }, body: new Uint8Array(Buffer.concat(parts)) };
}

/** `{"refund_get_response":{…}}` → its inner object; `{"error_response":…}` → an error with sub_msg. */
export function readTopResponse(body: unknown, method: string): Record<string, unknown> {
  const root = body as Record<string, unknown> | null;
  if (!root || typeof root !== "object") throw new PlatformMessageError(`${method}: not a TOP response`);
  const error = root.error_response as Record<string, unknown> | undefined;
  if (error) throw new PlatformMessageError(`${method}: ${String(error.sub_msg ?? error.msg)} (${String(error.sub_code ?? error.code)})`);
  const key = `${method.replace(/^taobao\./, "").replaceAll(".", "_")}_response`;
  const inner = root[key];
  if (!inner || typeof inner !== "object") throw new PlatformMessageError(`${method}: no ${key}`);
  return inner as Record<string, unknown>;
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

/** Topics with their docIds (PLATFORMS.md §1); 124 and 125 are never sent, so they are not subscribed. */
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

/** The fields asked of taobao.refund.get. */
export const taobaoRefundFields =
  "refund_id,tid,oid,title,total_fee,payment,refund_fee,status,reason,desc,good_status,has_good_return,refund_phase,refund_version,refund_remind_timeout,dispute_type,cs_status,created,modified,buyer_nick,buyer_open_uid";

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

const text = (value: unknown) => (typeof value === "string" && value ? value : null);

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
    oid: refund.oid === undefined ? null : toIdString(refund.oid, "oid"),
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

/** One TMC message + the refund detail fetched for it → our events and the native state. */
export function mapTaobaoMessage(message: TmcMessage, detail: TaobaoRefundDetail, options: { settings: PlatformAppSettings }): MappedMessage {
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
  const events: WebhookEvent[] = [
    // Every message may be the first we see (TMC does not promise order): the detail always rebuilds the create
    {
      id: platformEventId("tb", detail.refundId, "created"),
      type: "request.created",
      occurredAt: detail.created,
      data: {
        requestId: detail.refundId,
        kind,
        order: {
          orderId: detail.tid,
          category: options.settings.defaultCategory ?? "other",
          title: detail.title,
          amountFen: detail.orderFeeFen ?? detail.refundFeeFen,
          // refund.get has no 交易成功 time; the buyer could apply, so the period was open then (README: unverified)
          completedAt: detail.created,
          supportedKinds: [...new Set(["refund_only", "return_refund", kind] as const)].filter((value) => value !== "entry_reopen") as ("refund_only" | "return_refund" | "exchange" | "repair")[],
          priorRefund: "none",
        },
        buyer: { id: detail.buyerId.replace(/[^A-Za-z0-9_.:-]/g, "-").slice(0, 64), nick: detail.buyerNick },
        reasonCode,
        ...(reasonText ? { reasonText } : {}),
        evidence: [],
        amountFen: detail.refundFeeFen,
        ...(detail.remindTimeout ? { platformDeadline: detail.remindTimeout } : {}),
      },
    },
  ];
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

// ---- answers

export type RefundInfo = { refundId: string; amountFen: number; version: string; phase: string };

/** rp.refunds.agree batches: ≤20 refunds and ¥6,000 (Taobao) or ≤30 and ¥10,000 (Tmall) per call. */
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
  return batches.map((batch) => batch.map((item) => `${item.refundId}|${item.amountFen}|${item.version}|${item.phase}`).join(","));
}

/** refuse_message is 2–200 characters (counted as the platform counts: UTF-16 code units ⚑). */
export function checkRefuseMessage(message: string | undefined): string | null {
  const length = message?.trim().length ?? 0;
  return length >= 2 && length <= 200 ? null : `refuse_message must be 2–200 characters (got ${length})`;
}

export const maxRefuseProofBytes = 130_000;

/** ⚑ Our reject reasons → refuse_reason_id; a real shop reads taobao.refund.refusereason.get and overrides these. */
export const defaultTaobaoRefuseReasonIds: Record<string, string> = {
  goods_intact_used: "101",
  no_quality_issue: "102",
  past_period: "103",
  buyer_agreed_other: "104",
  not_received_return: "105",
  amount_wrong: "106",
  other: "199",
};

export function planTaobaoAnswer(
  config: TopConfig,
  native: NativeRefund,
  decision: OutboundDecision,
  settings: PlatformAppSettings,
  now: Date,
  proof?: TopFile,
): AnswerPlan {
  const isTmall = settings.isTmall === true;
  const phase = native.refundPhase ?? "aftersale";
  const tmallExtras = { refund_phase: phase, refund_version: native.version };
  if (decision.decision === "approve") {
    if (native.kind === "return_refund" && native.status === "WAIT_SELLER_AGREE") {
      if (!settings.returnAddressId) return { ok: false, error: "Agreeing a return needs the shop's seller_address_id" };
      return { ok: true, calls: [buildTopCall(config, "taobao.rp.returngoods.agree", { refund_id: native.refundId, seller_address_id: settings.returnAddressId, ...(isTmall ? tmallExtras : {}) }, now)] };
    }
    const [refundInfos] = batchRefundInfos([{ refundId: native.refundId, amountFen: native.amountFen ?? decision.amountFen, version: native.version, phase }], isTmall);
    return { ok: true, calls: [buildTopCall(config, "taobao.rp.refunds.agree", { refund_infos: refundInfos }, now)] };
  }
  const messageProblem = checkRefuseMessage(decision.message);
  if (messageProblem) return { ok: false, error: messageProblem };
  const reasonId = decision.reasonCode ? ({ ...defaultTaobaoRefuseReasonIds, ...settings.rejectReasonIds })[decision.reasonCode] : undefined;
  if (!reasonId) return { ok: false, error: `No refuse_reason_id for reason "${decision.reasonCode ?? ""}"` };
  if (isTmall && !proof) return { ok: false, error: "Tmall requires a refuse_proof image" };
  if (proof && proof.bytes.byteLength > maxRefuseProofBytes) return { ok: false, error: `refuse_proof is ${proof.bytes.byteLength} bytes; the limit is ${maxRefuseProofBytes}` };
  const params = { refund_id: native.refundId, refuse_message: decision.message!.trim(), refuse_reason_id: reasonId, ...(isTmall ? tmallExtras : {}) };
  return { ok: true, calls: [buildTopCall(config, "taobao.refund.refuse", params, now, proof ? { ...proof, field: "refuse_proof" } : undefined)] };
}

/** OP_SUCC for agree; is_success for refuse and returngoods.agree. */
export function isTaobaoAnswerSuccess(body: unknown, method: string): boolean {
  try {
    const inner = readTopResponse(body, method);
    if (method === "taobao.rp.refunds.agree") return inner.msg_code === "OP_SUCC";
    return inner.is_success === true || inner.is_success === "true" || (inner.refund_refuse_result as { is_success?: unknown } | undefined)?.is_success === true;
  } catch {
    return false;
  }
}

/** Statuses past the seller's first answer: a resend of the decision is not sent again. */
export function isTaobaoAlreadyAnswered(native: NativeRefund): boolean {
  return ["WAIT_BUYER_RETURN_GOODS", "SELLER_REFUSE_BUYER", "CLOSED", "SUCCESS"].includes(native.status);
}

// ---- the answer table (docs/platforms/answer-table.md)

const noCounterOffer = { notOffered: "counter_offer_not_offered" } as const;
const noKind = { approve: { notOffered: "no_api_for_kind" }, reject: { notOffered: "no_api_for_kind" }, counter_offer: noCounterOffer } as const;
const entryReopen = { approve: { notOffered: "entry_reopen_in_backend" }, reject: { notOffered: "entry_reopen_in_backend" }, counter_offer: noCounterOffer } as const;

export const taobaoAnswerTable: AnswerTable = {
  refund_only: { approve: { apis: ["taobao.rp.refunds.agree"] }, reject: { apis: ["taobao.refund.refuse"] }, counter_offer: noCounterOffer },
  return_refund: { approve: { apis: ["taobao.rp.returngoods.agree", "taobao.rp.refunds.agree"] }, reject: { apis: ["taobao.refund.refuse"] }, counter_offer: noCounterOffer },
  exchange: noKind,
  repair: noKind,
  entry_reopen: entryReopen,
};

export const tmallAnswerTable: AnswerTable = {
  ...taobaoAnswerTable,
  return_refund: { ...taobaoAnswerTable.return_refund, reject: { apis: ["taobao.refund.refuse", "taobao.rp.returngoods.refuse"] } },
  exchange: { approve: { apis: ["tmall.exchange.agree", "tmall.exchange.returngoods.agree"] }, reject: { apis: ["tmall.exchange.refuse", "tmall.exchange.returngoods.refuse"] }, counter_offer: noCounterOffer },
};

/** What Taobao/Tmall would refuse in this answer: refuse_message 2–200 characters, Tmall's proof, the platform's reason id. */
export function checkTaobaoAnswer(draft: AnswerDraft, options: { isTmall: boolean }): AnswerProblem[] {
  if (draft.action !== "reject") return [];
  const problems: AnswerProblem[] = [];
  const chars = draft.message.trim().length;
  if (chars < 2 || chars > 200) problems.push({ code: "message_length", min: 2, max: 200, chars });
  if (options.isTmall && draft.proof.length === 0) problems.push({ code: "proof_required" });
  if (draft.reasons && draft.reasonCode && !draft.reasons.some((reason) => reason.id === draft.reasonCode)) problems.push({ code: "reason_not_platform", reasonCode: draft.reasonCode });
  return problems;
}
