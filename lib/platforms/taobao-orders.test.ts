import { describe, expect, it } from "vitest";
import { parseJsonLossless } from "@/lib/platforms/common";
import { itemcats162103, tradeFullinfo } from "@/lib/platforms/fixtures/taobao";
import { resolveTaobaoCategory, type TaobaoCategoryNode } from "@/lib/platforms/taobao-categories";
import { findSubOrder, mapTaobaoOrderFacts, parseTaobaoItemCats, parseTaobaoTrade, type TaobaoSubOrder, type TaobaoTrade } from "@/lib/platforms/taobao-orders";

describe("taobao.trade.fullinfo.get", () => {
  const trade = parseTaobaoTrade(parseJsonLossless(tradeFullinfo));

  it("keeps 19-digit ids exact, reads orders.order[] and turns China times into UTC", () => {
    expect(trade).toMatchObject({ tid: "3900112233445566778", status: "WAIT_BUYER_CONFIRM_GOODS", consignTime: "2026-11-17T01:00:00.000Z", endTime: null, modified: "2026-11-20T02:02:11.000Z" });
    expect(trade.orders.map((order) => order.oid)).toEqual(["3900112233445566780", "3900112233445566781"]);
    expect(trade.orders[1]).toMatchObject({ cid: "50006004", refundId: "231500112233440001", refundStatus: "SUCCESS", endTime: "2026-11-19T12:00:00.000Z" });
  });

  it("finds the refund's sub-order by oid, else by its refund_id, else the only one", () => {
    expect(findSubOrder(trade, { refundId: "x", oid: "3900112233445566781" })?.oid).toBe("3900112233445566781");
    expect(findSubOrder(trade, { refundId: "231500112233445566", oid: null })?.oid).toBe("3900112233445566780");
    expect(findSubOrder(trade, { refundId: "unknown", oid: null })).toBeNull();
    expect(findSubOrder({ ...trade, orders: [trade.orders[0]] }, { refundId: "unknown", oid: null })?.oid).toBe("3900112233445566780");
  });

  it("the fixture's refunded sub-order: shipped on its own consign_time, received unknown, not completed", () => {
    expect(mapTaobaoOrderFacts(trade, { refundId: "231500112233445566", oid: null }, "apparel")).toEqual({
      shippedAt: "2026-11-18T01:30:00.000Z",
      receivedAt: null,
      completedAt: null,
      category: "apparel",
      priorRefund: "none",
      subOrderId: "3900112233445566780",
      title: "羊毛开衫 米白 M",
      unknown: ["received", "prior_refund"],
    });
  });
});

describe("order facts", () => {
  const order = (values: Partial<TaobaoSubOrder>): TaobaoSubOrder => ({ oid: "1", cid: "162103", status: "WAIT_BUYER_CONFIRM_GOODS", refundId: "R", refundStatus: "WAIT_SELLER_AGREE", consignTime: null, endTime: null, title: null, ...values });
  const trade = (orders: TaobaoSubOrder[], values: Partial<TaobaoTrade> = {}): TaobaoTrade => ({ tid: "9", status: "WAIT_BUYER_CONFIRM_GOODS", consignTime: null, endTime: null, modified: null, orders, ...values });
  const facts = (input: TaobaoTrade, category: string | null = "apparel") => mapTaobaoOrderFacts(input, { refundId: "R", oid: "1" }, category);

  it.each([
    {
      name: "unshipped (WAIT_SELLER_SEND_GOODS): not shipped, not received, not completed — all known",
      trade: trade([order({ status: "WAIT_SELLER_SEND_GOODS" })], { status: "WAIT_SELLER_SEND_GOODS" }),
      expected: { shippedAt: null, receivedAt: null, completedAt: null, unknown: ["prior_refund"] },
    },
    {
      name: "shipped: the sub-order's consign_time wins over the trade's",
      trade: trade([order({ consignTime: "2026-11-18T01:30:00.000Z" })], { consignTime: "2026-11-17T01:00:00.000Z" }),
      expected: { shippedAt: "2026-11-18T01:30:00.000Z", completedAt: null, unknown: ["received", "prior_refund"] },
    },
    {
      name: "shipped per the trade only",
      trade: trade([order({})], { consignTime: "2026-11-17T01:00:00.000Z" }),
      expected: { shippedAt: "2026-11-17T01:00:00.000Z", unknown: ["received", "prior_refund"] },
    },
    {
      name: "a shipped state without any consign_time: shipped unknown",
      trade: trade([order({})]),
      expected: { shippedAt: null, unknown: ["shipped", "received", "prior_refund"] },
    },
    {
      name: "交易成功: completed and confirmed received at end_time",
      trade: trade([order({ status: "TRADE_FINISHED", consignTime: "2026-11-10T01:00:00.000Z", endTime: "2026-11-15T01:00:00.000Z" })]),
      expected: { completedAt: "2026-11-15T01:00:00.000Z", receivedAt: "2026-11-15T01:00:00.000Z", unknown: ["prior_refund"] },
    },
    {
      name: "交易成功 without end_time: completed and received unknown",
      trade: trade([order({ status: "TRADE_FINISHED", consignTime: "2026-11-10T01:00:00.000Z" })]),
      expected: { completedAt: null, receivedAt: null, unknown: ["completed", "received", "prior_refund"] },
    },
    {
      name: "a closed sub-order never completed",
      trade: trade([order({ status: "TRADE_CLOSED", consignTime: "2026-11-10T01:00:00.000Z", endTime: "2026-11-15T01:00:00.000Z" })]),
      expected: { completedAt: null, unknown: ["received", "prior_refund"] },
    },
    {
      name: "the sub-order's latest refund is another, succeeded one: prior after-sales succeeded",
      trade: trade([order({ refundId: "OLD", refundStatus: "SUCCESS", consignTime: "2026-11-10T01:00:00.000Z" })]),
      expected: { priorRefund: "succeeded", unknown: ["received"] },
    },
    {
      name: "another, closed one: prior after-sales closed",
      trade: trade([order({ refundId: "OLD", refundStatus: "CLOSED", consignTime: "2026-11-10T01:00:00.000Z" })]),
      expected: { priorRefund: "closed", unknown: ["received"] },
    },
    {
      name: "another refund still open: unknown (none of our states fits)",
      trade: trade([order({ refundId: "OLD", refundStatus: "WAIT_SELLER_AGREE", consignTime: "2026-11-10T01:00:00.000Z" })]),
      expected: { unknown: ["received", "prior_refund"] },
    },
    {
      name: "NO_REFUND on the sub-order: none",
      trade: trade([order({ refundId: null, refundStatus: "NO_REFUND", consignTime: "2026-11-10T01:00:00.000Z" })]),
      expected: { priorRefund: "none", unknown: ["received"] },
    },
  ])("$name", ({ trade: input, expected }) => {
    expect(facts(input)).toMatchObject(expected);
  });

  it("a category that could not be read is unknown, never 'other'", () => {
    const result = facts(trade([order({ consignTime: "2026-11-10T01:00:00.000Z" })]), null);
    expect(result.unknown).toContain("category");
    expect(result.category).not.toBe("other");
  });
});

describe("category", () => {
  it("itemcats.get → cid, name, parent_cid", () => {
    expect(parseTaobaoItemCats(parseJsonLossless(itemcats162103))).toEqual([{ cid: "162103", name: "毛衣", parentCid: "16" }]);
  });

  const node = (cid: string, name: string | null, parentCid: string): TaobaoCategoryNode => ({ cid, name, parentCid });
  it.each([
    { name: "a mapped top-level cid (16 女装/女士精品)", cid: "162103", path: [node("162103", "毛衣", "16"), node("16", "女装/女士精品", "0")], expected: "apparel" },
    { name: "a mapped top-level cid whatever its name says (50050359)", cid: "50050725", path: [node("50050725", "新鲜水果", "50050359"), node("50050359", "改名了", "0")], expected: "fresh_food" },
    { name: "an unmapped top level whose name maps (鲜花)", cid: "3", path: [node("3", "玫瑰", "2"), node("2", "鲜花", "0")], expected: "flowers_gardening" },
    { name: "an unmapped one: Taobao's path verbatim", cid: "50006004", path: [node("50006004", "猫零食", "29"), node("29", "宠物/宠物食品及用品", "0")], expected: "宠物/宠物食品及用品>猫零食" },
    { name: "a path cut short: its names, most specific last", cid: "7", path: [node("7", "猫零食", "29")], expected: "猫零食" },
    { name: "nothing readable: the cid itself", cid: "50099999", path: [], expected: "50099999" },
  ])("$name → $expected", ({ cid, path, expected }) => {
    expect(resolveTaobaoCategory(cid, path)).toBe(expected);
  });
});
