import { describe, expect, it } from "vitest";
import { defaultFreightSettings, type ShopFreightInputs } from "@/lib/return-freight/api";
import { buildShopParameters, getZoneParameters } from "@/lib/return-freight/shop-parameters";

const inputs: ShopFreightInputs = {
  shop: { id: "shop_1", name: "天猫店", platform: "tmall", shipFromProvince: "浙江" },
  windowDays: 90,
  coveredDays: 45,
  categories: [
    { categoryId: "apparel", shippedOrders: 3_000, returnsShippedBack: 900, sellerFaultReturns: 180 },
    { categoryId: "3c_digital", shippedOrders: 1_500, returnsShippedBack: 6, sellerFaultReturns: 6 },
    { categoryId: "food", shippedOrders: 0, returnsShippedBack: 0, sellerFaultReturns: 0 },
  ],
  ordersByZone: { same_prov: 900, cross_prov: 3_150, remote: 450 },
  unknownZoneOrders: 0,
  uncategorizedOrders: 0,
};

describe("buildShopParameters", () => {
  it("scales the covered days to a month, takes rates, seller-fault shares and the zone mix from the shop", () => {
    const { parameters, origins } = buildShopParameters(inputs, defaultFreightSettings);
    expect(parameters.categories).toEqual([
      // 3,000 in 45 days → 2,000 a month; 900 returns → 30%; 180 seller-fault → s = 0.2 from the shop's own data
      { categoryId: "apparel", shippedOrders: 2_000, returnRate: 0.3, sellerPaysShare: 0.2 },
      // 6 returns are too few to trust the shop's own share: the default 0.2 (E)
      { categoryId: "3c_digital", shippedOrders: 1_000, returnRate: 0.004, sellerPaysShare: 0.2 },
    ]);
    expect(parameters.zoneMix).toEqual({ same_prov: 0.2, cross_prov: 0.7, remote: 0.1 });
    expect(parameters.quotedPremiumFen).toBeNull();
    expect(origins).toMatchObject({ zoneMix: "shop_data", freightFen: "default", loading: "default" });
  });

  it("applies the owner's quote, promise and overrides", () => {
    const { parameters, origins } = buildShopParameters(inputs, {
      quotedPremiumFen: 320,
      isFreeReturnPromised: true,
      isSubscribed: false,
      overrides: { freightFen: { same_prov: 700, cross_prov: 1_000, remote: 2_000 }, priceRatio: 0.5 },
    });
    expect(parameters.categories.map((category) => category.sellerPaysShare)).toEqual([1, 1]);
    expect(parameters).toMatchObject({ quotedPremiumFen: 320, priceRatio: 0.5, loading: 1.2, freightFen: { same_prov: 700, cross_prov: 1_000, remote: 2_000 } });
    expect(origins).toMatchObject({ freightFen: "owner", priceRatio: "owner", payoutFen: "default" });
  });

  it("falls back to the default zone mix for a shop without zone data", () => {
    const { parameters, origins } = buildShopParameters({ ...inputs, ordersByZone: { same_prov: 0, cross_prov: 0, remote: 0 } }, defaultFreightSettings);
    expect(parameters.zoneMix).toEqual({ same_prov: 0.3, cross_prov: 0.6, remote: 0.1 });
    expect(origins.zoneMix).toBe("default");
  });
});

describe("getZoneParameters", () => {
  it("uses the owner's freight and payout, the defaults otherwise", () => {
    expect(getZoneParameters({ ...defaultFreightSettings, overrides: { payoutCapFen: 1_500 } })).toEqual({
      zoneMix: { same_prov: 0.3, cross_prov: 0.6, remote: 0.1 },
      freightFen: { same_prov: 800, cross_prov: 1_100, remote: 1_800 },
      payoutFen: { same_prov: 800, cross_prov: 1_200, remote: 2_000 },
      payoutCapFen: 1_500,
    });
  });
});
