import { formatFen, formatFenAsWholeYuan } from "@/lib/money";
import type { CategoryInput, EstimatorParameters } from "@/lib/return-freight/parameters";

// The 退货宝 / 运费险 estimator of docs/return-freight.md, per period (a month: see `scaleToMonth`).
//
// Rounding: money is computed in fen as unrounded numbers; the get*Fen building blocks return exact
// values so they compose without drift. Only outputs (estimate, breakdown, verdict, grid, order helper,
// CSV) are rounded, half away from zero, to whole fen by `roundFen`.
//
// One change to docs/return-freight.md, on purpose: the top-up uses the mean per-zone shortfall
// Ḡ = Σ_z w_z · max(0, f_z − min(b_z, cap)) instead of max(0, F̄ − B̄). A surplus payout in one zone goes
// to that buyer and never pays another zone's shortfall, so Ḡ ≥ max(0, F̄ − B̄); both are equal when every
// zone's payout covers its freight (the defaults) or none does.

/** Half away from zero to whole fen; float noise is cut at 12 significant digits first (1.005×100 → 101). */
export function roundFen(valueFen: number): number {
  const magnitude = Math.round(Number(Math.abs(valueFen).toPrecision(12)));
  return magnitude === 0 ? 0 : Math.sign(valueFen) * magnitude;
}

/** Scales a count or amount from the shop's data window (default 90 d) to the period (default 30 d). */
export function scaleToMonth(valueInWindow: number, options: { windowDays?: number; periodDays?: number } = {}): number {
  const windowDays = options.windowDays ?? 90;
  const periodDays = options.periodDays ?? 30;
  if (!(windowDays > 0)) throw new RangeError(`windowDays must be positive, got ${windowDays}`);
  return (valueInWindow * periodDays) / windowDays;
}

type ZoneParameters = Pick<EstimatorParameters, "zoneMix" | "freightFen" | "payoutFen" | "payoutCapFen">;

/** F̄ = Σ_z w_z · f_z: mean return freight the seller would pay (docs/return-freight.md). */
export function getMeanFreightFen(params: Pick<EstimatorParameters, "zoneMix" | "freightFen">): number {
  const { zoneMix, freightFen } = params;
  return zoneMix.same_prov * freightFen.same_prov + zoneMix.cross_prov * freightFen.cross_prov + zoneMix.remote * freightFen.remote;
}

/** B̄ = Σ_z w_z · min(b_z, cap): mean payout (docs/return-freight.md). */
export function getMeanPayoutFen(params: Omit<ZoneParameters, "freightFen">): number {
  const { zoneMix, payoutFen, payoutCapFen } = params;
  return (
    zoneMix.same_prov * Math.min(payoutFen.same_prov, payoutCapFen) +
    zoneMix.cross_prov * Math.min(payoutFen.cross_prov, payoutCapFen) +
    zoneMix.remote * Math.min(payoutFen.remote, payoutCapFen)
  );
}

/** Ḡ = Σ_z w_z · max(0, f_z − min(b_z, cap)): mean freight the payout leaves uncovered (see header). */
export function getMeanShortfallFen(params: ZoneParameters): number {
  const { zoneMix, freightFen, payoutFen, payoutCapFen } = params;
  const shortfallFen = (zone: keyof typeof zoneMix) => Math.max(0, freightFen[zone] - Math.min(payoutFen[zone], payoutCapFen));
  return zoneMix.same_prov * shortfallFen("same_prov") + zoneMix.cross_prov * shortfallFen("cross_prov") + zoneMix.remote * shortfallFen("remote");
}

/** N = Σ_c N_c: orders shipped, the premium's base (docs/return-freight.md). */
export function getShippedOrders(params: Pick<EstimatorParameters, "categories">): number {
  return params.categories.reduce((sum, category) => sum + category.shippedOrders, 0);
}

/** Σ_c R_c with R_c = N_c · r_c: returns shipped back. */
export function getReturnsShippedBack(params: Pick<EstimatorParameters, "categories">): number {
  return params.categories.reduce((sum, category) => sum + category.shippedOrders * category.returnRate, 0);
}

/** r̂ = Σ R_c ÷ Σ N_c: the shop-wide shipped-back rate the insurer prices on (0 for a shop with no orders). */
export function getShopReturnRate(params: Pick<EstimatorParameters, "categories">): number {
  const shippedOrders = getShippedOrders(params);
  return shippedOrders > 0 ? getReturnsShippedBack(params) / shippedOrders : 0;
}

/** Σ_c R_c · s_c: returns whose freight the seller pays today. */
function getSellerPaidReturns(categories: CategoryInput[]): number {
  return categories.reduce((sum, category) => sum + category.shippedOrders * category.returnRate * category.sellerPaysShare, 0);
}

/** Cost_without = Σ_c R_c · s_c · (F̄ + h) (docs/return-freight.md). */
export function getCostWithoutFen(params: EstimatorParameters): number {
  return getSellerPaidReturns(params.categories) * (getMeanFreightFen(params) + params.handlingFen);
}

/** p̂ = max(p_min, λ · r̂ · B̄) · d: the premium to expect without a quote (docs/return-freight.md). */
export function getEstimatedPremiumFen(params: EstimatorParameters): number {
  const expectedPayoutFen = params.loading * getShopReturnRate(params) * getMeanPayoutFen(params);
  return Math.max(params.premiumFloorFen, expectedPayoutFen) * params.priceRatio;
}

/** The cheapest premium the model ever estimates: p_min · d (the floor applies to 运费险 before d). */
export function getLowestPremiumFen(params: Pick<EstimatorParameters, "premiumFloorFen" | "priceRatio">): number {
  return params.premiumFloorFen * params.priceRatio;
}

export type PremiumSource = "quote" | "estimate";

/** The seller's 千牛 quote wins; without one, p̂. */
export function getPremium(params: EstimatorParameters): { premiumFen: number; source: PremiumSource } {
  return params.quotedPremiumFen === null
    ? { premiumFen: getEstimatedPremiumFen(params), source: "estimate" }
    : { premiumFen: params.quotedPremiumFen, source: "quote" };
}

/** Cost_with = N · p + Σ_c R_c · s_c · t · Ḡ (docs/return-freight.md, Ḡ per header). */
export function getCostWithFen(params: EstimatorParameters, premiumFen: number): number {
  const topUpFen = getSellerPaidReturns(params.categories) * params.topUpShare * getMeanShortfallFen(params);
  return getShippedOrders(params) * premiumFen + topUpFen;
}

/** Saving = Cost_without − Cost_with; negative when subscribing costs more. */
export function getSavingFen(params: EstimatorParameters, premiumFen: number): number {
  return getCostWithoutFen(params) - getCostWithFen(params, premiumFen);
}

/** p* = Σ_c R_c · s_c · (F̄ + h − t · Ḡ) ÷ N: the premium at which saving is zero (0 with no orders). */
export function getBreakEvenPremiumFen(params: EstimatorParameters): number {
  const shippedOrders = getShippedOrders(params);
  if (shippedOrders === 0) return 0;
  const perReturnFen = getMeanFreightFen(params) + params.handlingFen - params.topUpShare * getMeanShortfallFen(params);
  return (getSellerPaidReturns(params.categories) * perReturnFen) / shippedOrders;
}

/** The estimator's outputs for one period, money rounded to whole fen. */
export type ReturnFreightEstimate = {
  shippedOrders: number;
  returnsShippedBack: number;
  shopReturnRate: number;
  meanFreightFen: number;
  meanPayoutFen: number;
  meanShortfallFen: number;
  premiumFen: number;
  premiumSource: PremiumSource;
  costWithoutFen: number;
  costWithFen: number;
  savingFen: number;
  /** Saving ÷ Cost_without; null when there is no return freight to save on. */
  savingShare: number | null;
  savingPerOrderFen: number;
  breakEvenPremiumFen: number;
  lowestPremiumFen: number;
  /** p* < p_min · d: no estimated premium can pay off on freight alone (docs/return-freight.md, 3C example). */
  isBreakEvenBelowFloor: boolean;
};

export function estimateReturnFreight(params: EstimatorParameters): ReturnFreightEstimate {
  const shippedOrders = getShippedOrders(params);
  const { premiumFen, source } = getPremium(params);
  const costWithoutFen = getCostWithoutFen(params);
  const savingFen = getSavingFen(params, premiumFen);
  const breakEvenPremiumFen = getBreakEvenPremiumFen(params);
  const lowestPremiumFen = getLowestPremiumFen(params);
  return {
    shippedOrders,
    returnsShippedBack: getReturnsShippedBack(params),
    shopReturnRate: getShopReturnRate(params),
    meanFreightFen: roundFen(getMeanFreightFen(params)),
    meanPayoutFen: roundFen(getMeanPayoutFen(params)),
    meanShortfallFen: roundFen(getMeanShortfallFen(params)),
    premiumFen: roundFen(premiumFen),
    premiumSource: source,
    costWithoutFen: roundFen(costWithoutFen),
    costWithFen: roundFen(getCostWithFen(params, premiumFen)),
    savingFen: roundFen(savingFen),
    savingShare: costWithoutFen > 0 ? savingFen / costWithoutFen : null,
    savingPerOrderFen: shippedOrders > 0 ? roundFen(savingFen / shippedOrders) : 0,
    breakEvenPremiumFen: roundFen(breakEvenPremiumFen),
    lowestPremiumFen: roundFen(lowestPremiumFen),
    isBreakEvenBelowFloor: breakEvenPremiumFen < lowestPremiumFen,
  };
}

export type CategoryBreakdownRow = CategoryInput & {
  returnsShippedBack: number;
  costWithoutFen: number;
  /** N_c · p: this category's share of the premium (the premium is per shop, the same p for all). */
  premiumCostFen: number;
  topUpFen: number;
  costWithFen: number;
  savingFen: number;
  /** p*_c: the premium at which this category alone would break even. */
  breakEvenPremiumFen: number;
};

/** One row per category; unrounded rows sum to the shop's totals (rounded rows may differ by a fen). */
export function getCategoryBreakdown(params: EstimatorParameters): CategoryBreakdownRow[] {
  const { premiumFen } = getPremium(params);
  return params.categories.map((category) => {
    const single: EstimatorParameters = { ...params, categories: [category] };
    const costWithoutFen = getCostWithoutFen(single);
    const costWithFen = getCostWithFen(single, premiumFen);
    const premiumCostFen = category.shippedOrders * premiumFen;
    return {
      ...category,
      returnsShippedBack: category.shippedOrders * category.returnRate,
      costWithoutFen: roundFen(costWithoutFen),
      premiumCostFen: roundFen(premiumCostFen),
      topUpFen: roundFen(costWithFen - premiumCostFen),
      costWithFen: roundFen(costWithFen),
      savingFen: roundFen(costWithoutFen - costWithFen),
      breakEvenPremiumFen: roundFen(getBreakEvenPremiumFen(single)),
    };
  });
}

export type VerdictReason = "saves" | "no_saving" | "costs_more" | "break_even_below_floor";

/** What the page says in one sentence; `formatVerdictSentence` words it in the reader's language. */
export type Verdict = {
  isWorthSubscribing: boolean;
  reason: VerdictReason;
  premiumFen: number;
  premiumSource: PremiumSource;
  /** Saving over the parameters' period (a month after `scaleToMonth`); negative = extra cost. */
  savingPerMonthFen: number;
  breakEvenPremiumFen: number;
  lowestPremiumFen: number;
};

/** Subscribe only when the rounded monthly saving is positive, so the flag and the sentence agree. */
export function getVerdict(params: EstimatorParameters): Verdict {
  const estimate = estimateReturnFreight(params);
  const isWorthSubscribing = estimate.savingFen > 0;
  const reason: VerdictReason = isWorthSubscribing
    ? "saves"
    : estimate.isBreakEvenBelowFloor
      ? "break_even_below_floor"
      : estimate.savingFen === 0
        ? "no_saving"
        : "costs_more";
  return {
    isWorthSubscribing,
    reason,
    premiumFen: estimate.premiumFen,
    premiumSource: estimate.premiumSource,
    savingPerMonthFen: estimate.savingFen,
    breakEvenPremiumFen: estimate.breakEvenPremiumFen,
    lowestPremiumFen: estimate.lowestPremiumFen,
  };
}

/** A translator for the `freight` messages, as next-intl's `t` is: the words live in the messages files, not here. */
export type FreightTranslate = (key: string, values?: Record<string, string>) => string;

/**
 * e.g. "按当前报价 ¥3.20/单，订阅每月约省 ¥1,240" (docs/return-freight.md), worded by `freight.verdictSentence` in the messages.
 * Premiums show fen, the monthly sum whole yuan (lib/money.ts); signs are dropped, the words carry them.
 */
export function formatVerdictSentence(verdict: Verdict, t: FreightTranslate): string {
  const premium = (amountFen: number) => formatFen(roundFen(Math.abs(amountFen)));
  const figures = {
    premium: premium(verdict.premiumFen),
    saving: formatFenAsWholeYuan(Math.abs(verdict.savingPerMonthFen)),
    breakEven: premium(verdict.breakEvenPremiumFen),
    lowest: premium(verdict.lowestPremiumFen),
  };
  const at = t(verdict.premiumSource === "quote" ? "verdictSentence.atQuote" : "verdictSentence.atEstimate", figures);
  return t(`verdictSentence.${verdict.reason}`, { ...figures, at });
}

export type SensitivityCell = {
  premiumFactor: number;
  premiumFen: number;
  savingFen: number;
  isWorthSubscribing: boolean;
  /** The verdict here differs from the one at the centre (current rates, current premium). */
  isFlipped: boolean;
};

export type SensitivityRow = {
  returnRateFactor: number;
  shopReturnRate: number;
  /** p* at this return rate: along the row the verdict flips where the premium crosses it. */
  breakEvenPremiumFen: number;
  cells: SensitivityCell[];
};

export type SensitivityGrid = {
  basePremiumFen: number;
  isBaseWorthSubscribing: boolean;
  rows: SensitivityRow[];
};

/** steps factors spread evenly over 1 ± spread, centre exactly 1 (steps odd ≥ 3). */
function getFactors(steps: number, spread: number): number[] {
  if (!Number.isInteger(steps) || steps < 3 || steps % 2 === 0) throw new RangeError(`steps must be odd and ≥ 3, got ${steps}`);
  return Array.from({ length: steps }, (_, index) => Number((1 + spread * ((2 * index) / (steps - 1) - 1)).toFixed(9)));
}

/**
 * Return rate ± returnRateSpread (default 20%) × premium ± premiumSpread (default 30%), the band of
 * docs/return-freight.md UI rules. The premium axis scales the current premium (quote or p̂ at today's rates) and is
 * held fixed down a column, so a cell shows what a scaled return rate does at that price; rates cap at 1.
 */
export function getSensitivityGrid(
  params: EstimatorParameters,
  options: { steps?: number; returnRateSpread?: number; premiumSpread?: number } = {},
): SensitivityGrid {
  const steps = options.steps ?? 5;
  const returnRateFactors = getFactors(steps, options.returnRateSpread ?? 0.2);
  const premiumFactors = getFactors(steps, options.premiumSpread ?? 0.3);
  const basePremiumFen = getPremium(params).premiumFen;
  const isBaseWorthSubscribing = roundFen(getSavingFen(params, basePremiumFen)) > 0;
  const rows = returnRateFactors.map((returnRateFactor) => {
    const scaled: EstimatorParameters = {
      ...params,
      categories: params.categories.map((category) => ({
        ...category,
        returnRate: Math.min(1, category.returnRate * returnRateFactor),
      })),
    };
    const cells = premiumFactors.map((premiumFactor) => {
      const premiumFen = basePremiumFen * premiumFactor;
      const savingFen = roundFen(getSavingFen(scaled, premiumFen));
      const isWorthSubscribing = savingFen > 0;
      return {
        premiumFactor,
        premiumFen: roundFen(premiumFen),
        savingFen,
        isWorthSubscribing,
        isFlipped: isWorthSubscribing !== isBaseWorthSubscribing,
      };
    });
    return {
      returnRateFactor,
      shopReturnRate: getShopReturnRate(scaled),
      breakEvenPremiumFen: roundFen(getBreakEvenPremiumFen(scaled)),
      cells,
    };
  });
  return { basePremiumFen: roundFen(basePremiumFen), isBaseWorthSubscribing, rows };
}
