import type { Decision, OrderFact, PriorRefundState, RequestKind } from "@/lib/domain";
import type { ProductCategory } from "@/lib/policy/categories";
import type { WebhookEvent } from "@/lib/webhook/events";

// What every adapter hands the shared ingest (docs/platforms/README.md): our own events (so dedupe, ordering and storage
// stay in receiveWebhookEvent) plus the platform's native state, which the answer call needs later.

export type Protocol = "douyin_push" | "taobao_tmc" | "wechat_ec";

/** The platform's own view of one refund, kept to build the answer call (type code, version, phase). */
export type NativeRefund = {
  protocol: Protocol;
  refundId: string;
  orderId: string | null;
  /** Douyin aftersale_status, Taobao status, WeChat status, as the platform spells it. */
  status: string;
  /** Douyin aftersale_type, Taobao dispute_type, WeChat type. */
  platformType: string;
  kind: RequestKind | null;
  /** Orders native states of one refund: Douyin update_time (Unix s), Taobao refund_version, WeChat update_time. */
  version: string;
  /** No version on the message (Douyin 209): it may add the intervention but never replaces a versioned state. */
  isPartial?: boolean;
  /** Douyin wants the push's update_time string back in /afterSale/operate. */
  updateTime?: string;
  /** Taobao onsale|aftersale. */
  refundPhase?: string;
  amountFen?: number;
  /** Platform intervention (Douyin arbitrate_status, Taobao cs_status / 介入 topics), null if none. */
  intervention: string | null;
};

export type MappedMessage = {
  events: WebhookEvent[];
  /** The refund's native state after this message, null when the message says nothing about one. */
  native: NativeRefund | null;
  /** Why the message produced no event (acknowledged, kept in the message log). */
  note?: string;
};

/** Per-shop settings of a platform app (db/schema-platforms.ts `settings`). */
export type PlatformAppSettings = {
  /** Category for orders whose detail names none (the platforms' after-sales details carry no category). */
  defaultCategory?: ProductCategory;
  /** Douyin receiver_address_id / Taobao seller_address_id / WeChat address_id for approved returns. */
  returnAddressId?: string;
  /** Our reject reason code → the platform's reject reason id (Douyin reject_reason_code, Taobao refuse_reason_id). */
  rejectReasonIds?: Record<string, string>;
  /** WeChat message-push token and EncodingAESKey (safe mode). */
  wechatToken?: string;
  wechatAesKey?: string;
  wechatAppId?: string;
  /** Tmall app: phase and version are required, and so is a refuse proof. */
  isTmall?: boolean;
  /** Taobao TMC group (default "default") and WebSocket endpoint (default ws://mc.api.taobao.com/). */
  tmcGroup?: string;
  tmcUrl?: string;
};

/** Our decision as the outbox carries it (lib/webhook/outbound.ts data). */
export type OutboundDecision = {
  requestId: string;
  decision: Decision;
  amountFen: number;
  reasonCode?: string;
  message?: string;
};

/** One HTTP call to a platform API, fully built and signed (the sender only performs it). */
export type PlatformCall = {
  method: "POST" | "GET";
  url: string;
  headers: Record<string, string>;
  body?: string | Uint8Array<ArrayBuffer>;
  /** The platform's API name (TOP method), which names its response. */
  apiMethod?: string;
};

// ---- What a connected shop needs beyond the refund message (docs/platforms/README.md)

export { orderFacts, type OrderFact } from "@/lib/domain";

/**
 * The order as the platform's order API tells it (Taobao taobao.trade.fullinfo.get, Douyin /order/orderDetail,
 * WeChat /channels/ec/order/get). Times are ISO instants; null means "known not to have happened yet".
 * A fact listed in `unknown` could not be read: its value here means nothing and the rules ignore it.
 */
export type OrderFacts = {
  shippedAt: string | null;
  receivedAt: string | null;
  completedAt: string | null;
  /** Our category when the platform's category maps to one, else the platform's own id/name verbatim. */
  category: string;
  priorRefund: PriorRefundState;
  subOrderId: string | null;
  title?: string;
  amountFen?: number;
  unknown: OrderFact[];
};

/** One of the platform's own reject reasons, as its API lists them for a kind. */
export type PlatformRejectReason = {
  /** The platform's id (Taobao reason_id, Douyin reject_reason_code, WeChat reject_reason_type): sent back as is. */
  id: string;
  /** The platform's own text, shown to the agent and sent where the API wants text (Douyin `reason`). */
  text: string;
  /** The platform's hint for this reason (Taobao reason_tips, Douyin evidence_description), if any. */
  tips: string | null;
  /** The platform wants proof with this reason (Douyin evidence_need=Y; every reason on Tmall). */
  isEvidenceRequired: boolean;
};

/** Why a card's button is disabled because the platform's API offers no such answer (labels: messages answerNotOffered.*). */
export const notOfferedReasons = [
  /** The platform's open API has no answer call for this kind at all (e.g. Tmall 维修, Taobao 换货). */
  "no_api_for_kind",
  /** This kind is answerable, but not in the state the refund is in now (e.g. a second-stage answer). */
  "no_api_for_state",
  /** 还价 / partial refund: the platform's API has no counter-offer call; negotiate in the seller backend. */
  "counter_offer_not_offered",
  /** Douyin 未发货仅退款: it cannot be refused; shipping the order is the refusal. */
  "unshipped_refund_cannot_reject",
  /** Re-opening the after-sales entry is done in the platform's seller backend, not through its API. */
  "entry_reopen_in_backend",
  /** The answer needs a parcel's logistics (Douyin exchange reship 311), which the desk does not hold. */
  "needs_logistics",
] as const;
export type NotOfferedReason = (typeof notOfferedReasons)[number];

export type AnswerAction = "approve" | "reject" | "counter_offer";

/** One cell of a platform's answer table: the API(s) its documents name for it, or why it is not offered. */
export type AnswerCell = { apis: readonly string[] } | { notOffered: NotOfferedReason };
export type AnswerTable = Record<RequestKind, Record<AnswerAction, AnswerCell>>;

/** What the decision endpoint knows when it asks whether the platform can take an answer (before the desk shows it). */
export type AnswerDraft = {
  kind: RequestKind;
  action: AnswerAction;
  /** The platform's state of the refund, null when no message of it has been stored yet. */
  native: NativeRefund | null;
  message: string;
  reasonCode: string | null;
  /** The platform's reasons for this kind (cached), null when they could not be read. */
  reasons: PlatformRejectReason[] | null;
  proof: readonly { name: string; type: string; sizeBytes: number }[];
};

/** An answer the platform's API cannot take for this card (checked before the desk says 已同意/已拒绝). */
export type AnswerProblem =
  /** The platform's API offers no answer for this kind/state/decision; `reason` is shown on the disabled button. */
  | { code: "answer_not_offered"; reason: NotOfferedReason }
  | { code: "message_length"; min: number; max: number; chars: number }
  | { code: "proof_required" }
  | { code: "proof_type"; fileName: string; type: string }
  | { code: "proof_too_large"; fileName: string; sizeBytes: number; maxBytes: number }
  | { code: "reason_not_platform"; reasonCode: string }
  /** The platform's reason list could not be read, so no reason id can be sent yet. */
  | { code: "reasons_unavailable" };

/** What the outbox learns from one answer attempt: a business refusal is final, anything else is retried. */
export type AnswerOutcome =
  | { ok: true; detail: string }
  /** The platform understood and refused (its code and words): never retried, the card goes back to the agents. */
  | { ok: false; refused: true; message: string; code?: string }
  /** Network error, timeout, 5xx, throttling, expired token: retried with backoff. */
  | { ok: false; refused: false; error: string };

/** A fresh access token (Douyin /token/refresh, Taobao taobao.top.auth.token.refresh, WeChat stable_token). */
export type TokenGrant = {
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken?: string | null;
  refreshTokenExpiresAt?: Date | null;
};
