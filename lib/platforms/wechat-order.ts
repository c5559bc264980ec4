import type { OrderFact, PriorRefundState } from "@/lib/domain";
import { toIdString } from "@/lib/platforms/common";
import { readWechatError } from "@/lib/platforms/wechat-api";
import type { OrderFacts } from "@/lib/platforms/types";
import { mapCategoryName } from "@/lib/policy/categories";

// The order behind a WeChat 小店 after-sale, from /channels/ec/order/get (and the product's category from
// /channels/ec/product/get + /channels/ec/category/detail), as OrderFacts. Field names and the order status
// enum are recorded with their sources in docs/platforms/wechat.md.

/** order.status (WxJava WxOrderStatus): 10 待付款, 20 待发货, 21 部分发货, 30 待收货, 100 完成, 190/200/250 取消. */
export const wechatOrderStatus = { unpaid: 10, paid: 20, partlyShipped: 21, shipped: 30, completed: 100 } as const;
const notYetShippedStatuses = new Set([10, 12, 13, 20, 21]);
const cancelledStatuses = new Set([190, 200, 250]);

export type WechatOrderLine = { productId: string | null; skuId: string | null };

export type WechatOrder = {
  orderId: string;
  status: number;
  /** The line the after-sale is about (matched on sku_id, else product_id), null when the order does not list it. */
  line: { productId: string | null; skuId: string | null; title: string | null } | null;
  /** order_detail.price_info.order_price: what the buyer paid for the order, fen. */
  orderPriceFen: number | null;
  /** delivery_product_info[].delivery_time of the parcel holding the line, Unix s. */
  lineShippedS: number | null;
  /** delivery_info.ship_done_time (发货完成时间), Unix s. */
  shipDoneS: number | null;
  /** ext_info.confirm_receipt_time (确认收货, by the buyer or automatically), Unix s. */
  confirmReceiptS: number | null;
  /** aftersale_detail.aftersale_order_list[].aftersale_order_id; null when the order carries no aftersale_detail. */
  aftersaleIds: string[] | null;
};

const seconds = (value: unknown): number | null => {
  const number = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
  return typeof number === "number" && Number.isSafeInteger(number) && number > 0 ? number : null;
};
const id = (value: unknown): string | null => (typeof value === "string" && value) || (typeof value === "number" && Number.isSafeInteger(value)) ? String(value) : null;
const isSameLine = (candidate: { product_id?: unknown; sku_id?: unknown }, line: WechatOrderLine) =>
  line.skuId ? id(candidate.sku_id) === line.skuId : line.productId !== null && id(candidate.product_id) === line.productId;

/** /channels/ec/order/get → the parts of `order` the facts need; throws on errcode ≠ 0 or a body without an order. */
export function parseWechatOrder(body: unknown, line: WechatOrderLine): WechatOrder {
  const error = readWechatError(body);
  if (error) throw new Error(`order/get: ${error.errmsg} (errcode ${error.errcode})`);
  const order = (body as { order?: Record<string, unknown> }).order;
  if (!order || typeof order !== "object") throw new Error("order/get: the answer has no order");
  const status = Number(order.status);
  if (!Number.isSafeInteger(status)) throw new Error("order/get: order.status is not a number");
  const detail = (order.order_detail ?? {}) as Record<string, unknown>;
  const products = (Array.isArray(detail.product_infos) ? detail.product_infos : []) as Record<string, unknown>[];
  const product = products.find((candidate) => isSameLine(candidate, line)) ?? null;
  const delivery = (detail.delivery_info ?? {}) as { delivery_product_info?: unknown; ship_done_time?: unknown };
  const parcels = (Array.isArray(delivery.delivery_product_info) ? delivery.delivery_product_info : []) as { delivery_time?: unknown; product_infos?: unknown }[];
  const parcel = parcels.find((candidate) => Array.isArray(candidate.product_infos) && (candidate.product_infos as Record<string, unknown>[]).some((item) => isSameLine(item, line)));
  const price = (detail.price_info ?? {}) as { order_price?: unknown };
  const ext = (detail.ext_info ?? {}) as { confirm_receipt_time?: unknown };
  const aftersale = order.aftersale_detail as { aftersale_order_list?: unknown } | undefined;
  const orderPrice = Number(price.order_price);
  return {
    orderId: toIdString(order.order_id, "order.order_id"),
    status,
    line: product ? { productId: id(product.product_id), skuId: id(product.sku_id), title: typeof product.title === "string" && product.title ? product.title : null } : null,
    orderPriceFen: Number.isSafeInteger(orderPrice) && orderPrice >= 0 && price.order_price !== undefined ? orderPrice : null,
    lineShippedS: seconds(parcel?.delivery_time),
    shipDoneS: seconds(delivery.ship_done_time),
    confirmReceiptS: seconds(ext.confirm_receipt_time),
    aftersaleIds:
      aftersale && typeof aftersale === "object"
        ? (Array.isArray(aftersale.aftersale_order_list) ? (aftersale.aftersale_order_list as { aftersale_order_id?: unknown }[]) : []).map((item) => id(item.aftersale_order_id)).filter((value): value is string => value !== null)
        : null,
  };
}

/** /channels/ec/product/get → cats_v2[].cat_id (top level first), falling back to the retired `cats`. */
export function parseWechatProductCategoryIds(body: unknown): string[] {
  const error = readWechatError(body);
  if (error) throw new Error(`product/get: ${error.errmsg} (errcode ${error.errcode})`);
  const product = (body as { product?: { cats_v2?: unknown; cats?: unknown } }).product;
  if (!product) throw new Error("product/get: the answer has no product");
  const pick = (list: unknown) => (Array.isArray(list) ? list.map((item) => id((item as { cat_id?: unknown })?.cat_id)).filter((value): value is string => value !== null) : []);
  const v2 = pick(product.cats_v2);
  return v2.length ? v2 : pick(product.cats);
}

/** /channels/ec/category/detail → info.name. */
export function parseWechatCategoryName(body: unknown): string {
  const error = readWechatError(body);
  if (error) throw new Error(`category/detail: ${error.errmsg} (errcode ${error.errcode})`);
  const name = (body as { info?: { name?: unknown } }).info?.name;
  if (typeof name !== "string" || !name.trim()) throw new Error("category/detail: the answer has no info.name");
  return name.trim();
}

/** The after-sales statuses that end with the money back, and those that end without it. */
const refundedStatuses = new Set(["MERCHANT_REFUND_SUCCESS", "MERCHANT_RETURN_SUCCESS"]);
const closedWithoutRefundStatuses = new Set(["USER_CANCELD", "RETURN_CLOSED", "MERCHANT_REJECT_REFUND", "MERCHANT_REJECT_RETURN", "MERCHANT_REFUND_RETRY_FAIL", "MERCHANT_FAIL", "MERCHANT_REJECT_EXCHANGE", "MERCHANT_REJECT_RESHIP", "MERCHANT_EXCHANGE_SUCCESS"]);

/** The line's earlier after-sales (their statuses) → succeeded if any refunded, closed if any ended without, else none. */
export function summarizeWechatPriorAftersales(statuses: readonly string[]): PriorRefundState {
  if (statuses.some((status) => refundedStatuses.has(status))) return "succeeded";
  if (statuses.some((status) => closedWithoutRefundStatuses.has(status))) return "closed";
  return "none";
}

export type WechatCategory =
  /** The category path's names, top level first (category/detail of each cats_v2 id). */
  | { names: string[]; ids: string[] }
  /** Ids only: some name could not be read. */
  | { names: null; ids: string[] };

const iso = (unixSeconds: number) => new Date(unixSeconds * 1000).toISOString();

/**
 * OrderFacts from what could be read. `order` null: the order API failed, every fact is unknown. `category` null:
 * the product or its category could not be read. `priorStatuses` null: the earlier after-sales could not be read.
 * `fallbackCategory` is only the value shown while the category is unknown (it stays listed as unknown).
 */
export function wechatOrderFacts(input: { order: WechatOrder | null; category: WechatCategory | null; priorStatuses: readonly string[] | null; fallbackCategory: string }): OrderFacts {
  const { order, category } = input;
  const unknown = new Set<OrderFact>();
  const fact = <T>(value: T | undefined, name: OrderFact, empty: T): T => {
    if (value === undefined) unknown.add(name);
    return value === undefined ? empty : value;
  };

  let shipped: string | null | undefined;
  let received: string | null | undefined;
  let completed: string | null | undefined;
  if (order) {
    const { status } = order;
    // Shipped: the parcel holding this line; an order not yet (fully) shipped without one has not shipped it
    if (order.lineShippedS) shipped = iso(order.lineShippedS);
    else if (notYetShippedStatuses.has(status) || cancelledStatuses.has(status)) shipped = null;
    else if (order.shipDoneS && (status === wechatOrderStatus.shipped || status === wechatOrderStatus.completed)) shipped = iso(order.shipDoneS);
    // Received: 确认收货 (the buyer's, or WeChat's automatic one)
    if (order.confirmReceiptS) received = iso(order.confirmReceiptS);
    else if (status < wechatOrderStatus.completed || cancelledStatuses.has(status)) received = null;
    // Completed (交易成功): status 100, reached at 确认收货 (docs/platforms/wechat.md, unverified)
    if (status === wechatOrderStatus.completed) completed = order.confirmReceiptS ? iso(order.confirmReceiptS) : undefined;
    else if (status < wechatOrderStatus.completed || cancelledStatuses.has(status)) completed = null;
  }

  let categoryValue: string | undefined;
  if (category) {
    if (category.names) {
      const path = category.names.join("/");
      categoryValue = mapCategoryName(path) ?? path;
    } else if (category.ids.length) {
      categoryValue = `微信类目 ${category.ids.join("/")}`;
    }
  }

  const priorRefund = input.priorStatuses ? summarizeWechatPriorAftersales(input.priorStatuses) : undefined;
  return {
    shippedAt: fact(shipped, "shipped", null),
    receivedAt: fact(received, "received", null),
    completedAt: fact(completed, "completed", null),
    category: fact(categoryValue, "category", input.fallbackCategory),
    priorRefund: fact(priorRefund, "prior_refund", "none"),
    subOrderId: null,
    ...(order?.line?.title ? { title: order.line.title } : {}),
    ...(order?.orderPriceFen !== null && order?.orderPriceFen !== undefined ? { amountFen: order.orderPriceFen } : {}),
    unknown: ["shipped", "received", "completed", "category", "prior_refund"].filter((name) => unknown.has(name as OrderFact)) as OrderFact[],
  };
}
