import { createCipheriv, createDecipheriv, createHash } from "node:crypto";
import type { AfterSalesKind, RequestKind } from "@/lib/domain";
import { PlatformMessageError, digestsEqual, parseJsonLossless, platformEventId, toIdString, unixSecondsToIso } from "@/lib/platforms/common";
import { toWebhookPriorRefund, unknownOrderFacts } from "@/lib/platforms/order-facts";
import { wechatReasons } from "@/lib/platforms/reasons";
import type { AnswerAction, AnswerDraft, AnswerProblem, AnswerTable, MappedMessage, NativeRefund, NotOfferedReason, OrderFacts } from "@/lib/platforms/types";
import type { WebhookEvent } from "@/lib/webhook/events";

// WeChat 小店 message push (safe mode crypto, channels_ec_aftersale_update), the after-sale detail, and the answer
// table. Every field name and rule here is recorded with its public source in docs/platforms/wechat.md; the API
// calls live in lib/platforms/wechat-api.ts and the order facts in lib/platforms/wechat-order.ts.
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

/** The message and the appid a safe-mode ciphertext carries (docs/platforms/wechat.md, 消息加解密). */
export function openWechatCiphertext(encodingAesKey: string, encrypted: string): { message: string; appId: string } {
  const key = aesKey(encodingAesKey);
  const decipher = createDecipheriv("aes-256-cbc", key, key.subarray(0, 16));
  decipher.setAutoPadding(false);
  let padded: Buffer;
  try {
    padded = Buffer.concat([decipher.update(Buffer.from(encrypted, "base64")), decipher.final()]);
  } catch {
    throw new PlatformMessageError("The encrypted message is not whole AES blocks");
  }
  // PKCS#7 to 32-byte blocks: 1–32 bytes, each holding the pad length
  const pad = padded[padded.length - 1];
  if (!pad || pad > 32 || pad > padded.length || !padded.subarray(padded.length - pad).every((byte) => byte === pad)) {
    throw new PlatformMessageError("Bad padding in the encrypted message");
  }
  const plain = padded.subarray(0, padded.length - pad);
  if (plain.length < 20) throw new PlatformMessageError("The encrypted message is too short");
  const length = plain.readUInt32BE(16);
  if (20 + length > plain.length) throw new PlatformMessageError("The encrypted message's length field is wrong");
  return { message: plain.subarray(20, 20 + length).toString("utf8"), appId: plain.subarray(20 + length).toString("utf8") };
}

/** AES-256-CBC, IV = key[0..16]; plaintext = 16 random bytes + length(4, BE) + message + appid. */
export function decryptWechat(encodingAesKey: string, encrypted: string, expectedAppId?: string): string {
  const { message, appId } = openWechatCiphertext(encodingAesKey, encrypted);
  if (expectedAppId && appId !== expectedAppId) throw new PlatformMessageError("The encrypted message is for another appid");
  return message;
}

/** The platform's side of decryptWechat (round-trip tests only; the fake WeChat has its own); `random16` is the prefix. */
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

// ---- the after-sale detail (/channels/ec/aftersale/getaftersaleorder → after_sale_order)

export type WechatDetail = {
  afterSaleOrderId: string;
  orderId: string | null;
  /** REFUND, RETURN, EXCHANGE (newer enums add RESHIP 补寄, which the desk has no kind for). */
  type: string;
  status: string;
  /** The reason enum; newer reasons carry no literal meaning, `reasonText` explains them. */
  reason: string;
  reasonText: string | null;
  desc: string | null;
  amountFen: number;
  productId: string | null;
  skuId: string | null;
  updateTime: string;
  updateTimeS: number;
  /** Seconds left to act, as WeChat counts them when the detail is read (only while it waits on the seller). */
  deadlineS: number | null;
  /** How many images the buyer attached (media ids; only readable as bytes, see docs/platforms/wechat.md). */
  buyerMediaCount: number;
};

const text = (value: unknown): string | null => (typeof value === "string" && value.trim() ? value : null);
const optionalId = (value: unknown, field: string): string | null => (value === undefined || value === null || value === "" ? null : toIdString(value, field));

/** /channels/ec/aftersale/getaftersaleorder → after_sale_order; a body with errcode ≠ 0 is an error. */
export function parseWechatDetail(body: unknown): WechatDetail {
  const root = body as { errcode?: unknown; errmsg?: unknown; after_sale_order?: Record<string, unknown> } | null;
  if (!root || typeof root !== "object") throw new PlatformMessageError("getaftersaleorder: not a JSON object");
  if (root.errcode !== undefined && Number(root.errcode) !== 0) throw new PlatformMessageError(`getaftersaleorder: ${String(root.errmsg ?? "")} (errcode ${String(root.errcode)})`);
  const order = root.after_sale_order;
  if (!order || typeof order !== "object") throw new PlatformMessageError("getaftersaleorder: after_sale_order is missing");
  if (typeof order.type !== "string" || typeof order.status !== "string") throw new PlatformMessageError("getaftersaleorder: type or status is missing");
  const details = (order.details ?? {}) as { desc?: unknown; media_id_list?: unknown; prove_imgs?: unknown; media_infos?: unknown };
  const refund = (order.refund_info ?? {}) as { amount?: unknown };
  const product = (order.product_info ?? {}) as { product_id?: unknown; sku_id?: unknown };
  const amountFen = Number(refund.amount ?? 0);
  if (!Number.isSafeInteger(amountFen) || amountFen < 0) throw new PlatformMessageError("getaftersaleorder: refund_info.amount is not fen");
  const updateTimeS = Number(order.update_time);
  const lists = [details.media_id_list, details.prove_imgs, details.media_infos].filter(Array.isArray) as unknown[][];
  return {
    afterSaleOrderId: toIdString(order.after_sale_order_id, "after_sale_order_id"),
    orderId: optionalId(order.order_id, "order_id"),
    type: order.type,
    status: order.status,
    reason: typeof order.reason === "string" ? order.reason : "",
    reasonText: text(order.reason_text),
    desc: text(details.desc),
    amountFen,
    productId: optionalId(product.product_id, "product_info.product_id"),
    skuId: optionalId(product.sku_id, "product_info.sku_id"),
    updateTime: unixSecondsToIso(updateTimeS, "update_time"),
    updateTimeS,
    deadlineS: typeof order.deadline === "number" && order.deadline > 0 ? order.deadline : null,
    buyerMediaCount: Math.max(0, ...lists.map((list) => list.length)),
  };
}

export const wechatKinds: Record<string, AfterSalesKind> = { REFUND: "refund_only", RETURN: "return_refund", EXCHANGE: "exchange" };

/** Statuses after which nothing more happens on the after-sale. */
const closedStatuses = new Set(["USER_CANCELD", "RETURN_CLOSED", "MERCHANT_REFUND_SUCCESS", "MERCHANT_RETURN_SUCCESS", "MERCHANT_EXCHANGE_SUCCESS", "MERCHANT_REFUND_RETRY_FAIL", "MERCHANT_FAIL"]);

/** Statuses that wait on the seller's answer (the only ones acceptapply / rejectapply take). */
export const wechatAnswerableStatuses = new Set(["MERCHANT_PROCESSING", "MERCHANT_WAIT_RECEIPT"]);

/** The buyer's reason: our code for the reasons we know, else WeChat's own explanation (reason_text) or enum. */
export function mapWechatReason(detail: Pick<WechatDetail, "reason" | "reasonText">): string {
  return (wechatReasons[detail.reason] ?? detail.reasonText ?? detail.reason) || "OTHERS";
}

export type WechatMapOptions = {
  /** The order facts from /channels/ec/order/get (lib/platforms/wechat-order.ts); null: not read, all unknown. */
  facts: OrderFacts | null;
  /** When the detail was read: WeChat's `deadline` counts seconds left from then. */
  fetchedAt: Date;
};

/** One update + the detail (+ the order's facts) → our events; `deadline` becomes the platform clock. */
export function mapWechatUpdate(update: WechatAftersaleUpdate, detail: WechatDetail, options: WechatMapOptions): MappedMessage {
  const kind: RequestKind | undefined = wechatKinds[detail.type];
  const requestId = update.afterSaleOrderId;
  const native: NativeRefund = {
    protocol: "wechat_ec",
    refundId: requestId,
    orderId: detail.orderId ?? update.orderId,
    status: detail.status,
    platformType: detail.type,
    kind: kind ?? null,
    version: String(detail.updateTimeS),
    amountFen: detail.amountFen,
    intervention: null,
  };
  if (!kind) return { events: [], native, note: `WeChat after-sale type ${detail.type} has no kind on the desk` };
  const deadline = detail.deadlineS && wechatAnswerableStatuses.has(detail.status) ? new Date(Math.floor(options.fetchedAt.getTime() / 1000) * 1000 + detail.deadlineS * 1000).toISOString() : null;
  const key = (suffix: string) => platformEventId("wx", requestId, detail.status, detail.updateTimeS, suffix);
  const events: WebhookEvent[] = [];
  if (detail.status === "MERCHANT_PROCESSING") {
    const facts = options.facts ?? { ...unknownOrderFacts(), category: "other" };
    const unknown = new Set(facts.unknown);
    events.push({
      id: platformEventId("wx", requestId, "created"),
      type: "request.created",
      occurredAt: update.createTime,
      data: {
        requestId,
        kind,
        order: {
          orderId: native.orderId ?? update.orderId,
          category: facts.category.slice(0, 200) || "other",
          title: (facts.title ?? "").slice(0, 200) || "小店商品",
          amountFen: facts.amountFen ?? detail.amountFen,
          // Absent = unknown, null = known not yet (lib/webhook/events.ts)
          ...(unknown.has("shipped") ? {} : { shippedAt: facts.shippedAt }),
          ...(unknown.has("received") ? {} : { receivedAt: facts.receivedAt }),
          ...(unknown.has("completed") ? {} : { completedAt: facts.completedAt }),
          ...toWebhookPriorRefund(facts),
          ...(facts.unknown.length ? { unknownFacts: [...facts.unknown] } : {}),
          ...(facts.subOrderId ? { subOrderId: facts.subOrderId } : {}),
          // The buyer could open this kind on this product: that much the platform has shown
          supportedKinds: [kind],
        },
        buyer: { id: `wx-${update.orderId}`, nick: "" },
        reasonCode: mapWechatReason(detail).slice(0, 200),
        ...(detail.desc ? { reasonText: detail.desc.slice(0, 2000) } : {}),
        // The buyer's images are media ids WeChat serves only as bytes (docs/platforms/wechat.md): none as URLs
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

/** Statuses that wait on the seller; anything else means the answer already reached WeChat, so a resend is skipped. */
export function isWechatAlreadyAnswered(native: NativeRefund): boolean {
  return !wechatAnswerableStatuses.has(native.status);
}

// ---- the answer table (docs/platforms/wechat.md "Answer table")

export const wechatApis = {
  acceptApply: "/channels/ec/aftersale/acceptapply",
  rejectApply: "/channels/ec/aftersale/rejectapply",
  acceptExchangeReship: "/channels/ec/aftersale/acceptexchangereship",
  rejectExchangeReship: "/channels/ec/aftersale/rejectexchangereship",
} as const;

const wechatNoCounterOffer = { notOffered: "counter_offer_not_offered" } as const;

export const wechatAnswerTable: AnswerTable = {
  refund_only: { approve: { apis: [wechatApis.acceptApply] }, reject: { apis: [wechatApis.rejectApply] }, counter_offer: wechatNoCounterOffer },
  return_refund: { approve: { apis: [wechatApis.acceptApply] }, reject: { apis: [wechatApis.rejectApply] }, counter_offer: wechatNoCounterOffer },
  // The second stage's approval (acceptexchangereship) needs the new parcel's waybill: see getWechatAnswerStep
  exchange: { approve: { apis: [wechatApis.acceptApply] }, reject: { apis: [wechatApis.rejectApply, wechatApis.rejectExchangeReship] }, counter_offer: wechatNoCounterOffer },
  repair: { approve: { notOffered: "no_api_for_kind" }, reject: { notOffered: "no_api_for_kind" }, counter_offer: wechatNoCounterOffer },
  entry_reopen: { approve: { notOffered: "entry_reopen_in_backend" }, reject: { notOffered: "entry_reopen_in_backend" }, counter_offer: wechatNoCounterOffer },
};

/** One answer call as the state of the after-sale calls for it. */
export type WechatAnswerStep =
  /** acceptapply accept_type 2: refund-only agreed, or a returned parcel received → refund. */
  | { api: typeof wechatApis.acceptApply; acceptType: 2; needsAddress: false }
  /** acceptapply accept_type 1 + address_id: agree that the buyer sends the goods back (return or exchange). */
  | { api: typeof wechatApis.acceptApply; acceptType: 1; needsAddress: true }
  /** rejectapply: refuse the application (reason types of reject_scene 1, 4 or 5). */
  | { api: typeof wechatApis.rejectApply; rejectScene: 1 | 4 | 5 }
  /** rejectexchangereship: refuse to send the new goods after the exchange parcel came back (reject_scene 6). */
  | { api: typeof wechatApis.rejectExchangeReship; rejectScene: 6 };

/** Which call answers this after-sale in its current state, or why none does (the card disables the button). */
export function getWechatAnswerStep(native: Pick<NativeRefund, "platformType" | "status">, action: AnswerAction): { ok: true; step: WechatAnswerStep } | { ok: false; reason: NotOfferedReason } {
  if (action === "counter_offer") return { ok: false, reason: "counter_offer_not_offered" };
  const { platformType: type, status } = native;
  if (!wechatKinds[type]) return { ok: false, reason: "no_api_for_kind" };
  const approve = action === "approve";
  if (status === "MERCHANT_PROCESSING") {
    if (type === "REFUND") return { ok: true, step: approve ? { api: wechatApis.acceptApply, acceptType: 2, needsAddress: false } : { api: wechatApis.rejectApply, rejectScene: 1 } };
    return { ok: true, step: approve ? { api: wechatApis.acceptApply, acceptType: 1, needsAddress: true } : { api: wechatApis.rejectApply, rejectScene: type === "RETURN" ? 4 : 5 } };
  }
  if (status === "MERCHANT_WAIT_RECEIPT") {
    if (type === "RETURN") return { ok: true, step: approve ? { api: wechatApis.acceptApply, acceptType: 2, needsAddress: false } : { api: wechatApis.rejectApply, rejectScene: 4 } };
    if (type === "EXCHANGE") return approve ? { ok: false, reason: "needs_logistics" } : { ok: true, step: { api: wechatApis.rejectExchangeReship, rejectScene: 6 } };
  }
  return { ok: false, reason: "no_api_for_state" };
}

/**
 * reject_reason counted as characters (code points). WeChat documents no limit for it; 500 is the limit it documents
 * for the seller's text on its after-sales complaint calls (docs/platforms/wechat.md, unverified for rejectapply).
 */
export const wechatRejectTextMax = 500;

export const countWechatChars = (value: string): number => Array.from(value).length;

/** reject_reason_type is an integer enum from /channels/ec/aftersale/rejectreason/get. */
export const isWechatReasonType = (value: string): boolean => /^\d{1,9}$/.test(value);

/** What WeChat would refuse: a state with no answer call, reject_reason over the cap, a reason type not on its list. */
export function checkWechatAnswer(draft: AnswerDraft): AnswerProblem[] {
  if (draft.native) {
    const step = getWechatAnswerStep(draft.native, draft.action);
    if (!step.ok) return [{ code: "answer_not_offered", reason: step.reason }];
  }
  if (draft.action !== "reject") return [];
  const problems: AnswerProblem[] = [];
  const chars = countWechatChars(draft.message.trim());
  if (chars > wechatRejectTextMax) problems.push({ code: "message_length", min: 0, max: wechatRejectTextMax, chars });
  const reasonCode = draft.reasonCode ?? "";
  const reason = draft.reasons?.find((candidate) => candidate.id === reasonCode);
  if (!isWechatReasonType(reasonCode) || (draft.reasons && !reason)) problems.push({ code: "reason_not_platform", reasonCode });
  if (reason?.isEvidenceRequired && draft.proof.length === 0) problems.push({ code: "proof_required" });
  for (const file of draft.proof) if (!file.type.startsWith("image/")) problems.push({ code: "proof_type", fileName: file.name, type: file.type });
  return problems;
}
