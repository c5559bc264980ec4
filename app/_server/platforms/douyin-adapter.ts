import type { PlatformApp } from "@/db/queries/platforms";
import type { PlatformAdapter, ProofImage } from "@/app/_server/platforms/adapter";
import { fetchDouyinDetail, getDouyinConfig, performCall, type ClientDeps } from "@/app/_server/platforms/client";
import { shrinkImage, type ShrinkTarget } from "@/app/_server/platforms/proof-image";
import { runAnswerCalls } from "@/app/_server/platforms/run-calls";
import type { NotOfferedReason } from "@/lib/platforms/types";
import { buildDouyinOperateParams, getDouyinOperate, isDouyinAlreadyAnswered, readDouyinOperateAnswer, type DouyinRejection } from "@/lib/platforms/douyin/answers";
import { buildDouyinApiCall, readDouyinResponse, type DouyinApiConfig } from "@/lib/platforms/douyin/open-api";
import { parseDouyinBinaryUpload, parseDouyinMaterial, parseDouyinRejectReasons, parseDouyinTokenGrant } from "@/lib/platforms/douyin-api";
import {
  getDouyinOrderFacts,
  parseDouyinAftersaleList,
  parseDouyinOrderDetail,
  parseDouyinShopCategories,
  type DouyinAftersaleSummary,
  type DouyinOrderDetail,
} from "@/lib/platforms/douyin-order";
import type { AnswerOutcome, OrderFacts, PlatformRejectReason } from "@/lib/platforms/types";
import { dayMs } from "@/lib/time";

// Douyin 抖店 over its open API (docs/platforms/douyin.md): order facts, the shop's reject reasons, answers with
// proof uploaded to the platform's material centre, and token refresh. The pure halves live in lib/platforms/douyin*.ts.

const nowS = (deps: ClientDeps) => Math.floor(deps.now().getTime() / 1000);

/** One signed call; throws on network errors, HTTP errors and bodies that are not JSON (performCall). */
async function callDouyin(deps: ClientDeps, config: DouyinApiConfig, path: string, params: unknown): Promise<unknown> {
  return performCall(deps, buildDouyinApiCall(config, path, params, nowS(deps)));
}

// ---- order facts

/** Which after-sale and sub-order the facts are for (the push carries p_id and s_id; the adapter reads them from the detail). */
export type DouyinOrderRef = { orderId: string | null; aftersaleId: string; aftersaleType: number | null; skuOrderId: string | null };

/**
 * Category names per API address and parent cid, shared by all shops of the process: the tree changes rarely and every shop's
 * /shop/getShopCategory names the same cids. Entries older than a day are read again.
 */
const categoryCache = new Map<string, { at: number; children: { id: string; name: string }[] }>();
const categoryCacheMs = dayMs;

async function getCategoryChildren(deps: ClientDeps, config: DouyinApiConfig, parentCid: string) {
  const key = `${config.baseUrl} ${parentCid}`;
  const cached = categoryCache.get(key);
  if (cached && deps.now().getTime() - cached.at < categoryCacheMs) return cached.children;
  const children = parseDouyinShopCategories(await callDouyin(deps, config, "/shop/getShopCategory", { cid: Number(parentCid) }));
  if (categoryCache.size > 2_000) categoryCache.clear();
  categoryCache.set(key, { at: deps.now().getTime(), children });
  return children;
}

/** first_cid … fourth_cid → their names, by asking each level's parent for its children. */
async function getCategoryNames(deps: ClientDeps, config: DouyinApiConfig, cids: string[]): Promise<string[] | null> {
  const names: string[] = [];
  let parent = "0";
  for (const cid of cids) {
    const name = (await getCategoryChildren(deps, config, parent)).find((child) => child.id === cid)?.name;
    if (!name) return names.length > 0 ? names : null;
    names.push(name);
    parent = cid;
  }
  return names.length > 0 ? names : null;
}

/** The order's after-sales, up to five pages of 100; null when they cannot all be read. */
async function listOrderAftersales(deps: ClientDeps, config: DouyinApiConfig, orderId: string): Promise<DouyinAftersaleSummary[] | null> {
  const items: DouyinAftersaleSummary[] = [];
  for (let page = 0; page < 5; page++) {
    const answer = parseDouyinAftersaleList(await callDouyin(deps, config, "/afterSale/List", { order_id: orderId, page, size: 100 }));
    items.push(...answer.items);
    if (!answer.hasMore) return items;
  }
  return null;
}

async function settle<T>(promise: Promise<T>): Promise<T | null> {
  try {
    return await promise;
  } catch (error) {
    console.warn("[douyin] order fact not read:", error instanceof Error ? error.message : error);
    return null;
  }
}

/**
 * The facts of one after-sale's sub-order: /order/orderDetail, /afterSale/List and the category names, each read
 * independently, so a failing API leaves only its own facts unknown. Never throws.
 */
export async function fetchDouyinOrderFacts(deps: ClientDeps, app: PlatformApp, ref: DouyinOrderRef): Promise<OrderFacts> {
  const config = getDouyinConfig(app);
  const [order, aftersales] = ref.orderId
    ? await Promise.all([
        settle<DouyinOrderDetail>(callDouyin(deps, config, "/order/orderDetail", { shop_order_id: ref.orderId }).then(parseDouyinOrderDetail)),
        settle(listOrderAftersales(deps, config, ref.orderId)),
      ])
    : [null, null];
  const sku = order?.skuOrders.find((candidate) => candidate.skuOrderId === ref.skuOrderId) ?? (order?.skuOrders.length === 1 ? order.skuOrders[0] : undefined);
  const categoryNames = sku && sku.cids.length > 0 ? await settle(getCategoryNames(deps, config, sku.cids)) : null;
  return getDouyinOrderFacts({ aftersaleId: ref.aftersaleId, aftersaleType: ref.aftersaleType, skuOrderId: ref.skuOrderId, order, aftersales, categoryNames });
}

// ---- answers

type Failure = Exclude<AnswerOutcome, { ok: true }>;
const refused = (message: string, code?: string): Failure => ({ ok: false, refused: true, message, ...(code ? { code } : {}) });
const transient = (error: string): Failure => ({ ok: false, refused: false, error });

const notOfferedMessages: Record<NotOfferedReason, string> = {
  no_api_for_kind: "抖店开放接口不能处理这类售后，请在抖店后台处理",
  no_api_for_state: "售后单当前状态下抖店开放接口没有对应操作，请在抖店后台处理",
  counter_offer_not_offered: "抖店开放接口不支持还价，请在抖店后台与买家协商",
  unshipped_refund_cannot_reject: "未发货仅退款不能拒绝：发货即视为拒绝",
  entry_reopen_in_backend: "重新开启售后入口需在抖店后台操作",
  needs_logistics: "换货二次同意需要填写换货物流单号，请在抖店后台处理",
};

/**
 * Proof images as the material centre takes them (docs/platforms/douyin.md "Proof"): no public source states
 * its size limit, so JPEG under 1 MB at most 2000 px on the longest side is our own conservative choice.
 */
export const douyinProofTarget: ShrinkTarget = { maxBytes: 1_000_000, maxSidePx: 2000, format: "jpeg" };

/**
 * One proof image → a URL the platform accepts in operate's evidence: /open/binaryupload (the bytes, base64) →
 * /material/uploadImageSync (file_uri) → the byte_url of the audited material (/material/queryMaterialDetail when
 * the upload answer has none). A failed upload or an audit still running is retried; a rejected image is refused.
 */
async function uploadProof(deps: ClientDeps, config: DouyinApiConfig, proof: ProofImage, name: string): Promise<{ ok: true; url: string } | { ok: false; outcome: Failure }> {
  let shrunk;
  try {
    shrunk = await shrinkImage(proof.bytes, douyinProofTarget);
  } catch {
    return { ok: false, outcome: refused(`凭证图片「${proof.name.slice(0, 40)}」无法转换为抖店接受的图片`) };
  }
  try {
    const storeUri = parseDouyinBinaryUpload(await callDouyin(deps, config, "/open/binaryupload", { file_content: Buffer.from(shrunk.bytes).toString("base64") }));
    let material = parseDouyinMaterial(
      await callDouyin(deps, config, "/material/uploadImageSync", { folder_id: "0", file_uri: storeUri, material_name: name.slice(0, 50), need_distinct: true }),
    );
    if (material.auditStatus !== 4 && !(material.auditStatus === 3 && material.byteUrl)) {
      material = parseDouyinMaterial(await callDouyin(deps, config, "/material/queryMaterialDetail", { material_id: material.materialId }));
    }
    if (material.auditStatus === 4) return { ok: false, outcome: refused(`凭证图片未通过抖店素材审核${material.rejectReason ? `：${material.rejectReason}` : ""}`) };
    if (material.auditStatus === 3 && material.byteUrl) return { ok: true, url: material.byteUrl };
    return { ok: false, outcome: transient("凭证图片正在抖店素材审核中，稍后重试") };
  } catch (error) {
    return { ok: false, outcome: transient(`凭证图片上传抖店失败：${error instanceof Error ? error.message : String(error)}`) };
  }
}

async function fetchRejectReasons(deps: ClientDeps, app: PlatformApp): Promise<PlatformRejectReason[]> {
  return parseDouyinRejectReasons(await callDouyin(deps, getDouyinConfig(app), "/afterSale/rejectReasonCodeList", {}));
}

export const douyinAdapter: PlatformAdapter = {
  protocol: "douyin_push",

  /** The refund's sub-order comes from /afterSale/Detail (the stored native state names only the parent order). */
  async fetchOrderFacts(deps, app, native) {
    let skuOrderId: string | null = null;
    let orderId = native.orderId;
    try {
      const detail = await fetchDouyinDetail(deps, app, native.refundId);
      skuOrderId = detail.skuOrders.length === 1 ? detail.skuOrders[0].skuOrderId : null;
      orderId ??= detail.orderId;
    } catch (error) {
      console.warn("[douyin] after-sale detail not read for its facts:", error instanceof Error ? error.message : error);
    }
    const aftersaleType = /^\d+$/.test(native.platformType) ? Number(native.platformType) : null;
    return fetchDouyinOrderFacts(deps, app, { orderId, aftersaleId: native.refundId, aftersaleType, skuOrderId });
  },

  /** One list for every kind: /afterSale/rejectReasonCodeList takes no kind. */
  async fetchRejectReasons(deps, app) {
    return fetchRejectReasons(deps, app);
  },

  isAlreadyAnswered: isDouyinAlreadyAnswered,

  async answer(deps, app, input) {
    const { native, decision } = input;
    const config = getDouyinConfig(app);
    const action = decision.decision === "reject" ? "reject" : "approve";
    const operate = getDouyinOperate(native, action);
    if (!operate.ok) return refused(notOfferedMessages[operate.reason], operate.reason);
    const returnAddressId = app.settings.returnAddressId;
    if (operate.needsReturnAddress && !returnAddressId) return refused("该抖店连接未设置退货地址，无法同意退货或换货：请在平台连接中填写");
    let rejection: DouyinRejection | undefined;
    if (action === "reject") {
      let reason = input.reason;
      if (!reason && decision.reasonCode) {
        try {
          reason = (await fetchRejectReasons(deps, app)).find((candidate) => candidate.id === decision.reasonCode) ?? null;
        } catch (error) {
          return transient(`抖店拒绝原因读取失败：${error instanceof Error ? error.message : String(error)}`);
        }
      }
      if (!reason) return refused(`拒绝原因「${decision.reasonCode ?? ""}」不在抖店的拒绝原因列表中`);
      const remark = decision.message?.trim() ?? "";
      if (!remark) return refused("拒绝抖店售后需要填写拒绝说明");
      if (reason.isEvidenceRequired && input.proof.length === 0) return refused(`拒绝原因「${reason.text}」需要上传凭证`);
      const evidence: DouyinRejection["evidence"] = [];
      for (const [index, proof] of input.proof.entries()) {
        const uploaded = await uploadProof(deps, config, proof, `desk-proof-${native.refundId}-${index + 1}.jpg`);
        if (!uploaded.ok) return uploaded.outcome;
        evidence.push({ url: uploaded.url, desc: `凭证${index + 1}` });
      }
      rejection = { reasonCode: reason.id, reasonText: reason.text, remark, evidence };
    }
    const params = buildDouyinOperateParams(native, operate.type, { returnAddressId, rejection });
    return runAnswerCalls(deps, [buildDouyinApiCall(config, "/afterSale/operate", params, nowS(deps))], (body) => {
      const answer = readDouyinOperateAnswer(body);
      if (answer.ok) return null;
      return answer.transient ? transient(`抖店暂时无法处理（${answer.code}）：${answer.message}`) : refused(answer.message, answer.code);
    });
  },

  /** /token/refresh with the stored refresh token (grant_type refresh_token); token calls carry no access_token. */
  async refreshToken(deps, app) {
    if (!app.refreshToken) throw new Error("该抖店连接没有 refresh_token，需要商家重新授权");
    const body = await callDouyin(deps, { ...getDouyinConfig(app), accessToken: null }, "/token/refresh", { grant_type: "refresh_token", refresh_token: app.refreshToken });
    const result = readDouyinResponse(body);
    if (!result.ok) throw new Error(`抖店刷新 access_token 失败（${result.code}）：${result.message}`);
    return parseDouyinTokenGrant(body, deps.now(), app.platformShopId);
  },
};
