import { describe, expect, it } from "vitest";
import { parseWechatCategoryName, parseWechatOrder, parseWechatProductCategoryIds, summarizeWechatPriorAftersales, wechatOrderFacts, type WechatOrder } from "@/lib/platforms/wechat-order";

// SKIT's published order/get sample (ModelSamples/Channels/ECOrder/ChannelsECOrderGetResponse.json), abridged to
// the fields the facts read.
const skitOrder = {
  errcode: 0,
  errmsg: "ok",
  order: {
    order_id: "37423523451235145",
    status: 20,
    create_time: 1658505600,
    update_time: 1658505600,
    order_detail: {
      product_infos: [{ product_id: "234245", sku_id: "23424", sku_cnt: 10, on_aftersale_sku_cnt: 10, finish_aftersale_sku_cnt: 0, title: "健身环", sale_price: 2000 }],
      price_info: { product_price: 20000, order_price: 10500, freight: 500, discounted_price: 10000, is_discounted: true },
      delivery_info: {
        delivery_product_info: [{ waybill_id: "134654612313", delivery_id: "STO", delivery_time: 1620738080, deliver_type: 1, product_infos: [{ product_id: "234245", sku_id: "23424", product_cnt: 1 }] }],
        ship_done_time: 1620738080,
        deliver_method: 0,
      },
      ext_info: { customer_notes: "发顺丰", merchant_notes: "库存不足，取消" },
    },
    aftersale_detail: { aftersale_order_list: [{ aftersale_order_id: "1234", status: 13 }], on_aftersale_order_cnt: 1 },
    openid: "OPENID",
  },
};

describe("order/get", () => {
  it("reads SKIT's sample: the line by sku, its parcel's delivery_time, order_price, the after-sale ids", () => {
    expect(parseWechatOrder(skitOrder, { productId: "234245", skuId: "23424" })).toEqual({
      orderId: "37423523451235145",
      status: 20,
      line: { productId: "234245", skuId: "23424", title: "健身环" },
      orderPriceFen: 10500,
      lineShippedS: 1620738080,
      shipDoneS: 1620738080,
      confirmReceiptS: null,
      aftersaleIds: ["1234"],
    });
  });

  it("another sku of the order has no line and no parcel", () => {
    expect(parseWechatOrder(skitOrder, { productId: "234245", skuId: "99999" })).toMatchObject({ line: null, lineShippedS: null });
  });

  it("no aftersale_detail: the earlier after-sales cannot be told", () => {
    const { aftersale_detail: _omitted, ...order } = skitOrder.order;
    expect(parseWechatOrder({ errcode: 0, order }, { productId: null, skuId: "23424" }).aftersaleIds).toBeNull();
  });

  it.each([
    [{ errcode: 100002, errmsg: "订单不存在" }, /订单不存在/],
    [{ errcode: 0 }, /no order/],
    [{ errcode: 0, order: { order_id: "1", status: "done" } }, /status/],
  ])("throws on %j", (body, message) => {
    expect(() => parseWechatOrder(body, { productId: null, skuId: null })).toThrow(message);
  });
});

describe("the product's category", () => {
  it("cats_v2 ids top level first (SKIT ChannelsECProductGetResponse sample), the retired cats when v2 is empty", () => {
    expect(parseWechatProductCategoryIds({ errcode: 0, product: { cats: [], cats_v2: [{ cat_id: "10000111" }, { cat_id: "10000113" }, { cat_id: "6091" }] } })).toEqual(["10000111", "10000113", "6091"]);
    expect(parseWechatProductCategoryIds({ errcode: 0, product: { cats: [{ cat_id: 1 }, { cat_id: 2 }] } })).toEqual(["1", "2"]);
    expect(() => parseWechatProductCategoryIds({ errcode: 10020015, errmsg: "商品不存在" })).toThrow(/商品不存在/);
  });

  it("category/detail → info.name (SKIT ChannelsECCategoryDetailResponse sample)", () => {
    expect(parseWechatCategoryName({ errcode: 0, errmsg: "ok", info: { cat_id: "6194", name: "安全座椅" } })).toBe("安全座椅");
    expect(() => parseWechatCategoryName({ errcode: 0, info: {} })).toThrow(/info.name/);
  });
});

describe("earlier after-sales of the line", () => {
  it.each([
    [[], "none"],
    [["MERCHANT_PROCESSING"], "none"],
    [["USER_CANCELD"], "closed"],
    [["MERCHANT_REJECT_REFUND", "USER_CANCELD"], "closed"],
    [["USER_CANCELD", "MERCHANT_REFUND_SUCCESS"], "succeeded"],
    [["MERCHANT_RETURN_SUCCESS"], "succeeded"],
  ] as const)("%j → %s", (statuses, state) => {
    expect(summarizeWechatPriorAftersales(statuses)).toBe(state);
  });
});

describe("wechatOrderFacts", () => {
  const t = (iso: string) => Date.parse(iso) / 1000;
  const base: WechatOrder = {
    orderId: "3723456789012345678",
    status: 100,
    line: { productId: "10000012345", skuId: "20000012345", title: "纯棉四件套 1.8m 床" },
    orderPriceFen: 15900,
    lineShippedS: t("2026-11-10T08:00:00Z"),
    shipDoneS: t("2026-11-10T08:00:00Z"),
    confirmReceiptS: t("2026-11-13T09:00:00Z"),
    aftersaleIds: ["2000000051234567890"],
  };
  const category = { names: ["家居百货", "家纺", "床上用品"], ids: ["1001", "1002", "1003"] };
  const facts = (order: Partial<WechatOrder> | null, values: Partial<Parameters<typeof wechatOrderFacts>[0]> = {}) =>
    wechatOrderFacts({ order: order ? { ...base, ...order } : null, category, priorStatuses: [], fallbackCategory: "other", ...values });

  it.each([
    ["完成 (100): shipped, received and completed at 确认收货", {}, { shippedAt: "2026-11-10T08:00:00.000Z", receivedAt: "2026-11-13T09:00:00.000Z", completedAt: "2026-11-13T09:00:00.000Z", unknown: [] }],
    ["待收货 (30): shipped, not yet received or completed", { status: 30, confirmReceiptS: null }, { shippedAt: "2026-11-10T08:00:00.000Z", receivedAt: null, completedAt: null, unknown: [] }],
    ["待发货 (20): nothing yet", { status: 20, lineShippedS: null, shipDoneS: null, confirmReceiptS: null }, { shippedAt: null, receivedAt: null, completedAt: null, unknown: [] }],
    ["部分发货 (21) without this line's parcel: this line not shipped", { status: 21, lineShippedS: null, confirmReceiptS: null }, { shippedAt: null, receivedAt: null, unknown: [] }],
    ["完成 (100) without the parcel: ship_done_time", { lineShippedS: null }, { shippedAt: "2026-11-10T08:00:00.000Z", unknown: [] }],
    ["完成 (100) with neither parcel nor ship_done_time: shipped unknown", { lineShippedS: null, shipDoneS: null }, { shippedAt: null, unknown: ["shipped"] }],
    ["完成 (100) without confirm_receipt_time: received and completed unknown", { confirmReceiptS: null }, { receivedAt: null, completedAt: null, unknown: ["received", "completed"] }],
    ["取消 (250) before shipping: never shipped, received or completed", { status: 250, lineShippedS: null, shipDoneS: null, confirmReceiptS: null }, { shippedAt: null, receivedAt: null, completedAt: null, unknown: [] }],
  ])("%s", (_name, order, expected) => {
    expect(facts(order)).toMatchObject(expected);
  });

  it("the category path's names map to our code (床上用品 → home_textile); title and order price come along", () => {
    expect(facts({})).toMatchObject({ category: "home_textile", title: "纯棉四件套 1.8m 床", amountFen: 15900, priorRefund: "none", subOrderId: null });
  });

  it("a path no alias names is kept verbatim, never 'other'", () => {
    expect(facts({}, { category: { names: ["母婴", "童车童床", "安全座椅"], ids: ["1", "2", "6194"] } })).toMatchObject({ category: "母婴/童车童床/安全座椅", unknown: [] });
  });

  it("ids without names are kept as WeChat's ids; no category at all is unknown (the shop's fallback shown)", () => {
    expect(facts({}, { category: { names: null, ids: ["1", "2", "6194"] } })).toMatchObject({ category: "微信类目 1/2/6194", unknown: [] });
    expect(facts({}, { category: null, fallbackCategory: "fresh_food" })).toMatchObject({ category: "fresh_food", unknown: ["category"] });
  });

  it("earlier after-sales: summarized when read, unknown when not", () => {
    expect(facts({}, { priorStatuses: ["MERCHANT_REFUND_SUCCESS"] }).priorRefund).toBe("succeeded");
    expect(facts({}, { priorStatuses: null })).toMatchObject({ priorRefund: "none", unknown: ["prior_refund"] });
  });

  it("no order (the order API failed): every fact unknown", () => {
    expect(wechatOrderFacts({ order: null, category: null, priorStatuses: null, fallbackCategory: "other" })).toEqual({
      shippedAt: null,
      receivedAt: null,
      completedAt: null,
      category: "other",
      priorRefund: "none",
      subOrderId: null,
      unknown: ["shipped", "received", "completed", "category", "prior_refund"],
    });
  });
});
