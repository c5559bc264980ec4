import type { OrderFact, PriorRefundState } from "@/lib/domain";
import { PlatformMessageError, toIdString, unixSecondsToIso } from "@/lib/platforms/common";
import type { OrderFacts } from "@/lib/platforms/types";
import { mapCategoryName, type ProductCategory } from "@/lib/policy/categories";
import { toWebhookPriorRefund } from "@/lib/platforms/order-facts";
import type { WebhookOrder } from "@/lib/webhook/events";

// The order behind a Douyin after-sale (docs/platforms/douyin.md "Order facts"): /order/orderDetail gives each
// sku order's ship, receipt and finish times and its first_cid…fourth_cid; /shop/getShopCategory names those
// cids; /afterSale/List tells the order's earlier after-sales. Field names: zsmhub/doudian-sdk
// api/order_orderDetail/response, api/afterSale_List/response, api/shop_getShopCategory/response.

function asRecord(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new PlatformMessageError(`${field} is not an object`);
  return value as Record<string, unknown>;
}

/** An int64 field as Douyin sends it (a number, or a digit string in some samples); absent or empty is 0. */
function readInt(value: unknown, field: string): number {
  if (value === undefined || value === null || value === "") return 0;
  const number = typeof value === "string" && /^-?\d+$/.test(value) ? Number(value) : value;
  if (typeof number !== "number" || !Number.isSafeInteger(number)) throw new PlatformMessageError(`${field} is not an integer`);
  return number;
}

function readText(value: unknown): string | null {
  return typeof value === "string" && value.trim() ? value.trim() : null;
}

function readData(body: unknown, api: string): Record<string, unknown> {
  const record = asRecord(body, api);
  if (Number(record.code) !== 10000) throw new PlatformMessageError(`${api} failed: ${String(record.sub_msg || record.msg || record.code)}`);
  return asRecord(record.data ?? {}, `${api} data`);
}

/** order_status / main_status of a shop or sku order (zsmhub/doudian-sdk ShopOrderDetail.OrderStatus). */
export const douyinOrderStatuses = { unpaid: 1, paid: 105, preparing: 2, partlyShipped: 101, shipped: 3, cancelled: 4, completed: 5 } as const;

export type DouyinSkuOrder = {
  skuOrderId: string;
  orderStatus: number;
  /** Unix seconds; 0 when the platform has no such time. */
  shipTimeS: number;
  logisticsReceiptTimeS: number;
  confirmReceiptTimeS: number;
  finishTimeS: number;
  /** first_cid … fourth_cid, the zero ones left out. */
  cids: string[];
  productName: string | null;
  payAmountFen: number | null;
};

export type DouyinOrderDetail = { orderId: string; orderStatus: number; skuOrders: DouyinSkuOrder[] };

/** data.shop_order_detail of /order/orderDetail. */
export function parseDouyinOrderDetail(body: unknown): DouyinOrderDetail {
  const order = asRecord(readData(body, "order/orderDetail").shop_order_detail, "shop_order_detail");
  const skuOrders = Array.isArray(order.sku_order_list) ? order.sku_order_list : [];
  return {
    orderId: toIdString(order.order_id, "shop_order_detail.order_id"),
    orderStatus: readInt(order.order_status, "order_status"),
    skuOrders: skuOrders.map((entry, index) => {
      const sku = asRecord(entry, `sku_order_list[${index}]`);
      const field = (name: string) => readInt(sku[name], `sku_order_list[${index}].${name}`);
      const payAmount = sku.pay_amount === undefined ? null : field("pay_amount");
      return {
        skuOrderId: toIdString(sku.order_id, `sku_order_list[${index}].order_id`),
        orderStatus: field("order_status"),
        shipTimeS: field("ship_time"),
        logisticsReceiptTimeS: field("logistics_receipt_time"),
        confirmReceiptTimeS: field("confirm_receipt_time"),
        finishTimeS: field("finish_time"),
        cids: ["first_cid", "second_cid", "third_cid", "fourth_cid"].map(field).filter((cid) => cid > 0).map(String),
        productName: readText(sku.product_name)?.slice(0, 200) ?? null,
        payAmountFen: payAmount !== null && payAmount >= 0 ? payAmount : null,
      };
    }),
  };
}

/** One earlier after-sale of the order, as /afterSale/List lists it. */
export type DouyinAftersaleSummary = { aftersaleId: string; type: number; status: number; refundStatus: number; skuOrderIds: string[] };

/** data.items of /afterSale/List (aftersale_info + order_info.related_order_info), and whether more pages follow. */
export function parseDouyinAftersaleList(body: unknown): { items: DouyinAftersaleSummary[]; hasMore: boolean } {
  const data = readData(body, "afterSale/List");
  const items = Array.isArray(data.items) ? data.items : [];
  return {
    hasMore: data.has_more === true,
    items: items.map((entry, index) => {
      const item = asRecord(entry, `items[${index}]`);
      const info = asRecord(item.aftersale_info, `items[${index}].aftersale_info`);
      const orderInfo = item.order_info ? asRecord(item.order_info, `items[${index}].order_info`) : {};
      const related = Array.isArray(orderInfo.related_order_info) ? orderInfo.related_order_info : [];
      const skuOrderIds = related.map((sku, skuIndex) => toIdString(asRecord(sku, `related_order_info[${skuIndex}]`).sku_order_id, "sku_order_id"));
      if (skuOrderIds.length === 0 && readText(info.related_id)) skuOrderIds.push(toIdString(info.related_id, "related_id"));
      return {
        aftersaleId: toIdString(info.aftersale_id, `items[${index}].aftersale_id`),
        type: readInt(info.aftersale_type, "aftersale_type"),
        status: readInt(info.aftersale_status, "aftersale_status"),
        refundStatus: readInt(info.refund_status, "refund_status"),
        skuOrderIds,
      };
    }),
  };
}

/** data of /shop/getShopCategory: the children of the cid asked for. */
export function parseDouyinShopCategories(body: unknown): { id: string; name: string }[] {
  const record = asRecord(body, "shop/getShopCategory");
  if (Number(record.code) !== 10000) throw new PlatformMessageError(`shop/getShopCategory failed: ${String(record.sub_msg || record.msg || record.code)}`);
  const list = Array.isArray(record.data) ? record.data : Array.isArray(asRecord(record.data ?? {}, "data").data) ? (asRecord(record.data, "data").data as unknown[]) : [];
  return list.flatMap((entry, index) => {
    const category = asRecord(entry, `data[${index}]`);
    const name = readText(category.name);
    return name ? [{ id: toIdString(category.id, `data[${index}].id`), name }] : [];
  });
}

/**
 * Douyin cids → our categories, only where a public source names the cid. None does today (the category tree is
 * served per shop by /shop/getShopCategory), so names decide; add rows here with their source.
 */
export const douyinCategoryByCid: Readonly<Record<string, ProductCategory>> = {};

/** aftersale_type values that pay money back: 0 退货退款, 1 已发货仅退款, 2 未发货仅退款. */
const refundTypes = new Set([0, 1, 2]);
/** aftersale_status: 12 售后成功, 51 订单取消成功, 53 逆向交易已完成 (refund_status 3 退款成功 says the same). */
const succeededStatuses = new Set([12, 51, 53]);
/** 28 售后失败: closed without money back. */
const closedStatuses = new Set([28]);

export type DouyinFactsInput = {
  aftersaleId: string;
  aftersaleType: number | null;
  /** The push's s_id; null when unknown (then a single-sku order's only sku order is used). */
  skuOrderId: string | null;
  /** null: /order/orderDetail could not be read. */
  order: DouyinOrderDetail | null;
  /** The order's after-sales; null: /afterSale/List could not be read completely. */
  aftersales: DouyinAftersaleSummary[] | null;
  /** Names of the sku order's cids, most general first; null: not read. */
  categoryNames: string[] | null;
};

const toIso = (seconds: number, field: string) => unixSecondsToIso(seconds, field);

/**
 * The facts of the request's sub-order. A time is null only when the platform says it has not happened yet (sku
 * order_status before 已发货 / 已完成), and unknown when the platform cannot tell (no order detail, or a status that
 * says it happened without saying when). Without the order API, 未发货仅退款 (aftersale_type 2) still tells that the
 * goods were not shipped, hence neither received nor completed.
 */
export function getDouyinOrderFacts(input: DouyinFactsInput): OrderFacts {
  const unknown = new Set<OrderFact>();
  const sku = input.order
    ? (input.order.skuOrders.find((candidate) => candidate.skuOrderId === input.skuOrderId) ?? (input.order.skuOrders.length === 1 ? input.order.skuOrders[0] : undefined))
    : undefined;
  const isUnshippedRefund = input.aftersaleType === 2;
  let shippedAt: string | null = null;
  let receivedAt: string | null = null;
  let completedAt: string | null = null;
  if (sku) {
    const status = sku.orderStatus;
    const isShippedStatus = status === douyinOrderStatuses.shipped || status === douyinOrderStatuses.completed;
    if (sku.shipTimeS > 0) shippedAt = toIso(sku.shipTimeS, "ship_time");
    else if (isShippedStatus) unknown.add("shipped");
    const receiptS = sku.logisticsReceiptTimeS || sku.confirmReceiptTimeS;
    if (receiptS > 0) receivedAt = toIso(receiptS, "logistics_receipt_time");
    else if (status === douyinOrderStatuses.completed) unknown.add("received");
    if (status === douyinOrderStatuses.completed) {
      if (sku.finishTimeS > 0) completedAt = toIso(sku.finishTimeS, "finish_time");
      else unknown.add("completed");
    }
  } else if (!isUnshippedRefund) {
    unknown.add("shipped").add("received").add("completed");
  }

  let category = "未知类目";
  const cids = sku?.cids ?? [];
  const byCid = [...cids].reverse().map((cid) => douyinCategoryByCid[cid]).find(Boolean);
  if (byCid) category = byCid;
  else if (sku && input.categoryNames && input.categoryNames.length > 0) category = (mapCategoryName(input.categoryNames.join("/")) ?? input.categoryNames.join("/")).slice(0, 200);
  else {
    unknown.add("category");
    if (cids.length > 0) category = `抖店类目 ${cids.join("/")}`;
  }

  let priorRefund: PriorRefundState = "none";
  if (input.aftersales === null) unknown.add("prior_refund");
  else {
    const earlier = input.aftersales.filter(
      (item) =>
        item.aftersaleId !== input.aftersaleId &&
        refundTypes.has(item.type) &&
        (!input.skuOrderId || item.skuOrderIds.length === 0 || item.skuOrderIds.includes(input.skuOrderId)),
    );
    if (earlier.some((item) => succeededStatuses.has(item.status) || item.refundStatus === 3)) priorRefund = "succeeded";
    else if (earlier.length > 0 && earlier.every((item) => closedStatuses.has(item.status))) priorRefund = "closed";
    // An earlier one still under way (or refused by the shop) has no outcome yet
    else if (earlier.length > 0) unknown.add("prior_refund");
  }

  return {
    shippedAt,
    receivedAt,
    completedAt,
    category,
    priorRefund,
    subOrderId: sku?.skuOrderId ?? input.skuOrderId,
    ...(sku?.productName ? { title: sku.productName } : {}),
    ...(sku?.payAmountFen !== null && sku?.payAmountFen !== undefined ? { amountFen: sku.payAmountFen } : {}),
    unknown: [...unknown],
  };
}

/**
 * OrderFacts → the order fields of our webhook contract (lib/webhook/events.ts): an unknown fact is left out and
 * listed in unknownFacts; null stays null ("not yet").
 */
export function toWebhookOrderFacts(
  facts: OrderFacts,
): Pick<WebhookOrder, "category" | "shippedAt" | "receivedAt" | "completedAt" | "priorRefund" | "unknownFacts" | "subOrderId"> {
  const isKnown = (fact: OrderFact) => !facts.unknown.includes(fact);
  return {
    category: facts.category,
    ...(isKnown("shipped") ? { shippedAt: facts.shippedAt } : {}),
    ...(isKnown("received") ? { receivedAt: facts.receivedAt } : {}),
    ...(isKnown("completed") ? { completedAt: facts.completedAt } : {}),
    ...toWebhookPriorRefund(facts),
    ...(facts.unknown.length > 0 ? { unknownFacts: [...facts.unknown] } : {}),
    ...(facts.subOrderId ? { subOrderId: facts.subOrderId } : {}),
  };
}
