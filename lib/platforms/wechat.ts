import { createCipheriv, createDecipheriv, createHash } from "node:crypto";
import type { RequestKind } from "@/lib/domain";
import { PlatformMessageError, digestsEqual, parseJsonLossless, platformEventId, toIdString, unixSecondsToIso } from "@/lib/platforms/common";
import { wechatReasons } from "@/lib/platforms/reasons";
import type { AnswerDraft, AnswerPlan, AnswerProblem, AnswerTable, MappedMessage, NativeRefund, OutboundDecision, PlatformCall } from "@/lib/platforms/types";
import type { WebhookEvent } from "@/lib/webhook/events";

// WeChat 小店 channels_ec_aftersale_update (PLATFORMS.md §3; fudiwei/DotNetCore.SKIT.FlurlHttpClient.Wechat
// Events/Channels/EC and its ChannelsECAftersaleUpdateEvent.json sample; binarywang/WxJava bean/after for answers).
// Routed at /api/platforms/wechat/push (app/api/platforms/wechat/push).

const sha1 = (parts: string[]) => createHash("sha1").update([...parts].sort().join("")).digest("hex");

/** Plain mode and the URL check: signature = SHA1(sort(token, timestamp, nonce)). */
export function verifyWechatSignature(token: string, timestamp: string, nonce: string, signature: string): boolean {
  return digestsEqual(sha1([token, timestamp, nonce]), signature);
}

/** Safe mode: msg_signature = SHA1(sort(token, timestamp, nonce, Encrypt)). */
export function signWechatMessage(token: string, timestamp: string, nonce: string, encrypted: string): string {
  return sha1([token, timestamp, nonce, encrypted]);
}

function aesKey(encodingAesKey: string): Buffer {
  const key = Buffer.from(`${encodingAesKey}=`, "base64");
  if (key.length !== 32) throw new PlatformMessageError("EncodingAESKey must be 43 characters (32 bytes)");
  return key;
}

/** AES-256-CBC, IV = key[0..16], PKCS#7 to 32-byte blocks; plaintext = 16 random bytes + length(4, BE) + message + appid. */
export function decryptWechat(encodingAesKey: string, encrypted: string, expectedAppId?: string): string {
  const key = aesKey(encodingAesKey);
  const decipher = createDecipheriv("aes-256-cbc", key, key.subarray(0, 16));
  decipher.setAutoPadding(false);
  const padded = Buffer.concat([decipher.update(Buffer.from(encrypted, "base64")), decipher.final()]);
  const pad = padded[padded.length - 1];
  if (pad < 1 || pad > 32) throw new PlatformMessageError("Bad padding in the encrypted message");
  const plain = padded.subarray(0, padded.length - pad);
  const length = plain.readUInt32BE(16);
  const message = plain.subarray(20, 20 + length).toString("utf8");
  const appId = plain.subarray(20 + length).toString("utf8");
  if (expectedAppId && appId !== expectedAppId) throw new PlatformMessageError("The encrypted message is for another appid");
  return message;
}

/** The platform's side of decryptWechat (the fake sender and tests); `random16` is the 16-byte prefix. */
export function encryptWechat(encodingAesKey: string, message: string, appId: string, random16: Buffer): string {
  const key = aesKey(encodingAesKey);
  const body = Buffer.from(message, "utf8");
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  const plain = Buffer.concat([random16, length, body, Buffer.from(appId, "utf8")]);
  const pad = 32 - (plain.length % 32);
  const cipher = createCipheriv("aes-256-cbc", key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])), cipher.final()]).toString("base64");
}

export type WechatQuery = { signature?: string; timestamp?: string; nonce?: string; encrypt_type?: string; msg_signature?: string };

/** Verifies and opens one push (plain or safe mode) and returns the event JSON. */
export function openWechatPush(settings: { token: string; aesKey?: string; appId?: string }, query: WechatQuery, rawBody: string): Record<string, unknown> {
  const { timestamp = "", nonce = "" } = query;
  let body: Record<string, unknown>;
  try {
    body = parseJsonLossless(rawBody) as Record<string, unknown>;
  } catch {
    throw new PlatformMessageError("The push body is not JSON");
  }
  if (query.encrypt_type === "aes") {
    const encrypted = typeof body.Encrypt === "string" ? body.Encrypt : "";
    if (!settings.aesKey || !encrypted || !digestsEqual(signWechatMessage(settings.token, timestamp, nonce, encrypted), query.msg_signature ?? "")) {
      throw new PlatformMessageError("bad msg_signature");
    }
    return parseJsonLossless(decryptWechat(settings.aesKey, encrypted, settings.appId)) as Record<string, unknown>;
  }
  if (!verifyWechatSignature(settings.token, timestamp, nonce, query.signature ?? "")) throw new PlatformMessageError("bad signature");
  return body;
}

export type WechatAftersaleUpdate = { afterSaleOrderId: string; orderId: string; status: string; createTime: string };

export function parseWechatAftersaleUpdate(event: Record<string, unknown>): WechatAftersaleUpdate | null {
  if (event.Event !== "channels_ec_aftersale_update") return null;
  const update = event.finder_shop_aftersale_status_update as Record<string, unknown> | undefined;
  if (!update || typeof update.status !== "string") throw new PlatformMessageError("finder_shop_aftersale_status_update is missing");
  return {
    afterSaleOrderId: toIdString(update.after_sale_order_id, "after_sale_order_id"),
    orderId: toIdString(update.order_id, "order_id"),
    status: update.status,
    createTime: unixSecondsToIso(event.CreateTime, "CreateTime"),
  };
}

/**
 * The push has no message id; WeChat redelivers the same body (same CreateTime) when it gets no `success`,
 * so (after-sale id, status, CreateTime) names one message.
 */
export function getWechatMessageId(update: WechatAftersaleUpdate): string {
  return `${update.afterSaleOrderId}:${update.status}:${Date.parse(update.createTime) / 1000}`;
}

export type WechatDetail = {
  type: string;
  status: string;
  reason: string;
  desc: string | null;
  amountFen: number;
  productTitle: string;
  updateTime: string;
  updateTimeS: number;
  /** Seconds left from update_time, as the detail says. */
  deadlineS: number | null;
};

/** /channels/ec/aftersale/getaftersaleorder → after_sale_order. */
export function parseWechatDetail(body: unknown): WechatDetail {
  const root = body as { errcode?: number; errmsg?: string; after_sale_order?: Record<string, unknown> };
  if (root?.errcode) throw new PlatformMessageError(`getaftersaleorder: ${root.errmsg ?? root.errcode}`);
  const order = root?.after_sale_order ?? (body as Record<string, unknown>);
  const details = (order.details ?? {}) as { desc?: unknown };
  const refund = (order.refund_info ?? {}) as { amount?: unknown };
  const product = (order.product_info ?? {}) as { title?: unknown };
  const updateTimeS = Number(order.update_time);
  return {
    type: String(order.type ?? "REFUND"),
    status: String(order.status ?? ""),
    reason: String(order.reason ?? "OTHERS"),
    desc: typeof details.desc === "string" && details.desc ? details.desc : null,
    amountFen: Number(refund.amount ?? 0),
    productTitle: typeof product.title === "string" && product.title ? product.title : "小店商品",
    updateTime: unixSecondsToIso(updateTimeS, "update_time"),
    updateTimeS,
    deadlineS: typeof order.deadline === "number" && order.deadline > 0 ? order.deadline : null,
  };
}

const wechatKinds: Record<string, RequestKind> = { REFUND: "refund_only", RETURN: "return_refund", EXCHANGE: "exchange" };
const closedStatuses = new Set(["USER_CANCELD", "RETURN_CLOSED", "MERCHANT_REFUND_SUCCESS", "MERCHANT_RETURN_SUCCESS", "MERCHANT_EXCHANGE_SUCCESS"]);

/** One update + the detail → our events; `deadline` (seconds left at update_time) becomes the platform clock. */
export function mapWechatUpdate(update: WechatAftersaleUpdate, detail: WechatDetail, options: { category?: string }): MappedMessage {
  const kind = wechatKinds[detail.type] ?? "refund_only";
  const requestId = update.afterSaleOrderId;
  const deadline = detail.deadlineS ? new Date((detail.updateTimeS + detail.deadlineS) * 1000).toISOString() : null;
  const native: NativeRefund = { protocol: "wechat_ec", refundId: requestId, orderId: update.orderId, status: detail.status, platformType: detail.type, kind, version: String(detail.updateTimeS), amountFen: detail.amountFen, intervention: null };
  const key = (suffix: string) => platformEventId("wx", requestId, detail.status, detail.updateTimeS, suffix);
  const events: WebhookEvent[] = [];
  if (detail.status === "MERCHANT_PROCESSING") {
    events.push({
      id: platformEventId("wx", requestId, "created"),
      type: "request.created",
      occurredAt: update.createTime,
      data: {
        requestId,
        kind,
        order: { orderId: update.orderId, category: options.category ?? "other", title: detail.productTitle.slice(0, 200), amountFen: detail.amountFen, completedAt: update.createTime, supportedKinds: ["refund_only", "return_refund"], priorRefund: "none" },
        buyer: { id: `wx-${update.orderId}`, nick: "" },
        reasonCode: wechatReasons[detail.reason] ?? detail.reason,
        ...(detail.desc ? { reasonText: detail.desc.slice(0, 2000) } : {}),
        evidence: [],
        amountFen: detail.amountFen,
        ...(deadline ? { platformDeadline: deadline } : {}),
      },
    });
  }
  if (deadline) events.push({ id: key("deadline"), type: "deadline.changed", occurredAt: detail.updateTime, data: { requestId, platformDeadline: deadline } });
  if (closedStatuses.has(detail.status)) events.push({ id: key("closed"), type: "request.cancelled", occurredAt: detail.updateTime, data: { requestId } });
  return { events, native };
}

export type WechatApiConfig = { baseUrl: string; accessToken: string };

const post = (config: WechatApiConfig, path: string, body: unknown): PlatformCall => ({
  method: "POST",
  url: `${config.baseUrl.replace(/\/$/, "")}${path}?access_token=${encodeURIComponent(config.accessToken)}`,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
  apiMethod: path,
});

export function buildWechatDetailCall(config: WechatApiConfig, afterSaleOrderId: string): PlatformCall {
  return post(config, "/channels/ec/aftersale/getaftersaleorder", { after_sale_order_id: afterSaleOrderId });
}

/** ⚑ Our reject reasons → reject_reason_type; a real shop reads /channels/ec/aftersale/rejectreason/get. */
export const defaultWechatRejectReasonTypes: Record<string, string> = { goods_intact_used: "1", no_quality_issue: "2", past_period: "3", other: "99" };

/** acceptapply (accept_type 1 = agree to the return, 2 = received → refund; none for refund-only) or rejectapply. */
export function planWechatAnswer(config: WechatApiConfig, native: NativeRefund, decision: OutboundDecision, settings: { returnAddressId?: string; rejectReasonIds?: Record<string, string> }): AnswerPlan {
  if (decision.decision === "approve") {
    if (native.platformType === "RETURN" && native.status === "MERCHANT_PROCESSING") {
      if (!settings.returnAddressId) return { ok: false, error: "Agreeing a return needs the shop's address_id" };
      return { ok: true, calls: [post(config, "/channels/ec/aftersale/acceptapply", { after_sale_order_id: native.refundId, address_id: settings.returnAddressId, accept_type: 1 })] };
    }
    const acceptType = native.status === "MERCHANT_WAIT_RECEIPT" ? { accept_type: 2 } : {};
    return { ok: true, calls: [post(config, "/channels/ec/aftersale/acceptapply", { after_sale_order_id: native.refundId, ...acceptType })] };
  }
  const type = decision.reasonCode ? ({ ...defaultWechatRejectReasonTypes, ...settings.rejectReasonIds })[decision.reasonCode] : undefined;
  if (!type) return { ok: false, error: `No reject_reason_type for reason "${decision.reasonCode ?? ""}"` };
  // NUMBERS.md §1e: WeChat evidence text ≤ 500 characters
  const reason = (decision.message ?? "").trim();
  if (reason.length < 1 || reason.length > 500) return { ok: false, error: "reject_reason must be 1–500 characters" };
  return { ok: true, calls: [post(config, "/channels/ec/aftersale/rejectapply", { after_sale_order_id: native.refundId, reject_reason: reason, reject_reason_type: Number(type), reject_certificates: [] })] };
}

export function isWechatApiSuccess(body: unknown): boolean {
  return typeof body === "object" && body !== null && (body as { errcode?: unknown }).errcode === 0;
}

/** Statuses that wait on the seller; anything else means the answer already reached WeChat, so a resend is skipped. */
export function isWechatAlreadyAnswered(native: NativeRefund): boolean {
  return native.status !== "MERCHANT_PROCESSING" && native.status !== "MERCHANT_WAIT_RECEIPT";
}

// ---- the answer table (docs/platforms/answer-table.md)

const wechatNoCounterOffer = { notOffered: "counter_offer_not_offered" } as const;

export const wechatAnswerTable: AnswerTable = {
  refund_only: { approve: { apis: ["/channels/ec/aftersale/acceptapply"] }, reject: { apis: ["/channels/ec/aftersale/rejectapply"] }, counter_offer: wechatNoCounterOffer },
  return_refund: { approve: { apis: ["/channels/ec/aftersale/acceptapply"] }, reject: { apis: ["/channels/ec/aftersale/rejectapply"] }, counter_offer: wechatNoCounterOffer },
  exchange: { approve: { apis: ["/channels/ec/aftersale/acceptapply"] }, reject: { apis: ["/channels/ec/aftersale/rejectapply"] }, counter_offer: wechatNoCounterOffer },
  repair: { approve: { notOffered: "no_api_for_kind" }, reject: { notOffered: "no_api_for_kind" }, counter_offer: wechatNoCounterOffer },
  entry_reopen: { approve: { notOffered: "entry_reopen_in_backend" }, reject: { notOffered: "entry_reopen_in_backend" }, counter_offer: wechatNoCounterOffer },
};

/** What WeChat would refuse: reject_reason 1–500 characters and a reason type from its list. */
export function checkWechatAnswer(draft: AnswerDraft): AnswerProblem[] {
  if (draft.action !== "reject") return [];
  const problems: AnswerProblem[] = [];
  const chars = draft.message.trim().length;
  if (chars < 1 || chars > 500) problems.push({ code: "message_length", min: 1, max: 500, chars });
  if (draft.reasons && draft.reasonCode && !draft.reasons.some((reason) => reason.id === draft.reasonCode)) problems.push({ code: "reason_not_platform", reasonCode: draft.reasonCode });
  return problems;
}
