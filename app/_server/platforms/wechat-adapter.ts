import type { PlatformApp } from "@/db/queries/platforms";
import type { AnswerInput, PlatformAdapter, ProofImage } from "@/app/_server/platforms/adapter";
import { fetchWechatDetail, getWechatConfig, performCall, type ClientDeps } from "@/app/_server/platforms/client";
import { shrinkImage } from "@/app/_server/platforms/proof-image";
import { runAnswerCalls } from "@/app/_server/platforms/run-calls";
import type { AnswerOutcome, NotOfferedReason, OrderFacts, PlatformCall } from "@/lib/platforms/types";
import { countWechatChars, getWechatAnswerStep, isWechatAlreadyAnswered, isWechatReasonType, wechatApis, wechatRejectTextMax } from "@/lib/platforms/wechat";
import {
  buildWechatAnswerCall,
  buildWechatCategoryCall,
  buildWechatImageUploadCall,
  buildWechatOrderCall,
  buildWechatProductCall,
  buildWechatRejectReasonsCall,
  buildWechatStableTokenCall,
  classifyWechatError,
  readWechatError,
  readWechatMediaId,
  readWechatRejectReasons,
  readWechatStableToken,
  wechatProofImage,
  wechatRejectScenes,
  type WechatApiConfig,
} from "@/lib/platforms/wechat-api";
import { parseWechatCategoryName, parseWechatOrder, parseWechatProductCategoryIds, wechatOrderFacts, type WechatCategory, type WechatOrder } from "@/lib/platforms/wechat-order";

// WeChat 小店 over its open API (docs/platforms/wechat.md): the order's facts, WeChat's own reject reasons, answers
// with the agent's proof uploaded as media ids, and the access token from stable_token.

type Refusal = Exclude<AnswerOutcome, { ok: true }>;

/** The line of an order one after-sale is about, as its detail names it. */
export type WechatOrderLineRef = { afterSaleOrderId: string; orderId: string; productId: string | null; skuId: string | null };

/** More earlier after-sales than this on one order: the prior-refund fact is left unknown rather than half read. */
const maxPriorAftersales = 10;

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function readCategory(deps: ClientDeps, config: WechatApiConfig, productId: string): Promise<WechatCategory | null> {
  try {
    const ids = parseWechatProductCategoryIds(await performCall(deps, buildWechatProductCall(config, productId)));
    if (ids.length === 0) return null;
    // The path's names are read side by side: a push is answered within WeChat's few seconds
    const names = await Promise.all(
      ids.map(async (catId) => {
        try {
          return parseWechatCategoryName(await performCall(deps, buildWechatCategoryCall(config, catId)));
        } catch (error) {
          console.warn(`[wechat] category ${catId}: ${describe(error)}`);
          return null;
        }
      }),
    );
    return names.every((name): name is string => name !== null) ? { names, ids } : { names: null, ids };
  } catch (error) {
    console.warn(`[wechat] product ${productId}: ${describe(error)}`);
    return null;
  }
}

/** The statuses of the line's other after-sales on this order; null when any of them could not be read. */
async function readPriorStatuses(deps: ClientDeps, app: PlatformApp, ref: WechatOrderLineRef, aftersaleIds: readonly string[]): Promise<string[] | null> {
  const others = [...new Set(aftersaleIds)].filter((id) => id !== ref.afterSaleOrderId);
  if (others.length > maxPriorAftersales) return null;
  const statuses: string[] = [];
  try {
    for (const id of others) {
      const detail = await fetchWechatDetail(deps, app, id);
      const isSameLine = ref.skuId && detail.skuId ? detail.skuId === ref.skuId : !ref.productId || !detail.productId || detail.productId === ref.productId;
      if (isSameLine) statuses.push(detail.status);
    }
  } catch (error) {
    console.warn(`[wechat] earlier after-sales of order ${ref.orderId}: ${describe(error)}`);
    return null;
  }
  return statuses;
}

/** The order's facts for one after-sale; what cannot be read is listed as unknown, never guessed. */
export async function fetchWechatOrderFacts(deps: ClientDeps, app: PlatformApp, ref: WechatOrderLineRef): Promise<OrderFacts> {
  const config = getWechatConfig(app);
  const fallbackCategory = app.settings.defaultCategory ?? "other";
  let order: WechatOrder;
  try {
    order = parseWechatOrder(await performCall(deps, buildWechatOrderCall(config, ref.orderId)), { productId: ref.productId, skuId: ref.skuId });
  } catch (error) {
    console.warn(`[wechat] order ${ref.orderId}: ${describe(error)}`);
    return wechatOrderFacts({ order: null, category: null, priorStatuses: null, fallbackCategory });
  }
  const productId = ref.productId ?? order.line?.productId ?? null;
  const [category, priorStatuses] = await Promise.all([
    productId ? readCategory(deps, config, productId) : null,
    order.aftersaleIds ? readPriorStatuses(deps, app, ref, order.aftersaleIds) : null,
  ]);
  return wechatOrderFacts({ order, category, priorStatuses, fallbackCategory });
}

// ---- answers

/** The desk's own refusal (the answer can never succeed as it is): the card goes back to the agents with these words. */
const refusedByDesk = (message: string): Refusal => ({ ok: false, refused: true, message });

const notOfferedWords: Record<NotOfferedReason, string> = {
  no_api_for_kind: "微信小店接口不能处理这类售后，请在微信小店后台处理",
  no_api_for_state: "售后单当前状态不能通过接口处理，请在微信小店后台查看",
  counter_offer_not_offered: "微信小店接口不支持还价，请在微信小店后台与买家协商",
  unshipped_refund_cannot_reject: "这笔售后不能拒绝",
  entry_reopen_in_backend: "重新打开售后入口需在微信小店后台操作",
  needs_logistics: "换货需要填写新商品的快递单号，请在微信小店后台发货",
};

const readRefusal = (body: unknown): Refusal | null => {
  const error = readWechatError(body);
  return error ? classifyWechatError(error) : null;
};

/** Each proof image re-encoded to fit img/upload and uploaded; their media ids in the order attached. */
async function uploadProof(deps: ClientDeps, config: WechatApiConfig, proof: readonly ProofImage[]): Promise<{ ok: true; mediaIds: string[] } | { ok: false; outcome: Refusal }> {
  const mediaIds: string[] = [];
  for (const [index, image] of proof.entries()) {
    let call: PlatformCall;
    try {
      const shrunk = await shrinkImage(image.bytes, wechatProofImage);
      call = buildWechatImageUploadCall(config, { bytes: shrunk.bytes, widthPx: shrunk.widthPx, heightPx: shrunk.heightPx, fileName: `proof-${index + 1}.${shrunk.extension}`, mimeType: shrunk.mimeType });
    } catch {
      return { ok: false, outcome: refusedByDesk(`举证图片「${image.name}」无法转换成微信可接收的图片（JPEG，不超过 2 MB），请换一张图片`) };
    }
    let body: unknown;
    try {
      body = await performCall(deps, call);
    } catch (error) {
      return { ok: false, outcome: { ok: false, refused: false, error: `img/upload: ${describe(error)}` } };
    }
    const error = readWechatError(body);
    if (error) return { ok: false, outcome: classifyWechatError(error) };
    const mediaId = readWechatMediaId(body);
    if (!mediaId) return { ok: false, outcome: { ok: false, refused: false, error: "img/upload answered without pic_file.media_id" } };
    mediaIds.push(mediaId);
  }
  return { ok: true, mediaIds };
}

async function answerWechat(deps: ClientDeps, app: PlatformApp, { native, decision, proof, reason }: AnswerInput): Promise<AnswerOutcome> {
  const found = getWechatAnswerStep(native, decision.decision);
  if (!found.ok) return refusedByDesk(notOfferedWords[found.reason]);
  const { step } = found;
  const config = getWechatConfig(app);
  const afterSaleOrderId = native.refundId;
  if (step.api === wechatApis.acceptApply) {
    const returnAddressId = app.settings.returnAddressId;
    if (step.needsAddress && !returnAddressId) return refusedByDesk("同意退货需要店铺的退货地址编号（address_id），请在店铺的平台设置里填写后重新处理");
    return runAnswerCalls(deps, [buildWechatAnswerCall(config, { afterSaleOrderId, step, returnAddressId })], readRefusal);
  }
  // decision.reasonCode is WeChat's own reject_reason_type (from rejectreason/get, cached per shop and kind)
  const reasonType = reason?.id ?? decision.reasonCode ?? "";
  if (!isWechatReasonType(reasonType)) return refusedByDesk("拒绝原因不是微信小店的拒绝原因，请从微信的原因列表里重新选择");
  // reject_reason may be left to WeChat's default description of the reason (rejectapply documents it as optional)
  const rejectText = (decision.message ?? "").trim() || reason?.tips || reason?.text || "";
  if (countWechatChars(rejectText) > wechatRejectTextMax) return refusedByDesk(`拒绝说明超过 ${wechatRejectTextMax} 字，请缩短后重新处理`);
  const uploaded = await uploadProof(deps, config, proof);
  if (!uploaded.ok) return uploaded.outcome;
  return runAnswerCalls(deps, [buildWechatAnswerCall(config, { afterSaleOrderId, step, reasonType: Number(reasonType), rejectText, mediaIds: uploaded.mediaIds })], readRefusal);
}

export const wechatAdapter: PlatformAdapter = {
  protocol: "wechat_ec",
  async fetchOrderFacts(deps, app, native) {
    try {
      const detail = await fetchWechatDetail(deps, app, native.refundId);
      return await fetchWechatOrderFacts(deps, app, { afterSaleOrderId: native.refundId, orderId: detail.orderId ?? native.orderId ?? "", productId: detail.productId, skuId: detail.skuId });
    } catch (error) {
      console.warn(`[wechat] after-sale ${native.refundId}: ${describe(error)}`);
      return wechatOrderFacts({ order: null, category: null, priorStatuses: null, fallbackCategory: app.settings.defaultCategory ?? "other" });
    }
  },
  async fetchRejectReasons(deps, app, kind) {
    if (wechatRejectScenes[kind].length === 0) return [];
    return readWechatRejectReasons(await performCall(deps, buildWechatRejectReasonsCall(getWechatConfig(app))), kind);
  },
  isAlreadyAnswered: isWechatAlreadyAnswered,
  answer: answerWechat,
  async refreshToken(deps, app) {
    const call = buildWechatStableTokenCall({ baseUrl: app.apiBaseUrl }, { appId: app.settings.wechatAppId ?? app.appKey, secret: app.appSecret });
    return readWechatStableToken(await performCall(deps, call), deps.now());
  },
};
