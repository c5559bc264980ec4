import type { Decision, RequestKind } from "@/lib/domain";
import type { ProductCategory } from "@/lib/policy/categories";
import type { WebhookEvent } from "@/lib/webhook/events";

// What every adapter hands the shared ingest (issue 11): our own events (so dedupe, ordering and storage
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

export type AnswerPlan = { ok: true; calls: PlatformCall[] } | { ok: false; error: string };
