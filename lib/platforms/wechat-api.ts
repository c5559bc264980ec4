import { createHash } from "node:crypto";
import type { RequestKind } from "@/lib/domain";
import { wechatApis, type WechatAnswerStep } from "@/lib/platforms/wechat";
import type { AnswerOutcome, PlatformCall, PlatformRejectReason, TokenGrant } from "@/lib/platforms/types";

// WeChat 小店 open-API calls, built here and performed by app/_server/platforms (docs/platforms/wechat.md lists each
// path and field with its source). Every call is a POST with ?access_token= except stable_token, which takes the
// app's own appid and secret.

export type WechatApiConfig = { baseUrl: string; accessToken: string };

const base = (config: { baseUrl: string }) => config.baseUrl.replace(/\/$/, "");

const post = (config: WechatApiConfig, path: string, body: unknown): PlatformCall => ({
  method: "POST",
  url: `${base(config)}${path}?access_token=${encodeURIComponent(config.accessToken)}`,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
  apiMethod: path,
});

export const wechatPaths = {
  detail: "/channels/ec/aftersale/getaftersaleorder",
  order: "/channels/ec/order/get",
  product: "/channels/ec/product/get",
  categoryDetail: "/channels/ec/category/detail",
  rejectReasons: "/channels/ec/aftersale/rejectreason/get",
  imageUpload: "/channels/ec/basics/img/upload",
  stableToken: "/cgi-bin/stable_token",
  ...wechatApis,
} as const;

export function buildWechatDetailCall(config: WechatApiConfig, afterSaleOrderId: string): PlatformCall {
  return post(config, wechatPaths.detail, { after_sale_order_id: afterSaleOrderId });
}

export function buildWechatOrderCall(config: WechatApiConfig, orderId: string): PlatformCall {
  return post(config, wechatPaths.order, { order_id: orderId });
}

/** data_type 1: the product as it is on sale (WxJava WxChannelProductService.getProduct). */
export function buildWechatProductCall(config: WechatApiConfig, productId: string): PlatformCall {
  return post(config, wechatPaths.product, { product_id: productId, data_type: 1 });
}

/** cat_id goes as a JSON number (WxJava WxChannelCategoryServiceImpl, SKIT ChannelsECCategoryDetailRequest sample). */
export function buildWechatCategoryCall(config: WechatApiConfig, catId: string): PlatformCall {
  return post(config, wechatPaths.categoryDetail, { cat_id: Number.isSafeInteger(Number(catId)) ? Number(catId) : catId });
}

/** The documented request is an empty JSON object. */
export function buildWechatRejectReasonsCall(config: WechatApiConfig): PlatformCall {
  return post(config, wechatPaths.rejectReasons, {});
}

/** force_refresh false: a token still valid is returned as is, so two callers never invalidate each other. */
export function buildWechatStableTokenCall(config: { baseUrl: string }, app: { appId: string; secret: string }): PlatformCall {
  return {
    method: "POST",
    url: `${base(config)}${wechatPaths.stableToken}`,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ grant_type: "client_credential", appid: app.appId, secret: app.secret, force_refresh: false }),
    apiMethod: wechatPaths.stableToken,
  };
}

/**
 * Proof images upload as upload_type=0 (bytes, multipart field `media`) with resp_type=0 (answer: media_id), and the
 * image's height and width in the query. The limit for resp_type=0 is 2 MB (docs/platforms/wechat.md).
 */
export const wechatProofImage = { maxBytes: 2_000_000, maxSidePx: 2000, format: "jpeg" } as const;

export function buildWechatImageUploadCall(config: WechatApiConfig, image: { bytes: Uint8Array; widthPx: number; heightPx: number; fileName: string; mimeType: string }): PlatformCall {
  // A boundary from the bytes' own digest never occurs in them (and keeps the call deterministic)
  const boundary = `----wxproof${createHash("sha256").update(image.bytes).digest("hex").slice(0, 32)}`;
  const encoder = new TextEncoder();
  const head = encoder.encode(`--${boundary}\r\nContent-Disposition: form-data; name="media"; filename="${image.fileName.replace(/["\r\n\\]/g, "_")}"\r\nContent-Type: ${image.mimeType}\r\n\r\n`);
  const tail = encoder.encode(`\r\n--${boundary}--\r\n`);
  const body = new Uint8Array(head.length + image.bytes.length + tail.length);
  body.set(head, 0);
  body.set(image.bytes, head.length);
  body.set(tail, head.length + image.bytes.length);
  const query = new URLSearchParams({ access_token: config.accessToken, upload_type: "0", resp_type: "0", height: String(image.heightPx), width: String(image.widthPx) });
  return { method: "POST", url: `${base(config)}${wechatPaths.imageUpload}?${query}`, headers: { "content-type": `multipart/form-data; boundary=${boundary}` }, body, apiMethod: wechatPaths.imageUpload };
}

// ---- reading answers

export type WechatError = { errcode: number; errmsg: string };

/** The business error in a body (errcode ≠ 0), null when the call succeeded. */
export function readWechatError(body: unknown): WechatError | null {
  if (!body || typeof body !== "object") return { errcode: -1, errmsg: "The answer is not a JSON object" };
  const { errcode, errmsg } = body as { errcode?: unknown; errmsg?: unknown };
  if (errcode === undefined || errcode === null || Number(errcode) === 0) return null;
  return { errcode: Number(errcode), errmsg: typeof errmsg === "string" && errmsg ? errmsg : `errcode ${String(errcode)}` };
}

/**
 * Errcodes that say "try again later": -1 system busy, 40001 / 40014 / 42001 the access token is invalid or expired
 * (the token upkeep replaces it), 45009 the API's frequency limit, 10021044 "当前用户太多，请稍后再试" and 10021059
 * (one refund call per order per minute). Every other errcode is WeChat refusing this answer.
 */
export const wechatTransientErrcodes: ReadonlySet<number> = new Set([-1, 40001, 40014, 42001, 45009, 10021044, 10021059]);

export function classifyWechatError(error: WechatError): Exclude<AnswerOutcome, { ok: true }> {
  const words = `${error.errmsg} (errcode ${error.errcode})`;
  return wechatTransientErrcodes.has(error.errcode) ? { ok: false, refused: false, error: words } : { ok: false, refused: true, message: error.errmsg, code: String(error.errcode) };
}

/** pic_file.media_id of an image upload (SKIT ChannelsECBasicsImageUploadResponse sample). */
export function readWechatMediaId(body: unknown): string | null {
  const file = (body as { pic_file?: { media_id?: unknown } } | null)?.pic_file;
  return typeof file?.media_id === "string" && file.media_id ? file.media_id : null;
}

/** stable_token → a grant; WeChat's access tokens have no refresh token (the app's secret gets the next one). */
export function readWechatStableToken(body: unknown, now: Date): TokenGrant {
  const error = readWechatError(body);
  if (error) throw new Error(`stable_token: ${error.errmsg} (errcode ${error.errcode})`);
  const { access_token: accessToken, expires_in: expiresIn } = body as { access_token?: unknown; expires_in?: unknown };
  const seconds = Number(expiresIn);
  if (typeof accessToken !== "string" || !accessToken || !Number.isFinite(seconds) || seconds <= 0) throw new Error("stable_token: the answer has no access_token / expires_in");
  return { accessToken, accessTokenExpiresAt: new Date(now.getTime() + seconds * 1000), refreshToken: null, refreshTokenExpiresAt: null };
}

/** reject_scene of each kind's reasons (getaftersalerejectreason): 1 仅退款, 4 退货退款, 5 换货申请, 6 换货发出新商品. */
export const wechatRejectScenes: Record<RequestKind, readonly number[]> = { refund_only: [1], return_refund: [4], exchange: [5, 6], repair: [], entry_reopen: [] };

/**
 * The reasons WeChat lists for a kind. The documents name the list `reason_list`; shops report it answered as
 * `reject_reason_list`, so either is read. A reason without reject_scene is offered for every kind that has an API.
 */
export function readWechatRejectReasons(body: unknown, kind: RequestKind): PlatformRejectReason[] {
  const error = readWechatError(body);
  if (error) throw new Error(`rejectreason/get: ${error.errmsg} (errcode ${error.errcode})`);
  const root = body as { reason_list?: unknown; reject_reason_list?: unknown };
  const list = Array.isArray(root.reason_list) ? root.reason_list : Array.isArray(root.reject_reason_list) ? root.reject_reason_list : null;
  if (!list) throw new Error("rejectreason/get: the answer has no reason_list");
  const scenes = wechatRejectScenes[kind];
  const reasons = new Map<string, PlatformRejectReason>();
  for (const item of list as Record<string, unknown>[]) {
    const type = item?.reject_reason_type;
    if ((typeof type !== "number" && typeof type !== "string") || !/^\d{1,9}$/.test(String(type))) continue;
    const scene = item.reject_scene === undefined || item.reject_scene === null ? null : Number(item.reject_scene);
    if (scenes.length === 0 || (scene !== null && !scenes.includes(scene))) continue;
    const id = String(type);
    if (reasons.has(id)) continue;
    const label = typeof item.reject_reason_type_text === "string" && item.reject_reason_type_text ? item.reject_reason_type_text : id;
    const defaultText = typeof item.reject_reason === "string" && item.reject_reason ? item.reject_reason : null;
    reasons.set(id, { id, text: label, tips: defaultText, isEvidenceRequired: false });
  }
  return [...reasons.values()];
}

// ---- the answer calls

export type WechatAnswerInput = {
  afterSaleOrderId: string;
  step: WechatAnswerStep;
  /** address_id for accept_type 1 (the shop's return address in WeChat's address book). */
  returnAddressId?: string;
  /** reject_reason_type, reject_reason and the uploaded proof's media ids (rejections). */
  reasonType?: number;
  rejectText?: string;
  mediaIds?: readonly string[];
};

/** The call for one answer step; address and reason checks happen before (app/_server/platforms/wechat-adapter.ts). */
export function buildWechatAnswerCall(config: WechatApiConfig, input: WechatAnswerInput): PlatformCall {
  const { step, afterSaleOrderId } = input;
  if (step.api === wechatApis.acceptApply) {
    return post(config, step.api, { after_sale_order_id: afterSaleOrderId, ...(step.needsAddress ? { address_id: input.returnAddressId } : {}), accept_type: step.acceptType });
  }
  return post(config, step.api, {
    after_sale_order_id: afterSaleOrderId,
    reject_reason: input.rejectText ?? "",
    reject_reason_type: input.reasonType,
    // rejectexchangereship documents reject_certificates; for rejectapply it is WxJava's field (unverified, docs)
    ...(input.mediaIds?.length ? { reject_certificates: [...input.mediaIds] } : {}),
  });
}
