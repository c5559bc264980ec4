import { describe, expect, it } from "vitest";
import { getBuyerZone, getOrderReturnFreight, getZoneMixFromCounts } from "@/lib/return-freight/order-freight";
import { modelParameterDefaults } from "@/lib/return-freight/parameters";

const defaults = {
  zoneMix: modelParameterDefaults.zoneMix.value,
  freightFen: modelParameterDefaults.freightFen.value,
  payoutFen: modelParameterDefaults.payoutFen.value,
  payoutCapFen: modelParameterDefaults.payoutCapFen.value,
};

describe("getOrderReturnFreight", () => {
  it.each([
    ["return, same province: 8 paid 8", "same_prov", "return_refund", true, { hasReturnParcel: true, returnFreightFen: 800, payoutFen: 800, isCovered: true, uncoveredFen: 0 }],
    ["return, cross province: 11 paid 12", "cross_prov", "return_refund", true, { hasReturnParcel: true, returnFreightFen: 1_100, payoutFen: 1_200, isCovered: true, uncoveredFen: 0 }],
    ["exchange, remote: 18 paid 20", "remote", "exchange", true, { hasReturnParcel: true, returnFreightFen: 1_800, payoutFen: 2_000, isCovered: true, uncoveredFen: 0 }],
    ["repair: a parcel, no payout (E)", "cross_prov", "repair", true, { hasReturnParcel: true, returnFreightFen: 1_100, payoutFen: 0, isCovered: false, uncoveredFen: 1_100 }],
    ["refund only: no parcel, never a payout", "cross_prov", "refund_only", true, { hasReturnParcel: false, returnFreightFen: 0, payoutFen: 0, isCovered: false, uncoveredFen: 0 }],
    ["unshipped return: never a payout", "cross_prov", "return_refund", false, { hasReturnParcel: false, returnFreightFen: 0, payoutFen: 0, isCovered: false, uncoveredFen: 0 }],
    ["entry re-open: no parcel yet", "remote", "entry_reopen", true, { hasReturnParcel: false, returnFreightFen: 0, payoutFen: 0, isCovered: false, uncoveredFen: 0 }],
    ["unknown zone: the zone-mix means F̄ and B̄", null, "return_refund", true, { hasReturnParcel: true, returnFreightFen: 1_080, payoutFen: 1_160, isCovered: true, uncoveredFen: 0 }],
  ] as const)("%s", (_label, zone, kind, isShipped, expected) => {
    expect(getOrderReturnFreight(defaults, { zone, kind, isShipped })).toEqual(expected);
  });

  it("caps the payout and reports what it leaves uncovered", () => {
    const remoteExpensive = { ...defaults, freightFen: { ...defaults.freightFen, remote: 3_000 }, payoutFen: { ...defaults.payoutFen, remote: 2_800 } };
    expect(getOrderReturnFreight(remoteExpensive, { zone: "remote", kind: "return_refund", isShipped: true })).toEqual({
      hasReturnParcel: true,
      returnFreightFen: 3_000,
      payoutFen: 2_500,
      isCovered: false,
      uncoveredFen: 500,
    });
  });
});

describe("getBuyerZone", () => {
  it.each([
    ["浙江省", "浙江", "same_prov"],
    ["浙江省", "江苏省", "cross_prov"],
    ["广东省", "新疆维吾尔自治区", "remote"],
    ["广东省", "内蒙古自治区", "remote"],
    ["广东省", "西藏", "remote"],
    ["新疆维吾尔自治区", "新疆", "same_prov"],
    ["上海市", " 上海 ", "same_prov"],
    ["黑龙江省", "海南省", "cross_prov"],
  ] as const)("%s → %s: %s", (shipFrom, receiver, zone) => {
    expect(getBuyerZone(shipFrom, receiver)).toBe(zone);
  });
});

describe("getZoneMixFromCounts", () => {
  it.each([
    ["shop data", { same_prov: 30, cross_prov: 50, remote: 20 }, { same_prov: 0.3, cross_prov: 0.5, remote: 0.2 }],
    ["no orders: the default mix", { same_prov: 0, cross_prov: 0, remote: 0 }, { same_prov: 0.3, cross_prov: 0.6, remote: 0.1 }],
  ] as const)("%s", (_label, counts, mix) => {
    expect(getZoneMixFromCounts(counts)).toEqual(mix);
  });
});
