import { createHash, createHmac } from "node:crypto";
import type { RequestKind } from "@/lib/domain";
import { douyinReasons } from "@/lib/platforms/reasons";
import {
  PlatformMessageError,
  digestsEqual,
  parseJsonLossless,
  platformEventId,
  rfc3339ToIso,
  toIdString,
  unixSecondsToIso,
} from "@/lib/platforms/common";
import type { AnswerDraft, AnswerProblem, AnswerTable, AnswerPlan, MappedMessage, NativeRefund, OutboundDecision, PlatformAppSettings, PlatformCall } from "@/lib/platforms/types";
import type { WebhookEvent, WebhookOrder } from "@/lib/webhook/events";

// Douyin 抖店 message push and open API (PLATFORMS.md §2; zsmhub/doudian-sdk message/*.go and
// api/afterSale_Detail/response/afterSale_Detail_response.go; core/doudian_op_api_client.go for API signing).

export const douyinHeaders = { appId: "app-id", sign: "event-sign" } as const;
export const douyinPushOk = { code: 0, msg: "success" } as const;
export const douyinPushFail = { code: 1, msg: "fail" } as const;

/** event-sign = lowercase hex MD5(app_key + raw body + app_secret). */
export function signDouyinPush(appKey: string, rawBody: string, appSecret: string): string {
  return createHash("md5").update(appKey).update(rawBody).update(appSecret).digest("hex");
}

export function verifyDouyinPush(appKey: string, appSecret: string, rawBody: string, sign: string): boolean {
  return digestsEqual(signDouyinPush(appKey, rawBody, appSecret), sign.trim().toLowerCase());
}

export type DouyinPushMessage = { tag: number; msgId: string; data: Record<string, unknown> };

function asRecord(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new PlatformMessageError(`${field} is not an object`);
  return value as Record<string, unknown>;
}

function asInt(value: unknown, field: string): number {
  const number = typeof value === "string" && /^-?\d+$/.test(value) ? Number(value) : value;
  if (typeof number !== "number" || !Number.isSafeInteger(number)) throw new PlatformMessageError(`${field} is not an integer`);
  return number;
}

function optionalInt(value: unknown, field: string): number | null {
  return value === undefined || value === null ? null : asInt(value, field);
}

/** The push body: a JSON array of {tag, msg_id, data: JSON string}; [6] alone spells msgId and sends data as an object. */
export function parseDouyinPush(rawBody: string): DouyinPushMessage[] {
  let body: unknown;
  try {
    body = parseJsonLossless(rawBody);
  } catch {
    throw new PlatformMessageError("The push body is not JSON");
  }
  if (!Array.isArray(body)) throw new PlatformMessageError("The push body is not a JSON array");
  return body.map((entry, index) => {
    const item = asRecord(entry, `[${index}]`);
    const tag = asInt(item.tag, `[${index}].tag`);
    const msgId = toIdString(item.msg_id ?? item.msgId, `[${index}].msg_id`);
    let data: unknown = item.data;
    if (typeof data === "string") {
      try {
        data = parseJsonLossless(data);
      } catch {
        throw new PlatformMessageError(`[${index}].data is not a JSON string`);
      }
    }
    return { tag, msgId, data: asRecord(data, `[${index}].data`) };
  });
}

/** Tags 200–218 (doudian_refund_*), PLATFORMS.md §2; 210 is not an after-sales message. */
export const douyinTags = {
  200: "RefundCreated",
  201: "RefundAgreed",
  202: "ReturnApplyAgreed",
  203: "BuyerReturnGoods",
  204: "RefundRefused",
  205: "ReturnApplyRefused",
  206: "RefundSuccess",
  207: "RefundClosed",
  208: "RefundModified",
  209: "ExpirationChange",
  211: "ExchangeComfirmed",
  212: "ArbitrateApplied",
  213: "ArbitrateSubmiting",
  214: "ArbitrateSubmited",
  215: "ArbitrateCancelled",
  216: "ArbitrateAudited",
  217: "ArbitrateServiceIntervene",
  218: "ArbitrateDiscussUpload",
} as const;

const eventTimeField: Partial<Record<number, string>> = {
  200: "apply_time",
  201: "agree_time",
  202: "agree_time",
  203: "return_time",
  204: "refuse_time",
  205: "refuse_time",
  206: "success_time",
  207: "close_time",
  208: "modify_time",
};

/** arbitrate_status (PLATFORMS.md §2 [4]); 0 and 255 mean no intervention is under way. */
export const douyinArbitrateStatuses: Record<number, string> = {
  0: "none",
  1: "cs_handling",
  2: "ruled_for_buyer",
  3: "ruled_for_seller",
  4: "awaiting_seller_evidence",
  5: "awaiting_negotiation",
  6: "ended",
  255: "cancelled",
};

/**
 * aftersale_type → our kinds. 补寄 (7) becomes an exchange: in both the seller ships goods again and no money
 * goes back, which is what the desk's exchange card means; the native type stays 7 so the answer knows.
 * 4/5 (system/user cancelled) and 6 (价保) are not requests a seller decides, so they make no card.
 */
export function getDouyinKind(aftersaleType: number): RequestKind | null {
  const kinds: Partial<Record<number, RequestKind>> = { 0: "return_refund", 1: "refund_only", 2: "refund_only", 3: "exchange", 7: "exchange", 8: "repair" };
  return kinds[aftersaleType] ?? null;
}

export function isDouyinRefundTag(tag: number): boolean {
  return tag in douyinTags;
}

/** Created and modified messages carry no reason text, evidence or order: the detail completes them. */
export function needsDouyinDetail(message: DouyinPushMessage): boolean {
  return message.tag === 200 || message.tag === 208;
}

export function getDouyinAftersaleId(message: DouyinPushMessage): string {
  return toIdString(message.data.aftersale_id, "data.aftersale_id");
}

export function getDouyinShopId(message: DouyinPushMessage): string {
  return toIdString(message.data.shop_id, "data.shop_id");
}

/** The parts of /afterSale/Detail we read (data.process_info.after_sale_info, arbitrate_info, data.order_info). */
export type DouyinDetail = {
  reason: string | null;
  reasonRemark: string | null;
  evidence: string[];
  statusDeadline: string | null;
  orderId: string | null;
  skuOrders: { skuOrderId: string; productName: string; payAmountFen: number }[];
};

export function parseDouyinDetail(response: unknown): DouyinDetail {
  const body = asRecord(response, "detail");
  if (body.code !== undefined && asInt(body.code, "code") !== 10000) throw new PlatformMessageError(`afterSale/Detail failed: ${String(body.msg ?? body.sub_msg)}`);
  const data = asRecord(body.data, "data");
  const process = asRecord(data.process_info, "data.process_info");
  const info = asRecord(process.after_sale_info, "data.process_info.after_sale_info");
  const order = data.order_info ? asRecord(data.order_info, "data.order_info") : {};
  const deadline = optionalInt(info.status_deadline, "status_deadline");
  const skuOrders = Array.isArray(order.sku_order_infos) ? order.sku_order_infos : [];
  return {
    reason: typeof info.reason === "string" && info.reason ? info.reason : null,
    reasonRemark: typeof info.reason_remark === "string" && info.reason_remark ? info.reason_remark : null,
    evidence: Array.isArray(info.evidence) ? info.evidence.filter((url): url is string => typeof url === "string" && /^https?:\/\//.test(url)) : [],
    statusDeadline: deadline && deadline > 0 ? unixSecondsToIso(deadline, "status_deadline") : null,
    orderId: order.shop_order_id === undefined ? null : toIdString(order.shop_order_id, "shop_order_id"),
    skuOrders: skuOrders.map((entry, index) => {
      const sku = asRecord(entry, `sku_order_infos[${index}]`);
      return {
        skuOrderId: toIdString(sku.sku_order_id, "sku_order_id"),
        productName: typeof sku.product_name === "string" && sku.product_name ? sku.product_name.slice(0, 200) : "抖店商品",
        payAmountFen: asInt(sku.pay_amount ?? 0, "pay_amount"),
      };
    }),
  };
}

function getReason(reasonCode: number | null, detail: DouyinDetail | null): { reasonCode: string; noReason: boolean } {
  const known = reasonCode === null ? undefined : douyinReasons[reasonCode];
  const code = known?.code ?? detail?.reason ?? (reasonCode === null ? "other" : `douyin_reason_${reasonCode}`);
  return { reasonCode: code.slice(0, 200), noReason: known?.noReason ?? false };
}

/** The native version is update_time; a message without it (209, some arbitration) only versions its event id. */
function getVersion(message: DouyinPushMessage): { version: string | null; eventKey: string; updateTime?: string } {
  const { data } = message;
  if (typeof data.update_time === "string") {
    const version = String(Date.parse(rfc3339ToIso(data.update_time, "data.update_time")) / 1000);
    return { version, eventKey: version, updateTime: data.update_time };
  }
  const timeField = eventTimeField[message.tag];
  const time = timeField ? optionalInt(data[timeField], `data.${timeField}`) : null;
  const deadline = optionalInt(data.status_deadline, "data.status_deadline");
  const arbitrate = optionalInt(data.arbitrate_status, "data.arbitrate_status");
  return { version: null, eventKey: String(time ?? deadline ?? `arb${arbitrate ?? 0}`) };
}

/**
 * One push message (+ the detail when needsDouyinDetail) → our events and the refund's native state.
 * `receivedAt` dates only messages that carry no time of their own (209, arbitration).
 */
export function mapDouyinMessage(
  message: DouyinPushMessage,
  detail: DouyinDetail | null,
  options: { receivedAt: Date; settings: PlatformAppSettings },
): MappedMessage {
  const { tag, data } = message;
  if (!isDouyinRefundTag(tag)) return { events: [], native: null, note: `tag ${tag} is not an after-sales message` };
  const requestId = getDouyinAftersaleId(message);
  const status = optionalInt(data.aftersale_status, "data.aftersale_status");
  const aftersaleType = optionalInt(data.aftersale_type, "data.aftersale_type");
  const kind = aftersaleType === null ? null : getDouyinKind(aftersaleType);
  const { version, eventKey, updateTime } = getVersion(message);
  const timeField = eventTimeField[tag];
  const ownTime = timeField ? optionalInt(data[timeField], `data.${timeField}`) : null;
  const occurredAt = ownTime
    ? unixSecondsToIso(ownTime, `data.${timeField}`)
    : typeof data.update_time === "string"
      ? rfc3339ToIso(data.update_time, "data.update_time")
      : options.receivedAt.toISOString();
  const arbitrateStatus = optionalInt(data.arbitrate_status, "data.arbitrate_status");
  const amountFen = optionalInt(data.refund_amount, "data.refund_amount");
  const native: NativeRefund = {
    protocol: "douyin_push",
    refundId: requestId,
    orderId: data.p_id === undefined ? null : toIdString(data.p_id, "data.p_id"),
    status: status === null ? "" : String(status),
    platformType: aftersaleType === null ? "" : String(aftersaleType),
    kind,
    version: version ?? "",
    ...(version === null ? { isPartial: true } : {}),
    ...(updateTime ? { updateTime } : {}),
    ...(amountFen === null ? {} : { amountFen }),
    intervention: tag >= 212 && arbitrateStatus !== null ? (douyinArbitrateStatuses[arbitrateStatus] ?? String(arbitrateStatus)) : null,
  };
  if (aftersaleType !== null && kind === null) return { events: [], native: null, note: `aftersale_type ${aftersaleType} is not a request the seller decides` };
  const id = platformEventId("dy", requestId, status ?? "x", tag, eventKey);
  const reasonCode = optionalInt(data.reason_code, "data.reason_code");

  if (tag === 200) {
    if (!detail) throw new PlatformMessageError("RefundCreated needs the after-sales detail");
    if (kind === null || amountFen === null) throw new PlatformMessageError("RefundCreated lacks aftersale_type or refund_amount");
    const skuOrderId = data.s_id === undefined ? null : toIdString(data.s_id, "data.s_id");
    const sku = detail.skuOrders.find((candidate) => candidate.skuOrderId === skuOrderId) ?? detail.skuOrders[0];
    const order: WebhookOrder = {
      orderId: native.orderId ?? detail.orderId ?? requestId,
      category: options.settings.defaultCategory ?? "other",
      title: sku?.productName ?? "抖店商品",
      amountFen: sku?.payAmountFen ?? amountFen,
      // The detail has no 交易成功 time; the buyer could apply, so the period was open then (README: unverified)
      completedAt: occurredAt,
      supportedKinds: [...new Set(["refund_only", "return_refund", kind === "entry_reopen" ? "refund_only" : kind] as const)],
      priorRefund: "none",
    };
    const reason = getReason(reasonCode, detail);
    const event: WebhookEvent = {
      id,
      type: "request.created",
      occurredAt,
      data: {
        requestId,
        kind,
        order,
        buyer: { id: `dy-${order.orderId}`, nick: "" },
        reasonCode: reason.reasonCode,
        ...(detail.reasonRemark || detail.reason ? { reasonText: (detail.reasonRemark ?? detail.reason ?? "").slice(0, 2000) } : {}),
        evidence: detail.evidence.slice(0, 50),
        amountFen,
        ...(detail.statusDeadline ? { platformDeadline: detail.statusDeadline } : {}),
      },
    };
    return { events: [event], native };
  }
  if (tag === 208) {
    const reason = getReason(reasonCode, detail);
    const event: WebhookEvent = {
      id,
      type: "request.updated",
      occurredAt,
      data: {
        requestId,
        ...(kind && kind !== "entry_reopen" ? { kind } : {}),
        ...(amountFen === null ? {} : { amountFen }),
        reasonCode: reason.reasonCode,
        ...(detail?.reasonRemark ? { reasonText: detail.reasonRemark.slice(0, 2000) } : {}),
        ...(detail ? { evidence: detail.evidence.slice(0, 50) } : {}),
      },
    };
    return { events: [event], native };
  }
  if (tag === 209) {
    const deadline = optionalInt(data.status_deadline, "data.status_deadline");
    if (!deadline) throw new PlatformMessageError("ExpirationChange lacks status_deadline");
    return { events: [{ id, type: "deadline.changed", occurredAt, data: { requestId, platformDeadline: unixSecondsToIso(deadline, "status_deadline") } }], native };
  }
  // Success or closed on the platform while the card is open: it leaves the inbox (a decided card stays decided)
  if (tag === 206 || tag === 207) return { events: [{ id, type: "request.cancelled", occurredAt, data: { requestId } }], native };
  // Agreed/refused/returned/exchange confirmed echo a decision or a later stage; arbitration is native state only
  return { events: [], native, note: `${douyinTags[tag as keyof typeof douyinTags]}: native state only` };
}

// ---- open API (detail fetch and /afterSale/operate)

export type DouyinApiConfig = { baseUrl: string; appKey: string; appSecret: string; accessToken: string | null };

/** Go's json.Marshal of a map: keys sorted at every level, no HTML escaping (the sign covers this exact text). */
export function marshalDouyinParams(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(marshalDouyinParams).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, item]) => item !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${marshalDouyinParams(item)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** sign = hex HMAC-SHA256(secret, secret + "app_key"…"method"…"param_json"…"timestamp"…"v2" + secret). */
export function signDouyinApi(appKey: string, appSecret: string, method: string, timestampS: number, paramJson: string): string {
  const pattern = `${appSecret}app_key${appKey}method${method}param_json${paramJson}timestamp${timestampS}v2${appSecret}`;
  return createHmac("sha256", appSecret).update(pattern).digest("hex");
}

/** A signed call to `/afterSale/Detail`, `/afterSale/operate`, … (path → method "afterSale.operate"). */
export function buildDouyinApiCall(config: DouyinApiConfig, path: string, params: unknown, timestampS: number): PlatformCall {
  const method = path.replace(/^\//, "").replaceAll("/", ".");
  const paramJson = marshalDouyinParams(params);
  const query = new URLSearchParams({
    app_key: config.appKey,
    method,
    timestamp: String(timestampS),
    v: "2",
    sign_method: "hmac-sha256",
    sign: signDouyinApi(config.appKey, config.appSecret, method, timestampS, paramJson),
    ...(config.accessToken ? { access_token: config.accessToken } : {}),
  });
  return { method: "POST", url: `${config.baseUrl.replace(/\/$/, "")}${path}?${query}`, headers: { "content-type": "application/json" }, body: paramJson };
}

/** The open API answers {code: 10000, msg: "success"} (x-open-no-old-err-code) or an error code with sub_msg. */
export function isDouyinApiSuccess(body: unknown): boolean {
  return typeof body === "object" && body !== null && (body as { code?: unknown }).code === 10000;
}

/** ⚑ Our reject reasons → Douyin reject_reason_code; a real app reads /afterSale/rejectReasonCodeList and overrides these per shop. */
export const defaultDouyinRejectReasonIds: Record<string, string> = {
  goods_intact_used: "1",
  no_quality_issue: "2",
  past_period: "3",
  buyer_agreed_other: "4",
  not_received_return: "5",
  amount_wrong: "6",
  fresh_no_return: "7",
  other: "8",
};

/**
 * The /afterSale/operate type code (guide [8]) for our decision on the refund's current native state.
 * 补寄 (7) and 维修 (8) have no public code, so they are answered in the 抖店 backend instead.
 */
export function getDouyinOperateType(native: NativeRefund, decision: OutboundDecision["decision"]): { ok: true; type: number } | { ok: false; error: string } {
  const type = Number(native.platformType);
  const status = Number(native.status);
  const approve = decision === "approve";
  if (type === 0 && status === 6) return { ok: true, type: approve ? 101 : 102 };
  if (type === 0 && status === 11) return { ok: true, type: approve ? 111 : 112 };
  if (type === 1 && status === 6) return { ok: true, type: approve ? 201 : 202 };
  if (type === 2 && status === 6) {
    return approve ? { ok: true, type: 401 } : { ok: false, error: "A pre-shipment refund cannot be refused on Douyin: ship the order instead" };
  }
  if (type === 3 && status === 6) return { ok: true, type: approve ? 301 : 302 };
  if (type === 3 && status === 11 && !approve) return { ok: true, type: 312 };
  if (type === 7 || type === 8) return { ok: false, error: `Douyin has no public operate code for aftersale_type ${type} (补寄/维修): answer it in the 抖店 backend` };
  return { ok: false, error: `No operate code for aftersale_type ${type} in aftersale_status ${status}` };
}

/** The items of one /afterSale/operate call for one decision. */
export function buildDouyinOperateParams(native: NativeRefund, decision: OutboundDecision, settings: PlatformAppSettings): { ok: true; params: unknown } | { ok: false; error: string } {
  const operate = getDouyinOperateType(native, decision.decision);
  if (!operate.ok) return operate;
  const item: Record<string, unknown> = { aftersale_id: native.refundId, ...(native.updateTime ? { update_time: native.updateTime } : {}) };
  if (operate.type === 101) {
    if (!settings.returnAddressId) return { ok: false, error: "Agreeing a return needs the shop's return address id (receiver_address_id)" };
    item.logistics = { receiver_address_id: settings.returnAddressId };
  }
  if (decision.decision === "reject") {
    const reasonId = decision.reasonCode ? ({ ...defaultDouyinRejectReasonIds, ...settings.rejectReasonIds })[decision.reasonCode] : undefined;
    if (!reasonId) return { ok: false, error: `No Douyin reject_reason_code for reason "${decision.reasonCode ?? ""}"` };
    if (!decision.message) return { ok: false, error: "A Douyin rejection needs a remark" };
    item.reject_reason_code = Number(reasonId);
    item.reason = decision.reasonCode;
    item.remark = decision.message;
  }
  return { ok: true, params: { type: operate.type, items: [item] } };
}

export function planDouyinAnswer(config: DouyinApiConfig, native: NativeRefund, decision: OutboundDecision, settings: PlatformAppSettings, timestampS: number): AnswerPlan {
  const params = buildDouyinOperateParams(native, decision, settings);
  if (!params.ok) return params;
  return { ok: true, calls: [buildDouyinApiCall(config, "/afterSale/operate", params.params, timestampS)] };
}

/** Statuses after the seller's first answer: the decision is already on the platform, so a resend is skipped. */
export function isDouyinAlreadyAnswered(native: NativeRefund): boolean {
  return ["7", "8", "12", "13", "14", "27", "28", "29"].includes(native.status);
}

// ---- the answer table (docs/platforms/answer-table.md)

const douyinNoCounterOffer = { notOffered: "counter_offer_not_offered" } as const;

export const douyinAnswerTable: AnswerTable = {
  refund_only: { approve: { apis: ["/afterSale/operate 201", "/afterSale/operate 401"] }, reject: { apis: ["/afterSale/operate 202"] }, counter_offer: douyinNoCounterOffer },
  return_refund: { approve: { apis: ["/afterSale/operate 101", "/afterSale/operate 111"] }, reject: { apis: ["/afterSale/operate 102", "/afterSale/operate 112"] }, counter_offer: douyinNoCounterOffer },
  exchange: { approve: { apis: ["/afterSale/operate 301"] }, reject: { apis: ["/afterSale/operate 302", "/afterSale/operate 312"] }, counter_offer: douyinNoCounterOffer },
  repair: { approve: { notOffered: "no_api_for_kind" }, reject: { notOffered: "no_api_for_kind" }, counter_offer: douyinNoCounterOffer },
  entry_reopen: { approve: { notOffered: "entry_reopen_in_backend" }, reject: { notOffered: "entry_reopen_in_backend" }, counter_offer: douyinNoCounterOffer },
};

/** What Douyin would refuse: a 未发货仅退款 cannot be refused, the remark's length, proof where the reason wants it. */
export function checkDouyinAnswer(draft: AnswerDraft): AnswerProblem[] {
  if (draft.native) {
    const operate = getDouyinOperateType(draft.native, draft.action === "reject" ? "reject" : "approve");
    if (!operate.ok) return [{ code: "answer_not_offered", reason: draft.native.platformType === "2" && draft.action === "reject" ? "unshipped_refund_cannot_reject" : "no_api_for_state" }];
  }
  if (draft.action !== "reject") return [];
  const problems: AnswerProblem[] = [];
  const chars = draft.message.trim().length;
  if (chars < 2 || chars > 200) problems.push({ code: "message_length", min: 2, max: 200, chars });
  const reason = draft.reasons?.find((candidate) => candidate.id === draft.reasonCode);
  if (draft.reasons && draft.reasonCode && !reason) problems.push({ code: "reason_not_platform", reasonCode: draft.reasonCode });
  if (reason?.isEvidenceRequired && draft.proof.length === 0) problems.push({ code: "proof_required" });
  return problems;
}
