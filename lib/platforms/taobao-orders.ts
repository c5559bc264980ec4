import type { OrderFact, PriorRefundState } from "@/lib/domain";
import { PlatformMessageError, toIdString } from "@/lib/platforms/common";
import type { TaobaoCategoryNode } from "@/lib/platforms/taobao-categories";
import { readTopList, readTopResponse, readTopTime } from "@/lib/platforms/taobao/top-api";
import type { OrderFacts } from "@/lib/platforms/types";

// The order behind a Taobao/Tmall refund (docs/platforms/taobao.md "Order facts"): taobao.trade.fullinfo.get's
// trade and sub-orders → OrderFacts, and taobao.itemcats.get's categories. Field names from bububa/opentaobao
// metadata/assets/json/tbtrade/taobao_trade_fullinfo_get.json and category/taobao_itemcats_get.json.

/** `orders` returns every sub-order field; the trade's own fields are listed one by one. */
export const taobaoTradeFields = "tid,status,consign_time,end_time,modified,orders";

export type TaobaoSubOrder = {
  oid: string;
  cid: string | null;
  status: string | null;
  refundId: string | null;
  refundStatus: string | null;
  consignTime: string | null;
  endTime: string | null;
  title: string | null;
};

export type TaobaoTrade = {
  tid: string;
  status: string | null;
  consignTime: string | null;
  endTime: string | null;
  modified: string | null;
  orders: TaobaoSubOrder[];
};

const text = (value: unknown) => (typeof value === "string" && value ? value : null);
const id = (value: unknown, field: string) => (value === undefined || value === null || value === "" ? null : toIdString(value, field));

export function parseTaobaoTrade(body: unknown): TaobaoTrade {
  const trade = readTopResponse(body, "taobao.trade.fullinfo.get").trade as Record<string, unknown> | undefined;
  if (!trade || typeof trade !== "object") throw new PlatformMessageError("taobao.trade.fullinfo.get: no trade");
  return {
    tid: toIdString(trade.tid, "trade.tid"),
    status: text(trade.status),
    consignTime: readTopTime(trade.consign_time, "trade.consign_time"),
    endTime: readTopTime(trade.end_time, "trade.end_time"),
    modified: readTopTime(trade.modified, "trade.modified"),
    orders: readTopList(trade.orders, "order").map((order, index) => ({
      oid: toIdString(order.oid, `orders[${index}].oid`),
      cid: id(order.cid, `orders[${index}].cid`),
      status: text(order.status),
      refundId: id(order.refund_id, `orders[${index}].refund_id`),
      refundStatus: text(order.refund_status),
      consignTime: readTopTime(order.consign_time, `orders[${index}].consign_time`),
      endTime: readTopTime(order.end_time, `orders[${index}].end_time`),
      title: text(order.title),
    })),
  };
}

/** taobao.itemcats.get → its categories (item_cats.item_cat[]: cid, parent_cid, name). */
export function parseTaobaoItemCats(body: unknown): TaobaoCategoryNode[] {
  const inner = readTopResponse(body, "taobao.itemcats.get");
  return readTopList(inner.item_cats, "item_cat").flatMap((cat) => {
    const cid = id(cat.cid, "item_cat.cid");
    return cid ? [{ cid, name: text(cat.name), parentCid: id(cat.parent_cid, "item_cat.parent_cid") }] : [];
  });
}

/** Before the seller ships: nothing can have been shipped or received. */
const unshippedStatuses = new Set(["TRADE_NO_CREATE_PAY", "WAIT_BUYER_PAY", "WAIT_SELLER_SEND_GOODS", "PAY_PENDING", "WAIT_PRE_AUTH_CONFIRM", "TRADE_CLOSED_BY_TAOBAO"]);

/** The sub-order a refund is about: by oid, else by its latest refund_id, else the only one. */
export function findSubOrder(trade: TaobaoTrade, refund: { refundId: string; oid: string | null }): TaobaoSubOrder | null {
  return (
    (refund.oid ? trade.orders.find((order) => order.oid === refund.oid) : undefined) ??
    trade.orders.find((order) => order.refundId === refund.refundId) ??
    (trade.orders.length === 1 ? trade.orders[0] : null)
  );
}

/**
 * The facts the rules read (docs/platforms/taobao.md "Order facts"):
 * - shipped: the sub-order's consign_time, else the trade's; none while unshipped (null); none in a shipped-looking state → unknown.
 * - received: trade.fullinfo.get has no sign-for time; a 交易成功 sub-order was confirmed received at its end_time
 *   (end_time is the 确认收货 time then); before shipping, null; otherwise unknown.
 * - completed: end_time when the sub-order (else the trade) is TRADE_FINISHED, else null.
 * - prior after-sales: the sub-order's refund_status when its latest refund_id is another refund (SUCCESS/CLOSED);
 *   when the latest refund is this one, earlier ones are hidden behind it → unknown.
 * - category: as resolved by the caller from itemcats.get (null when it could not be read → unknown).
 */
export function mapTaobaoOrderFacts(trade: TaobaoTrade, refund: { refundId: string; oid: string | null }, category: string | null): OrderFacts {
  const unknown = new Set<OrderFact>();
  const order = findSubOrder(trade, refund);
  const status = order?.status ?? trade.status;
  const consignTime = order?.consignTime ?? trade.consignTime;
  const isUnshipped = status !== null && unshippedStatuses.has(status);

  let shippedAt: string | null = null;
  if (consignTime) shippedAt = consignTime;
  else if (!isUnshipped) unknown.add("shipped");

  const endTime = order ? order.endTime : trade.endTime;
  let completedAt: string | null = null;
  if (status === "TRADE_FINISHED") {
    if (endTime) completedAt = endTime;
    else unknown.add("completed");
  } else if (status === null) unknown.add("completed");

  let receivedAt: string | null = null;
  if (status === "TRADE_FINISHED" && endTime) receivedAt = endTime;
  else if (!isUnshipped || consignTime) unknown.add("received");

  let priorRefund: PriorRefundState = "none";
  if (order?.refundStatus === "NO_REFUND") priorRefund = "none";
  else if (order?.refundId && order.refundId !== refund.refundId && (order.refundStatus === "SUCCESS" || order.refundStatus === "CLOSED")) {
    priorRefund = order.refundStatus === "SUCCESS" ? "succeeded" : "closed";
  } else unknown.add("prior_refund");

  if (category === null) unknown.add("category");
  return {
    shippedAt,
    receivedAt,
    completedAt,
    category: category ?? "",
    priorRefund,
    subOrderId: order?.oid ?? refund.oid,
    ...(order?.title ? { title: order.title } : {}),
    unknown: [...unknown],
  };
}
