import { scaleToMonth } from "@/lib/return-freight/estimator";
import type { FreightSettings, ShopFreightInputs } from "@/lib/return-freight/api";
import { getZoneMixFromCounts } from "@/lib/return-freight/order-freight";
import {
  createEstimatorParameters,
  getDefaultSellerPaysShare,
  modelParameterDefaults,
  type EstimatorParameters,
  type ModelParameters,
} from "@/lib/return-freight/parameters";

// From the shop's history and the owner's settings to one month of estimator parameters.

/**
 * Buyer reasons that make a return the seller's fault, so the seller pays its freight even without
 * 包退运费 (docs/return-freight.md: the Handu split). No-reason, size and change-of-mind returns are the buyer's.
 */
export const sellerFaultReasonCodes = [
  "quality_issue",
  "not_as_described",
  "damaged_in_transit",
  "wrong_item",
  "missing_parts",
  "spoiled",
  "dead_on_arrival",
] as const;

/** Below this many returns a category's own seller-fault share is noise: the default s_c is used (E). */
export const minReturnsForOwnShare = 10;

export type ParameterOrigin = "shop_data" | "default" | "owner";

export type ShopParameters = {
  /** One month (30 d) of the shop's history, with the owner's settings applied. */
  parameters: EstimatorParameters;
  /** Where each model parameter came from, for the page's source line and "reset to default". */
  origins: { zoneMix: ParameterOrigin } & { [K in keyof Omit<ModelParameters, "zoneMix">]: ParameterOrigin };
};

export function buildShopParameters(inputs: ShopFreightInputs, settings: FreightSettings): ShopParameters {
  const defaultShare = getDefaultSellerPaysShare(settings.isFreeReturnPromised).value;
  const categories = inputs.categories
    .filter((category) => category.shippedOrders > 0)
    .map((category) => ({
      categoryId: category.categoryId,
      shippedOrders: scaleToMonth(category.shippedOrders, { windowDays: inputs.coveredDays }),
      returnRate: Math.min(1, category.returnsShippedBack / category.shippedOrders),
      sellerPaysShare:
        settings.isFreeReturnPromised || category.returnsShippedBack < minReturnsForOwnShare
          ? defaultShare
          : category.sellerFaultReturns / category.returnsShippedBack,
    }));
  const base = createEstimatorParameters({ categories, isFreeReturnPromised: settings.isFreeReturnPromised, quotedPremiumFen: settings.quotedPremiumFen });
  const zoneCount = inputs.ordersByZone.same_prov + inputs.ordersByZone.cross_prov + inputs.ordersByZone.remote;
  const overrides = settings.overrides;
  const origin = (key: keyof typeof overrides): ParameterOrigin => (overrides[key] === undefined ? "default" : "owner");
  return {
    parameters: {
      ...base,
      zoneMix: getZoneMixFromCounts(inputs.ordersByZone),
      freightFen: overrides.freightFen ?? base.freightFen,
      payoutFen: overrides.payoutFen ?? base.payoutFen,
      payoutCapFen: overrides.payoutCapFen ?? base.payoutCapFen,
      loading: overrides.loading ?? base.loading,
      premiumFloorFen: overrides.premiumFloorFen ?? base.premiumFloorFen,
      priceRatio: overrides.priceRatio ?? base.priceRatio,
      topUpShare: overrides.topUpShare ?? base.topUpShare,
      handlingFen: overrides.handlingFen ?? base.handlingFen,
    },
    origins: {
      zoneMix: zoneCount > 0 ? "shop_data" : "default",
      freightFen: origin("freightFen"),
      payoutFen: origin("payoutFen"),
      payoutCapFen: origin("payoutCapFen"),
      loading: origin("loading"),
      premiumFloorFen: origin("premiumFloorFen"),
      priceRatio: origin("priceRatio"),
      topUpShare: origin("topUpShare"),
      handlingFen: origin("handlingFen"),
    },
  };
}

/** The zone parameters a card's freight line uses: the owner's saved freight and payout, else the defaults. */
export function getZoneParameters(settings: FreightSettings) {
  return {
    zoneMix: modelParameterDefaults.zoneMix.value,
    freightFen: settings.overrides.freightFen ?? modelParameterDefaults.freightFen.value,
    payoutFen: settings.overrides.payoutFen ?? modelParameterDefaults.payoutFen.value,
    payoutCapFen: settings.overrides.payoutCapFen ?? modelParameterDefaults.payoutCapFen.value,
  };
}
