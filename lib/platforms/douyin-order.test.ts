import { describe, expect, it } from "vitest";
import { PlatformMessageError, parseJsonLossless } from "@/lib/platforms/common";
import {
  getDouyinOrderFacts,
  parseDouyinAftersaleList,
  parseDouyinOrderDetail,
  parseDouyinShopCategories,
  toWebhookOrderFacts,
  type DouyinAftersaleSummary,
  type DouyinFactsInput,
  type DouyinSkuOrder,
} from "@/lib/platforms/douyin-order";
import { d1AftersaleListBody, d1OrderDetailBody } from "@/lib/platforms/fixtures/douyin";

const t = (iso: string) => Date.parse(iso) / 1000;

describe("parsing the order APIs", () => {
  it("/order/orderDetail: per sku order its status, times, cids, name and amount", () => {
    const order = parseDouyinOrderDetail(parseJsonLossless(d1OrderDetailBody));
    expect(order.orderId).toBe("6920112233445566778");
    expect(order.skuOrders[0]).toEqual({
      skuOrderId: "6920112233445566779",
      orderStatus: 3,
      shipTimeS: 1763400000,
      logisticsReceiptTimeS: 1763500000,
      confirmReceiptTimeS: 0,
      finishTimeS: 0,
      cids: ["20000", "20100", "20110"],
      productName: "赣南脐橙 5斤装",
      payAmountFen: 8900,
    });
    // fudiwei's sample sends the numbers as digit strings: read the same
    const stringly = parseDouyinOrderDetail({ code: 10000, data: { shop_order_detail: { order_id: "1", order_status: "5", sku_order_list: [{ order_id: "2", order_status: "5", finish_time: "1617355413", first_cid: "20000" }] } } });
    expect(stringly.skuOrders[0]).toMatchObject({ orderStatus: 5, finishTimeS: 1617355413, cids: ["20000"] });
  });

  it("an error answer is refused", () => {
    expect(() => parseDouyinOrderDetail({ code: 50002, msg: "业务处理失败", sub_msg: "订单不存在" })).toThrow(PlatformMessageError);
  });

  it("/afterSale/List: each after-sale with its sku orders", () => {
    const list = parseDouyinAftersaleList(parseJsonLossless(d1AftersaleListBody));
    expect(list.hasMore).toBe(false);
    expect(list.items.map((item) => [item.aftersaleId, item.type, item.status, item.refundStatus, item.skuOrderIds])).toEqual([
      ["7301500100200300401", 1, 6, 1, ["6920112233445566779"]],
      ["7301500100200300300", 1, 28, 1, ["6920112233445566779"]],
      ["7301500100200300299", 0, 12, 3, ["6920112233445566790"]],
    ]);
  });

  it("/shop/getShopCategory: the children's ids and names", () => {
    expect(parseDouyinShopCategories({ code: 10000, data: [{ id: 20100, name: "水果", level: 2, parent_id: 20000, is_leaf: false, enable: true }, { id: 1, name: "" }] })).toEqual([{ id: "20100", name: "水果" }]);
  });
});

const sku = (changes: Partial<DouyinSkuOrder> = {}): DouyinSkuOrder => ({
  skuOrderId: "s1",
  orderStatus: 3,
  shipTimeS: t("2026-11-18T02:00:00Z"),
  logisticsReceiptTimeS: t("2026-11-19T02:00:00Z"),
  confirmReceiptTimeS: 0,
  finishTimeS: 0,
  cids: ["20000", "20100"],
  productName: "脐橙",
  payAmountFen: 3990,
  ...changes,
});
const earlier = (changes: Partial<DouyinAftersaleSummary>): DouyinAftersaleSummary => ({ aftersaleId: "a0", type: 1, status: 28, refundStatus: 1, skuOrderIds: ["s1"], ...changes });
const input = (changes: Partial<DouyinFactsInput> = {}): DouyinFactsInput => ({
  aftersaleId: "a1",
  aftersaleType: 1,
  skuOrderId: "s1",
  order: { orderId: "o1", orderStatus: 3, skuOrders: [sku()] },
  aftersales: [],
  categoryNames: ["生鲜", "水果"],
  ...changes,
});

describe("order facts of the request's sub-order", () => {
  it.each([
    {
      name: "shipped and signed for, not completed",
      changes: {},
      facts: { shippedAt: "2026-11-18T02:00:00.000Z", receivedAt: "2026-11-19T02:00:00.000Z", completedAt: null, category: "fresh_food", priorRefund: "none", unknown: [] },
    },
    {
      name: "completed (order_status 5) with its finish_time; confirm_receipt_time when the carrier gave none",
      changes: { order: { orderId: "o1", orderStatus: 5, skuOrders: [sku({ orderStatus: 5, logisticsReceiptTimeS: 0, confirmReceiptTimeS: t("2026-11-20T00:00:00Z"), finishTimeS: t("2026-11-27T00:00:00Z") })] } },
      facts: { receivedAt: "2026-11-20T00:00:00.000Z", completedAt: "2026-11-27T00:00:00.000Z", unknown: [] },
    },
    {
      name: "completed without the times: received and completed are unknown, not 'not yet'",
      changes: { order: { orderId: "o1", orderStatus: 5, skuOrders: [sku({ orderStatus: 5, logisticsReceiptTimeS: 0, finishTimeS: 0 })] } },
      facts: { unknown: ["received", "completed"] },
    },
    {
      name: "not shipped yet (备货中): all three known not yet",
      changes: { aftersaleType: 2, order: { orderId: "o1", orderStatus: 2, skuOrders: [sku({ orderStatus: 2, shipTimeS: 0, logisticsReceiptTimeS: 0 })] } },
      facts: { shippedAt: null, receivedAt: null, completedAt: null, unknown: [] },
    },
    {
      name: "shipped status without ship_time: shipped unknown",
      changes: { order: { orderId: "o1", orderStatus: 3, skuOrders: [sku({ shipTimeS: 0, logisticsReceiptTimeS: 0 })] } },
      facts: { receivedAt: null, unknown: ["shipped"] },
    },
    {
      name: "the order API failed on 已发货仅退款: times unknown, the rest still read",
      changes: { order: null },
      facts: { unknown: ["shipped", "received", "completed", "category"], category: "未知类目", subOrderId: "s1" },
    },
    {
      name: "the order API failed on 未发货仅退款: aftersale_type 2 says not shipped",
      changes: { order: null, aftersaleType: 2 },
      facts: { shippedAt: null, receivedAt: null, completedAt: null, unknown: ["category"] },
    },
    {
      name: "a multi-sku order without s_id: no sub-order, so its facts are unknown",
      changes: { skuOrderId: null, order: { orderId: "o1", orderStatus: 3, skuOrders: [sku(), sku({ skuOrderId: "s2" })] } },
      facts: { unknown: ["shipped", "received", "completed", "category"], subOrderId: null },
    },
  ])("$name", ({ changes, facts }) => {
    expect(getDouyinOrderFacts(input(changes as Partial<DouyinFactsInput>))).toMatchObject(facts);
  });

  it.each([
    { names: ["生鲜", "水果"], category: "fresh_food", unknown: [] },
    { names: ["服饰内衣", "女装"], category: "apparel", unknown: [] },
    // Unmapped: the platform's own path, verbatim — never silently "other"
    { names: ["宠物用品", "猫砂"], category: "宠物用品/猫砂", unknown: [] },
    { names: null, category: "抖店类目 20000/20100", unknown: ["category"] },
  ])("category from names $names", ({ names, category, unknown }) => {
    expect(getDouyinOrderFacts(input({ categoryNames: names }))).toMatchObject({ category, unknown });
  });

  it.each([
    { name: "no earlier after-sale", aftersales: [earlier({ aftersaleId: "a1", status: 6 })], prior: "none", unknown: [] },
    { name: "an earlier refund closed (售后失败)", aftersales: [earlier({})], prior: "closed", unknown: [] },
    { name: "an earlier refund succeeded", aftersales: [earlier({}), earlier({ aftersaleId: "a2", status: 12, refundStatus: 3 })], prior: "succeeded", unknown: [] },
    { name: "refund_status 3 counts as succeeded", aftersales: [earlier({ status: 27, refundStatus: 3 })], prior: "succeeded", unknown: [] },
    { name: "another sku order's refund does not count", aftersales: [earlier({ status: 12, skuOrderIds: ["s9"] })], prior: "none", unknown: [] },
    { name: "an exchange is not a refund", aftersales: [earlier({ type: 3, status: 14 })], prior: "none", unknown: [] },
    { name: "an earlier one still under way has no outcome", aftersales: [earlier({ status: 7 })], prior: "none", unknown: ["prior_refund"] },
    { name: "the list could not be read", aftersales: null, prior: "none", unknown: ["prior_refund"] },
  ])("prior refund: $name", ({ aftersales, prior, unknown }) => {
    const facts = getDouyinOrderFacts(input({ aftersales }));
    expect([facts.priorRefund, facts.unknown]).toEqual([prior, unknown]);
  });
});

describe("facts → the webhook order", () => {
  it("unknown facts are left out and listed; null stays null", () => {
    const facts = getDouyinOrderFacts(input({ order: null, aftersaleType: 2, aftersales: null }));
    expect(toWebhookOrderFacts(facts)).toEqual({
      category: "未知类目",
      shippedAt: null,
      receivedAt: null,
      completedAt: null,
      unknownFacts: ["category", "prior_refund"],
      subOrderId: "s1",
    });
  });

  it("all known: no unknownFacts key", () => {
    expect(toWebhookOrderFacts(getDouyinOrderFacts(input()))).toEqual({
      category: "fresh_food",
      shippedAt: "2026-11-18T02:00:00.000Z",
      receivedAt: "2026-11-19T02:00:00.000Z",
      completedAt: null,
      priorRefund: "none",
      subOrderId: "s1",
    });
  });
});
