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
import { getDouyinOrderFacts, toWebhookOrderFacts } from "@/lib/platforms/douyin-order";
import type { AnswerAction, AnswerDraft, AnswerProblem, AnswerTable, MappedMessage, NativeRefund, NotOfferedReason, OrderFacts, PlatformCall } from "@/lib/platforms/types";
import type { WebhookEvent, WebhookOrder } from "@/lib/webhook/events";

// Douyin 抖店 message push, open API signing and the answer table (docs/platforms/douyin.md, which names the
// sources of every field: zsmhub/doudian-sdk, minibear2021/doudian, fudiwei/DotNetCore.SKIT.FlurlHttpClient.ByteDance).

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

/** The push body: a JSON array of {tag, msg_id, data: JSON string}; fudiwei's SDK alone spells msgId and sends data as an object. */
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

/** Tags 200–218 (doudian_refund_*, docs/platforms/douyin.md "Push"); 210 is not an after-sales message. */
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

/** arbitrate_status (zsmhub/doudian-sdk afterSale_List request); 0 and 255 mean no intervention is under way. */
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

/** The push's s_id (the sku order the after-sale is about), null when the message carries none. */
export function getDouyinSkuOrderId(message: DouyinPushMessage): string | null {
  return message.data.s_id === undefined || message.data.s_id === null ? null : toIdString(message.data.s_id, "data.s_id");
}

/** Which order and sub-order a created message's facts are read for: the push's p_id and s_id, else the detail's. */
export function getDouyinOrderRef(
  message: DouyinPushMessage,
  detail: DouyinDetail,
): { orderId: string | null; aftersaleId: string; aftersaleType: number | null; skuOrderId: string | null } {
  const { data } = message;
  return {
    orderId: data.p_id === undefined || data.p_id === null ? detail.orderId : toIdString(data.p_id, "data.p_id"),
    aftersaleId: getDouyinAftersaleId(message),
    aftersaleType: optionalInt(data.aftersale_type, "data.aftersale_type"),
    skuOrderId: getDouyinSkuOrderId(message) ?? (detail.skuOrders.length === 1 ? detail.skuOrders[0].skuOrderId : null),
  };
}

/**
 * One push message (+ the detail when needsDouyinDetail) → our events and the refund's native state.
 * `receivedAt` dates only messages that carry no time of their own (209, arbitration). `facts` are the order's
 * facts from /order/orderDetail (douyin-order.ts); without them a created card says which facts are unknown,
 * using only what aftersale_type itself tells (未发货仅退款: not shipped).
 */
export function mapDouyinMessage(
  message: DouyinPushMessage,
  detail: DouyinDetail | null,
  options: { receivedAt: Date; facts?: OrderFacts },
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
    const skuOrderId = getDouyinSkuOrderId(message);
    const sku = detail.skuOrders.find((candidate) => candidate.skuOrderId === skuOrderId) ?? detail.skuOrders[0];
    const facts =
      options.facts ??
      getDouyinOrderFacts({ aftersaleId: requestId, aftersaleType, skuOrderId: skuOrderId ?? sku?.skuOrderId ?? null, order: null, aftersales: null, categoryNames: null });
    const order: WebhookOrder = {
      orderId: native.orderId ?? detail.orderId ?? requestId,
      title: sku?.productName ?? facts.title ?? "抖店商品",
      amountFen: sku?.payAmountFen ?? facts.amountFen ?? amountFen,
      supportedKinds: [...new Set(["refund_only", "return_refund", kind === "entry_reopen" ? "refund_only" : kind] as const)],
      ...toWebhookOrderFacts(facts),
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

// ---- open API: signing and reading answers

export type DouyinApiConfig = { baseUrl: string; appKey: string; appSecret: string; accessToken: string | null };

/** A 64-bit integer parameter written as raw JSON digits (Douyin's int64 ids can exceed 2^53). */
export class DouyinInt64 {
  constructor(readonly digits: string) {
    if (!/^\d{1,20}$/.test(digits)) throw new PlatformMessageError(`"${digits}" is not an integer id`);
  }
}

/** Go's json.Marshal of a map: keys sorted at every level, no HTML escaping (the sign covers this exact text). */
export function marshalDouyinParams(value: unknown): string {
  if (value instanceof DouyinInt64) return value.digits;
  if (Array.isArray(value)) return `[${value.map(marshalDouyinParams).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, item]) => item !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${marshalDouyinParams(item)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** sign = hex HMAC-SHA256(key: secret, secret + "app_key"…"method"…"param_json"…"timestamp"…"v2" + secret). */
export function signDouyinApi(appKey: string, appSecret: string, method: string, timestampS: number, paramJson: string): string {
  const pattern = `${appSecret}app_key${appKey}method${method}param_json${paramJson}timestamp${timestampS}v2${appSecret}`;
  return createHmac("sha256", appSecret).update(pattern).digest("hex");
}

/**
 * A signed call to `/afterSale/Detail`, `/afterSale/operate`, … (path → method "afterSale.operate"). The
 * x-open-no-old-err-code header asks for the current error codes (10000 = success), as zsmhub/doudian-sdk does.
 */
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
  return {
    method: "POST",
    url: `${config.baseUrl.replace(/\/$/, "")}${path}?${query}`,
    headers: { "content-type": "application/json", "x-open-no-old-err-code": "1" },
    body: paramJson,
    apiMethod: method,
  };
}

/**
 * What one open-API answer says. Codes from Douyin's 平台基础错误码汇总 (docs/platforms/douyin.md): 10000 success;
 * 20000/20001 service unavailable or timed out, 60000 throttled, and an expired, missing or replaced access
 * token are worth retrying; every other code is the platform refusing (its sub_msg says why).
 */
export type DouyinApiResult =
  | { ok: true; data: Record<string, unknown> }
  | { ok: false; transient: boolean; code: string; message: string };

const transientCodes = new Set([20000, 20001, 60000]);
const tokenSubCodes = new Set(["isv.access-token-expired", "isv.access-token-no-existed", "isv.access-token-missing"]);

export function readDouyinResponse(body: unknown): DouyinApiResult {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return { ok: false, transient: true, code: "", message: "抖店的回答不是 JSON 对象" };
  const record = body as Record<string, unknown>;
  const code = Number(record.code);
  const text = (value: unknown) => (typeof value === "string" ? value : "");
  if (code === 10000) {
    const data = record.data;
    return { ok: true, data: typeof data === "object" && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>) : { items: data } };
  }
  const subCode = text(record.sub_code);
  const message = (text(record.sub_msg) || text(record.msg) || `错误码 ${String(record.code)}`).slice(0, 300);
  const transient = transientCodes.has(code) || tokenSubCodes.has(subCode) || subCode.startsWith("isp.");
  return { ok: false, transient, code: subCode ? `${String(record.code)}:${subCode}` : String(record.code), message };
}

// ---- the answer table: /afterSale/operate type codes (docs/platforms/douyin.md "Answer table")

/**
 * aftersale_type → aftersale_status → the operate type for each desk decision (guide question-docs/93/2752;
 * docs/platforms/douyin.md "Answer table"). Codes the desk never sends: 121 退货转退款, 203 同意拒签后退款, 321 换货转退款
 * (no desk decision means them) and 311 换货二次同意 (it needs the reship's logistics).
 */
export const douyinOperateCodes: Readonly<Record<number, Readonly<Record<number, Partial<Record<"approve" | "reject", number>>>>>> = {
  0: { 6: { approve: 101, reject: 102 }, 11: { approve: 111, reject: 112 } },
  1: { 6: { approve: 201, reject: 202 } },
  2: { 6: { approve: 401 } },
  3: { 6: { approve: 301, reject: 302 }, 11: { reject: 312 } },
};

/** Operate types that agree a return or an exchange: the buyer is sent the shop's return address. */
const addressTypes = new Set([101, 301]);

export type DouyinOperate = { ok: true; type: number; needsReturnAddress: boolean } | { ok: false; reason: NotOfferedReason };

/** The operate type for a decision on the refund's native state, or why Douyin's API offers none. */
export function getDouyinOperate(native: Pick<NativeRefund, "platformType" | "status">, action: "approve" | "reject"): DouyinOperate {
  const type = Number(native.platformType);
  const status = Number(native.status);
  const byStatus = douyinOperateCodes[type];
  if (!byStatus) return { ok: false, reason: "no_api_for_kind" };
  const code = byStatus[status]?.[action];
  if (code) return { ok: true, type: code, needsReturnAddress: addressTypes.has(code) };
  if (type === 2 && action === "reject") return { ok: false, reason: "unshipped_refund_cannot_reject" };
  if (type === 3 && status === 11 && action === "approve") return { ok: false, reason: "needs_logistics" };
  return { ok: false, reason: "no_api_for_state" };
}

const douyinNoCounterOffer = { notOffered: "counter_offer_not_offered" } as const;

/** Per kind: refund_only is aftersale_type 1/2, return_refund 0, exchange 3 (补寄 7 is not offered), repair 8. */
export const douyinAnswerTable: AnswerTable = {
  refund_only: { approve: { apis: ["/afterSale/operate 201", "/afterSale/operate 401"] }, reject: { apis: ["/afterSale/operate 202"] }, counter_offer: douyinNoCounterOffer },
  return_refund: { approve: { apis: ["/afterSale/operate 101", "/afterSale/operate 111"] }, reject: { apis: ["/afterSale/operate 102", "/afterSale/operate 112"] }, counter_offer: douyinNoCounterOffer },
  exchange: { approve: { apis: ["/afterSale/operate 301"] }, reject: { apis: ["/afterSale/operate 302", "/afterSale/operate 312"] }, counter_offer: douyinNoCounterOffer },
  repair: { approve: { notOffered: "no_api_for_kind" }, reject: { notOffered: "no_api_for_kind" }, counter_offer: douyinNoCounterOffer },
  entry_reopen: { approve: { notOffered: "entry_reopen_in_backend" }, reject: { notOffered: "entry_reopen_in_backend" }, counter_offer: douyinNoCounterOffer },
};

/**
 * Our own bound on the rejection remark (`remark`, 操作评论): Douyin requires it on a refusal but no public
 * source states a maximum, so 1–200 characters (Unicode code points) is the desk's guard (docs: unverified).
 */
export const douyinRemarkChars = { min: 1, max: 200 } as const;

/** Images the platform takes as evidence type 1 (we re-encode them to JPEG before the upload). */
const proofImageTypes = /^image\/(jpeg|png|webp|gif|heic|heif)$/;

/** What Douyin would refuse in this answer: no operate code for the state, the remark, the reason, missing proof. */
export function checkDouyinAnswer(draft: AnswerDraft): AnswerProblem[] {
  const action: AnswerAction = draft.action;
  if (action === "counter_offer") return [{ code: "answer_not_offered", reason: "counter_offer_not_offered" }];
  if (draft.native) {
    const operate = getDouyinOperate(draft.native, action);
    if (!operate.ok) return [{ code: "answer_not_offered", reason: operate.reason }];
  }
  if (action !== "reject") return [];
  const problems: AnswerProblem[] = [];
  const chars = Array.from(draft.message.trim()).length;
  if (chars < douyinRemarkChars.min || chars > douyinRemarkChars.max) problems.push({ code: "message_length", min: douyinRemarkChars.min, max: douyinRemarkChars.max, chars });
  const reason = draft.reasons?.find((candidate) => candidate.id === draft.reasonCode);
  if (draft.reasons && !reason) problems.push({ code: "reason_not_platform", reasonCode: draft.reasonCode ?? "" });
  if (reason?.isEvidenceRequired && draft.proof.length === 0) problems.push({ code: "proof_required" });
  for (const file of draft.proof) if (!proofImageTypes.test(file.type)) problems.push({ code: "proof_type", fileName: file.name, type: file.type });
  return problems;
}

/** One rejection as /afterSale/operate takes it: the platform's reason code and text, our remark, evidence URLs. */
export type DouyinRejection = { reasonCode: string; reasonText: string; remark: string; evidence: { url: string; desc: string }[] };

/**
 * The param_json of one /afterSale/operate call. update_time is the refund's version in Unix seconds (an int64
 * in the API's item struct), so the platform refuses the answer if the buyer changed the request since.
 */
export function buildDouyinOperateParams(
  native: NativeRefund,
  type: number,
  options: { returnAddressId?: string; rejection?: DouyinRejection },
): Record<string, unknown> {
  const item: Record<string, unknown> = { aftersale_id: native.refundId };
  const updateTimeS = getDouyinUpdateTimeS(native);
  if (updateTimeS !== null) item.update_time = updateTimeS;
  if (addressTypes.has(type) && options.returnAddressId) item.logistics = { receiver_address_id: new DouyinInt64(options.returnAddressId) };
  if (options.rejection) {
    item.reject_reason_code = /^\d{1,15}$/.test(options.rejection.reasonCode) ? Number(options.rejection.reasonCode) : new DouyinInt64(options.rejection.reasonCode);
    item.reason = options.rejection.reasonText;
    item.remark = options.rejection.remark;
    if (options.rejection.evidence.length > 0) item.evidence = options.rejection.evidence.map((entry) => ({ type: 1, url: entry.url, desc: entry.desc }));
  }
  return { type, items: [item] };
}

/** The version the platform knows: the push's update_time in Unix seconds; null when no message carried one. */
export function getDouyinUpdateTimeS(native: NativeRefund): number | null {
  if (native.updateTime) return Math.floor(Date.parse(rfc3339ToIso(native.updateTime, "update_time")) / 1000);
  return !native.isPartial && /^\d+$/.test(native.version) ? Number(native.version) : null;
}

/**
 * /afterSale/operate answered: 10000 with every item's status_code 0 is success; a failed item or any refusing
 * code is the platform refusing; a transient code is retried.
 */
export function readDouyinOperateAnswer(body: unknown): { ok: true } | { ok: false; transient: boolean; code: string; message: string } {
  const result = readDouyinResponse(body);
  if (!result.ok) return result;
  const items = Array.isArray(result.data.items) ? (result.data.items as Record<string, unknown>[]) : [];
  const failed = items.find((item) => item && item.status_code !== undefined && Number(item.status_code) !== 0);
  if (failed) return { ok: false, transient: false, code: String(failed.status_code), message: String(failed.status_msg ?? "售后操作失败").slice(0, 300) };
  return { ok: true };
}

/** Statuses after the seller's first answer: the decision is already on the platform, so a resend is skipped. */
export function isDouyinAlreadyAnswered(native: NativeRefund): boolean {
  return ["7", "8", "12", "13", "14", "27", "28", "29"].includes(native.status);
}
