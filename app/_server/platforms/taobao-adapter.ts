import type { PlatformApp } from "@/db/queries/platforms";
import type { AnswerInput, PlatformAdapter } from "@/app/_server/platforms/adapter";
import { performCall, type ClientDeps } from "@/app/_server/platforms/client";
import { shrinkImage } from "@/app/_server/platforms/proof-image";
import { runAnswerCalls } from "@/app/_server/platforms/run-calls";
import type { RequestKind } from "@/lib/domain";
import { PlatformMessageError } from "@/lib/platforms/common";
import { classifyTopError, isTaobaoAlreadyAnswered, readTaobaoAnswer, type AnswerRefusal } from "@/lib/platforms/taobao/answer-results";
import { buildTaobaoAnswerParams, measureRefuseMessage, parseTaobaoAddresses, pickReturnAddress, routeTaobaoAnswer, type TaobaoAddress } from "@/lib/platforms/taobao/answers";
import { getExchangeDisputeType, parseTaobaoRefuseReasons, parseTmallExchangeRefuseReasons, taobaoRefuseReasonFields } from "@/lib/platforms/taobao/refuse-reasons";
import { buildTopCall, parseTaobaoTokenRefresh, TopApiError, type TopConfig, type TopFile } from "@/lib/platforms/taobao/top-api";
import { resolveTaobaoCategory, type TaobaoCategoryNode } from "@/lib/platforms/taobao-categories";
import { findSubOrder, mapTaobaoOrderFacts, parseTaobaoItemCats, parseTaobaoTrade, taobaoTradeFields } from "@/lib/platforms/taobao-orders";
import { orderFacts, type NativeRefund, type NotOfferedReason, type OrderFacts, type PlatformRejectReason } from "@/lib/platforms/types";

// Taobao/Tmall over the TOP API (docs/platforms/taobao.md): the order's facts (trade.fullinfo.get + itemcats.get),
// the platform's reject reasons, the answer calls with the proof converted to what each API takes, token refresh.

export function getTopConfig(app: PlatformApp): TopConfig {
  return { baseUrl: app.apiBaseUrl, appKey: app.appKey, appSecret: app.appSecret, session: app.accessToken };
}

async function callTop(deps: ClientDeps, app: PlatformApp, method: string, params: Record<string, string>, file?: TopFile): Promise<unknown> {
  return performCall(deps, buildTopCall(getTopConfig(app), method, params, deps.now(), file));
}

/** itemcats.get answers per cid, and a cid's name and parent hardly change: kept for the process's life. */
const categoryCache = new Map<string, TaobaoCategoryNode>();

/** The category path from a leaf cid up to its top level (parent_cid 0), each level read once per process. */
export async function readTaobaoCategoryPath(deps: ClientDeps, app: PlatformApp, cid: string): Promise<TaobaoCategoryNode[]> {
  const path: TaobaoCategoryNode[] = [];
  let current: string | null = cid;
  for (let depth = 0; current && current !== "0" && depth < 8; depth++) {
    const wanted: string = current;
    let node = categoryCache.get(wanted);
    if (!node) {
      node = parseTaobaoItemCats(await callTop(deps, app, "taobao.itemcats.get", { cids: wanted, fields: "cid,parent_cid,name,is_parent" })).find((entry) => entry.cid === wanted);
      if (!node) break;
      categoryCache.set(wanted, node);
    }
    path.push(node);
    current = node.parentCid;
  }
  return path;
}

export function clearTaobaoCategoryCache(): void {
  categoryCache.clear();
}

export type TaobaoOrderRead = { facts: OrderFacts; tradeModified: string | null };

/** The order's facts for one refund; throws when the trade cannot be read (the caller then ingests with them unknown). */
export async function fetchTaobaoOrderFacts(deps: ClientDeps, app: PlatformApp, refund: { refundId: string; tid: string; oid: string | null }): Promise<TaobaoOrderRead> {
  const trade = parseTaobaoTrade(await callTop(deps, app, "taobao.trade.fullinfo.get", { tid: refund.tid, fields: taobaoTradeFields }));
  const order = findSubOrder(trade, refund);
  let category: string | null = null;
  if (order?.cid) {
    try {
      category = resolveTaobaoCategory(order.cid, await readTaobaoCategoryPath(deps, app, order.cid));
    } catch (error) {
      // The category names could not be read: the platform's cid itself is kept (shown as 类目未识别)
      console.error(`[taobao] itemcats.get for cid ${order.cid}:`, error instanceof Error ? error.message : error);
      category = order.cid;
    }
  }
  return { facts: mapTaobaoOrderFacts(trade, refund, category), tradeModified: trade.modified };
}

/**
 * The platform's reasons for refusing this refund: taobao.refund.refusereason.get (refund_id, refund_phase) for
 * refunds and returns, tmall.exchange.refusereason.get (dispute_id) for a 天猫换货; none for kinds without an API.
 */
export async function fetchTaobaoRejectReasons(deps: ClientDeps, app: PlatformApp, native: NativeRefund): Promise<PlatformRejectReason[]> {
  const isTmall = app.settings.isTmall === true;
  if (native.kind === "exchange") {
    if (!isTmall || native.platformType !== "TMALL_EXCHANGE") return [];
    const body = await callTop(deps, app, "tmall.exchange.refusereason.get", { dispute_id: native.refundId, dispute_type: getExchangeDisputeType(native.refundPhase), fields: "reason_id,reason_text" });
    return parseTmallExchangeRefuseReasons(body);
  }
  if (native.kind !== "refund_only" && native.kind !== "return_refund") return [];
  if (!native.refundPhase) throw new PlatformMessageError(`taobao.refund.refusereason.get needs refund_phase, unknown for refund ${native.refundId}`);
  const body = await callTop(deps, app, "taobao.refund.refusereason.get", { refund_id: native.refundId, refund_phase: native.refundPhase, fields: taobaoRefuseReasonFields });
  return parseTaobaoRefuseReasons(body, isTmall);
}

/** The words an agent reads when the desk itself cannot send the answer (the platform never saw it). */
const notOfferedWords: Record<NotOfferedReason, string> = {
  no_api_for_kind: "淘宝/天猫开放接口不提供这类售后的处理，请在商家后台处理",
  no_api_for_state: "这笔售后当前的状态不能通过接口处理，请在商家后台查看",
  counter_offer_not_offered: "开放接口不提供还价，请在商家后台与买家协商",
  unshipped_refund_cannot_reject: "未发货的仅退款不能拒绝",
  entry_reopen_in_backend: "重新开放售后入口需在商家后台操作",
  needs_logistics: "这项处理需要物流单号，请在商家后台操作",
};

const refusedByDesk = (code: string, message: string): AnswerRefusal => ({ ok: false, refused: true, code, message });

/** Finds the seller address an agree needs: the configured id (Tmall needs only it), else the library's. */
async function findAddress(deps: ClientDeps, app: PlatformApp, needsDetails: boolean): Promise<{ address: TaobaoAddress | null; addressId: string | null }> {
  const configured = app.settings.returnAddressId;
  if (configured && !needsDetails) return { address: null, addressId: configured };
  const addresses = parseTaobaoAddresses(await callTop(deps, app, "taobao.logistics.address.search", {}));
  const address = pickReturnAddress(addresses, configured);
  return { address, addressId: address?.contactId ?? null };
}

async function answer(deps: ClientDeps, app: PlatformApp, input: AnswerInput) {
  const { native, decision } = input;
  const isTmall = app.settings.isTmall === true;
  const action = decision.decision === "approve" ? "approve" : "reject";
  const route = routeTaobaoAnswer(native, action, isTmall);
  // The decision endpoint disables these; one that got through anyway goes back to the agents, no call made
  if (!route.ok) return refusedByDesk("answer_not_offered", notOfferedWords[route.notOffered]);
  let file: TopFile | undefined;
  let reasonId: string | null = null;
  if (action === "reject") {
    reasonId = decision.reasonCode ?? input.reason?.id ?? null;
    if (!reasonId) return refusedByDesk("reason_missing", "拒绝需选择平台提供的拒绝原因");
    if (!measureRefuseMessage(decision.message).ok) return refusedByDesk("message_length", "拒绝说明需为 2–200 个字");
    // Each refuse API takes one image and the desk lets a Taobao/Tmall rejection carry one (lib/policy/profiles.ts):
    // more than that is never cut down to the first, it goes back to the agents
    if (input.proof.length > 1) return refusedByDesk("proof_too_many", `淘宝/天猫拒绝只能附 1 张凭证图片（这次附了 ${input.proof.length} 张），请只留一张后重新拒绝`);
    const [proof] = input.proof;
    if (route.proof && proof) {
      try {
        const shrunk = await shrinkImage(proof.bytes, { maxBytes: route.proof.maxBytes, maxSidePx: route.proof.maxBytes > 1_000_000 ? 2560 : 1600, format: "jpeg" });
        file = { field: route.proof.field, name: `${(proof.name.replace(/\.[^.]*$/, "") || "proof").slice(0, 60)}.${shrunk.extension}`, mimeType: shrunk.mimeType, bytes: shrunk.bytes };
      } catch {
        return refusedByDesk("proof_unconvertible", "凭证图片无法转换成平台接受的 JPG 图片，请换一张图片");
      }
    } else if (route.proof?.isRequired) return refusedByDesk("proof_required", "天猫拒绝需上传凭证图片");
  }
  let address: { address: TaobaoAddress | null; addressId: string | null } = { address: null, addressId: null };
  if (route.needsAddress) {
    try {
      address = await findAddress(deps, app, !isTmall && route.method === "taobao.rp.returngoods.agree");
    } catch (error) {
      if (error instanceof TopApiError) return classifyTopError(error);
      return { ok: false as const, refused: false as const, error: error instanceof Error ? error.message : String(error) };
    }
    if (!address.addressId) return refusedByDesk("no_return_address", "没有找到退货地址：请在平台连接里填写地址库编号，或在商家后台设置默认退货地址");
  }
  let params: Record<string, string>;
  try {
    params = buildTaobaoAnswerParams(route.method, native, decision, { isTmall, reasonId, ...address });
  } catch (error) {
    return { ok: false as const, refused: false as const, error: error instanceof Error ? error.message : String(error) };
  }
  const call = buildTopCall(getTopConfig(app), route.method, params, deps.now(), file);
  return runAnswerCalls(deps, [call], (body, sent) => readTaobaoAnswer(body, sent.apiMethod ?? route.method, native.refundId));
}

export const taobaoAdapter: PlatformAdapter = {
  protocol: "taobao_tmc",
  async fetchOrderFacts(deps, app, native) {
    if (!native.orderId) return { shippedAt: null, receivedAt: null, completedAt: null, category: "", priorRefund: "unknown", subOrderId: null, unknown: [...orderFacts] };
    return (await fetchTaobaoOrderFacts(deps, app, { refundId: native.refundId, tid: native.orderId, oid: null })).facts;
  },
  /** Taobao's reason lists are per refund: pass the refund (the consumer does, and caches them per kind). */
  async fetchRejectReasons(deps: ClientDeps, app: PlatformApp, kind: RequestKind, native?: NativeRefund | null) {
    if (!native || native.kind !== kind) throw new PlatformMessageError("Taobao lists reject reasons per refund (refund_id, refund_phase): they are read as each refund arrives");
    return fetchTaobaoRejectReasons(deps, app, native);
  },
  isAlreadyAnswered: isTaobaoAlreadyAnswered,
  answer,
  async refreshToken(deps, app) {
    if (!app.refreshToken) throw new Error("No refresh_token stored for this Taobao shop: authorize the app again");
    // The refresh call carries no session; only 服务市场 subscription apps may refresh (docs/platforms/taobao.md)
    const config = { ...getTopConfig(app), session: null };
    const body = await performCall(deps, buildTopCall(config, "taobao.top.auth.token.refresh", { refresh_token: app.refreshToken }, deps.now()));
    return parseTaobaoTokenRefresh(body, deps.now());
  },
};
