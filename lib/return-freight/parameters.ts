// Parameters of the 退货宝 / 运费险 estimator and their defaults, each with its source and confidence.
// Model and default values: docs/return-freight.md (the model, each default and its source).
// Confidence: H official/seed, M two agreeing 3p sources, L one 3p page, E our estimate (warnings only).

export type Confidence = "H" | "M" | "L" | "E";

/** A default value that the owner can override; the UI shows `source` and an 估 badge when E. */
export type SourcedValue<T> = {
  value: T;
  source: string;
  confidence: Confidence;
};

/** Buyer zones relative to the shop's ship-from province (docs/return-freight.md, z). */
export const buyerZones = ["same_prov", "cross_prov", "remote"] as const;
export type BuyerZone = (typeof buyerZones)[number];

/** A number per buyer zone: mix w_z, freight f_z or payout b_z. */
export type ZoneValues = Record<BuyerZone, number>;

export const categoryIds = [
  "apparel",
  "sports",
  "shoes_bags",
  "3c_digital",
  "home_appliance",
  "home_textile",
  "jewellery",
  "beauty",
  "food",
  "fresh_food",
  "flowers_gardening",
  "live_pets",
] as const;
export type CategoryId = (typeof categoryIds)[number];

/** One category's shop data over the estimate's period (see `scaleToMonth`). */
export type CategoryInput = {
  categoryId: CategoryId;
  /** N_c: orders shipped; the premium is charged per shipped order (docs/return-freight.md). */
  shippedOrders: number;
  /** r_c: returns shipped back ÷ orders shipped, 0..1. */
  returnRate: number;
  /** s_c: share of those returns whose freight the seller pays today, 0..1. */
  sellerPaysShare: number;
};

/** Everything the estimator needs; money in fen, rates as plain numbers (0.35 = 35%). */
export type EstimatorParameters = {
  categories: CategoryInput[];
  /** w_z: buyer mix by zone; expected to sum to 1. */
  zoneMix: ZoneValues;
  /** f_z: return freight per parcel the seller would pay. */
  freightFen: ZoneValues;
  /** b_z: 退货宝 payout per return before the cap. */
  payoutFen: ZoneValues;
  payoutCapFen: number;
  /** p: premium per shipped order quoted in 千牛; null when the seller has no quote (then p̂ is used). */
  quotedPremiumFen: number | null;
  /** λ: insurer loading on expected payouts. */
  loading: number;
  /** p_min: the lowest 运费险 premium per order. */
  premiumFloorFen: number;
  /** d: 退货宝 price ÷ 运费险 price (1 prices plain 运费险). */
  priceRatio: number;
  /** t: share of the payout shortfall the seller tops up when payout < freight. */
  topUpShare: number;
  /** h: handling cost per reimbursement. */
  handlingFen: number;
};

/** Everything except the shop's categories and its quote: what "reset to default" restores. */
export type ModelParameters = Omit<EstimatorParameters, "categories" | "quotedPremiumFen">;

export const modelParameterDefaults: { [K in keyof ModelParameters]: SourcedValue<ModelParameters[K]> } = {
  zoneMix: {
    value: { same_prov: 0.3, cross_prov: 0.6, remote: 0.1 },
    source: "docs/return-freight.md w_z: our estimate until the shop's order regions say otherwise",
    confidence: "E",
  },
  freightFen: {
    value: { same_prov: 800, cross_prov: 1100, remote: 1800 },
    source: "docs/return-freight.md retail 通达系 8–10 / 10–15 / 15–25 yuan (no rate card found)",
    confidence: "E",
  },
  payoutFen: {
    value: { same_prov: 800, cross_prov: 1200, remote: 2000 },
    source: "docs/return-freight.md payout: first-weight freight by distance, \"usually 8 or 12\", 5–24",
    confidence: "M",
  },
  payoutCapFen: {
    value: 2500,
    source: "docs/return-freight.md payout cap 25 yuan",
    confidence: "M",
  },
  loading: {
    value: 1.2,
    source: "docs/return-freight.md λ: our estimate; fits the old ≈20 yuan × rate tiers and WeChat premiums",
    confidence: "E",
  },
  premiumFloorFen: {
    value: 30,
    source: "docs/return-freight.md seller 运费险 \"from 0.3 yuan\" per shipped order",
    confidence: "L",
  },
  priceRatio: {
    value: 0.8,
    source: "docs/return-freight.md d: ≤0.9× the old 运费险 cost, many ≤0.5×; we take 0.8",
    confidence: "E",
  },
  topUpShare: {
    value: 0,
    source: "docs/return-freight.md t: our estimate (sellers rarely top up a payout)",
    confidence: "E",
  },
  handlingFen: {
    value: 0,
    source: "docs/return-freight.md h: our estimate (no handling cost per reimbursement)",
    confidence: "E",
  },
};

/**
 * Default r_c per category (docs/return-freight.md; every default there is E). 3C and appliances share the
 * Tmall appliances row; fresh food, flowers and live pets are ours: perishables and live animals are
 * outside 7-day no-reason returns and are mostly refunded without a return parcel.
 */
export const categoryReturnRateDefaults: Record<CategoryId, SourcedValue<number>> = {
  apparel: {
    value: 0.35,
    source: "docs/return-freight.md women's apparel: Tmall 10.09% (2014), ~30% e-com, 50–60% livestream",
    confidence: "E",
  },
  sports: { value: 0.15, source: "docs/return-freight.md sports apparel/shoes: Tmall 30-day 15.07%", confidence: "E" },
  shoes_bags: { value: 0.12, source: "docs/return-freight.md clothes/shoes/bags: Tmall 7.48%", confidence: "E" },
  "3c_digital": { value: 0.05, source: "docs/return-freight.md home appliances / 3C: Tmall 4.36%", confidence: "E" },
  home_appliance: { value: 0.05, source: "docs/return-freight.md home appliances / 3C: Tmall 4.36%", confidence: "E" },
  home_textile: { value: 0.03, source: "docs/return-freight.md home textiles / home: 2.57%", confidence: "E" },
  jewellery: {
    value: 0.3,
    source: "docs/return-freight.md jewellery: livestream ~70% claimed, disputed by Douyin",
    confidence: "E",
  },
  beauty: { value: 0.05, source: "docs/return-freight.md beauty: no source", confidence: "E" },
  food: { value: 0.02, source: "docs/return-freight.md food: no source", confidence: "E" },
  fresh_food: {
    value: 0.01,
    source: "Our estimate: 生鲜 is outside no-reason returns; refunds rarely ship back",
    confidence: "E",
  },
  flowers_gardening: {
    value: 0.02,
    source: "Our estimate: live plants are outside no-reason returns; late problems go through 售后保 (docs/domain/after-sales-entry.md)",
    confidence: "E",
  },
  live_pets: {
    value: 0.01,
    source: "Our estimate: live animals are outside no-reason returns and are rarely shipped back",
    confidence: "E",
  },
};

/** s_c default: 1.0 if the shop promises 包退运费, else 0.2 (docs/return-freight.md s_c; E). */
export function getDefaultSellerPaysShare(isFreeReturnPromised: boolean): SourcedValue<number> {
  return isFreeReturnPromised
    ? { value: 1, source: "docs/return-freight.md s_c: the shop promises 包退运费, so it pays every return", confidence: "E" }
    : {
        value: 0.2,
        source: "docs/return-freight.md s_c: without 包退运费 the seller pays only seller-fault returns (the split of refund reasons, see the table)",
        confidence: "E",
      };
}

/** The platform's own claim, drawn beside our saving: 10–30% of return freight (docs/return-freight.md, H as a claim). */
export const platformClaimedSavingShare: SourcedValue<{ min: number; max: number }> = {
  value: { min: 0.1, max: 0.3 },
  source: "docs/return-freight.md: Taobao claims 退货宝 cuts sellers' return freight by 10–30% (its 退货宝 announcement)",
  confidence: "H",
};

/** Parameters from the shop's categories, every unset rate filled from the defaults above. */
export function createEstimatorParameters(input: {
  categories: { categoryId: CategoryId; shippedOrders: number; returnRate?: number; sellerPaysShare?: number }[];
  isFreeReturnPromised: boolean;
  quotedPremiumFen?: number | null;
}): EstimatorParameters {
  const sellerPaysShare = getDefaultSellerPaysShare(input.isFreeReturnPromised).value;
  return {
    categories: input.categories.map((category) => ({
      categoryId: category.categoryId,
      shippedOrders: category.shippedOrders,
      returnRate: category.returnRate ?? categoryReturnRateDefaults[category.categoryId].value,
      sellerPaysShare: category.sellerPaysShare ?? sellerPaysShare,
    })),
    zoneMix: { ...modelParameterDefaults.zoneMix.value },
    freightFen: { ...modelParameterDefaults.freightFen.value },
    payoutFen: { ...modelParameterDefaults.payoutFen.value },
    payoutCapFen: modelParameterDefaults.payoutCapFen.value,
    quotedPremiumFen: input.quotedPremiumFen ?? null,
    loading: modelParameterDefaults.loading.value,
    premiumFloorFen: modelParameterDefaults.premiumFloorFen.value,
    priceRatio: modelParameterDefaults.priceRatio.value,
    topUpShare: modelParameterDefaults.topUpShare.value,
    handlingFen: modelParameterDefaults.handlingFen.value,
  };
}
