import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { apparel, digital } from "@/lib/return-freight/estimator.fixture";
import {
  estimateReturnFreight,
  getBreakEvenPremiumFen,
  getCategoryBreakdown,
  getCostWithFen,
  getCostWithoutFen,
  getEstimatedPremiumFen,
  getMeanFreightFen,
  getMeanPayoutFen,
  getMeanShortfallFen,
  getSavingFen,
  getShippedOrders,
  getVerdict,
  roundFen,
  scaleToMonth,
} from "@/lib/return-freight/estimator";
import {
  categoryIds,
  categoryReturnRateDefaults,
  createEstimatorParameters,
  getDefaultSellerPaysShare,
  modelParameterDefaults,
  type EstimatorParameters,
} from "@/lib/return-freight/parameters";

// The model's numbers: rounding, defaults, the worked examples, its edges and properties. The verdict, its sentences
// and the sensitivity grid built on them: estimator-verdict.test.ts
describe("roundFen: half away from zero, only at outputs", () => {
  it.each([
    [0.5, 1],
    [1.5, 2],
    [2.5, 3],
    [-0.5, -1],
    [-2.5, -3],
    [0.49, 0],
    [-0.49, 0],
    [389.76, 390],
    [1.005 * 100, 101], // 100.49999999999999 in floats: noise is cut before rounding
    [-0, 0],
    [3_897_600.0000000005, 3_897_600],
  ])("%d → %d", (valueFen, roundedFen) => {
    expect(roundFen(valueFen)).toBe(roundedFen);
  });
});

describe("scaleToMonth", () => {
  it.each([
    ["90-day window to 30 days (defaults)", 30_000, {}, 10_000],
    ["30-day window unchanged", 1_234, { windowDays: 30 }, 1_234],
    ["7-day window to 30 days", 700, { windowDays: 7 }, 3_000],
    ["90-day window to a 31-day month", 900, { periodDays: 31 }, 310],
  ] as const)("%s", (_label, value, options, scaled) => {
    expect(scaleToMonth(value, options)).toBeCloseTo(scaled, 9);
  });

  it("refuses an empty window", () => {
    expect(() => scaleToMonth(10, { windowDays: 0 })).toThrow(RangeError);
  });
});

describe("defaults (docs/return-freight.md)", () => {
  it.each([
    ["apparel", 0.35],
    ["sports", 0.15],
    ["shoes_bags", 0.12],
    ["3c_digital", 0.05],
    ["home_appliance", 0.05],
    ["home_textile", 0.03],
    ["jewellery", 0.3],
    ["beauty", 0.05],
    ["food", 0.02],
    ["fresh_food", 0.01],
    ["flowers_gardening", 0.02],
    ["live_pets", 0.01],
  ] as const)("%s returns %d, an estimate", (categoryId, returnRate) => {
    expect(categoryReturnRateDefaults[categoryId]).toMatchObject({ value: returnRate, confidence: "E" });
  });

  it("covers every category id and cites a source for each default", () => {
    expect(Object.keys(categoryReturnRateDefaults).sort()).toEqual([...categoryIds].sort());
    for (const sourced of [...Object.values(categoryReturnRateDefaults), ...Object.values(modelParameterDefaults)]) {
      expect(sourced.source.length).toBeGreaterThan(10);
    }
  });

  it.each([
    [true, 1],
    [false, 0.2],
  ])("seller pays share when 包退运费 promised = %s → %d", (isPromised, share) => {
    expect(getDefaultSellerPaysShare(isPromised).value).toBe(share);
  });
});

describe("docs/return-freight.md worked example, women's apparel", () => {
  it.each([
    ["F̄ = 10.8 yuan", getMeanFreightFen(apparel), 1_080],
    ["B̄ = 11.6 yuan", getMeanPayoutFen(apparel), 1_160],
    ["no zone leaves a shortfall", getMeanShortfallFen(apparel), 0],
    ["Cost_without = 37,800 yuan", getCostWithoutFen(apparel), 3_780_000],
    ["p̂(运费险, d = 1) = 4.872 yuan", getEstimatedPremiumFen({ ...apparel, priceRatio: 1 }), 487.2],
    ["Cost_with(运费险) = 48,720 yuan", getCostWithFen(apparel, 487.2), 4_872_000],
    ["p̂(退货宝, d = 0.8) = 3.8976 yuan", getEstimatedPremiumFen(apparel), 389.76],
    ["Cost_with(退货宝) = 38,976 yuan", getCostWithFen(apparel, 389.76), 3_897_600],
    ["p* = 3.78 yuan", getBreakEvenPremiumFen(apparel), 378],
  ])("%s", (_label, exactFen, expectedFen) => {
    expect(exactFen).toBeCloseTo(expectedFen, 6);
  });

  it("rounds p̂ only at the output: 3.90 yuan shown, costs from 3.8976 (rounding first would say 39,000)", () => {
    expect(estimateReturnFreight(apparel)).toEqual({
      shippedOrders: 10_000,
      returnsShippedBack: 3_500,
      shopReturnRate: 0.35,
      meanFreightFen: 1_080,
      meanPayoutFen: 1_160,
      meanShortfallFen: 0,
      premiumFen: 390,
      premiumSource: "estimate",
      costWithoutFen: 3_780_000,
      costWithFen: 3_897_600,
      savingFen: -117_600,
      savingShare: expect.closeTo(-0.031111, 5),
      savingPerOrderFen: -12,
      breakEvenPremiumFen: 378,
      lowestPremiumFen: 24,
      isBreakEvenBelowFloor: false,
    });
    expect(getCostWithFen(apparel, 390)).toBe(3_900_000);
  });

  it("3C shop: p* = 0.108 yuan, below the floor, so not worth it on freight alone", () => {
    const estimate = estimateReturnFreight(digital);
    expect(getBreakEvenPremiumFen(digital)).toBeCloseTo(10.8, 9);
    expect(estimate).toMatchObject({
      breakEvenPremiumFen: 11,
      premiumFen: 56, // max(30, 1.2 · 0.05 · 1160 = 69.6) · 0.8 = 55.68
      lowestPremiumFen: 24,
      isBreakEvenBelowFloor: true,
      costWithoutFen: 108_000,
      costWithFen: 556_800,
    });
    expect(estimate.breakEvenPremiumFen).toBeLessThan(modelParameterDefaults.premiumFloorFen.value);
    expect(getVerdict(digital)).toMatchObject({ isWorthSubscribing: false, reason: "break_even_below_floor" });
  });
});

describe("model edges", () => {
  it("tops up per zone: a remote payout capped below its freight costs t · w · shortfall", () => {
    const params: EstimatorParameters = {
      ...apparel,
      freightFen: { same_prov: 800, cross_prov: 1_100, remote: 2_600 },
      payoutFen: { same_prov: 800, cross_prov: 1_200, remote: 3_000 },
      topUpShare: 1,
      quotedPremiumFen: 300,
    };
    // B̄ (12.10) > F̄ (11.60), so a shortfall of the means, max(0, F̄ − B̄), would say 0; the remote zone is 1 yuan short.
    expect(getMeanPayoutFen(params)).toBeCloseTo(1_210, 9);
    expect(getMeanShortfallFen(params)).toBeCloseTo(10, 9);
    expect(getCostWithFen(params, 300)).toBeCloseTo(10_000 * 300 + 3_500 * 10, 6);
    expect(getBreakEvenPremiumFen(params)).toBeCloseTo((3_500 * (1_160 - 10)) / 10_000, 9);
  });

  it("handling cost adds to every reimbursed return", () => {
    expect(getCostWithoutFen({ ...apparel, handlingFen: 200 })).toBeCloseTo(3_500 * 1_280, 6);
  });

  it("a shop with no orders: p̂ is the floor, p* and per-order saving are 0, share undefined", () => {
    const empty: EstimatorParameters = { ...apparel, categories: [] };
    expect(estimateReturnFreight(empty)).toMatchObject({
      shippedOrders: 0,
      shopReturnRate: 0,
      premiumFen: 24,
      costWithoutFen: 0,
      costWithFen: 0,
      savingFen: 0,
      savingShare: null,
      savingPerOrderFen: 0,
      breakEvenPremiumFen: 0,
    });
  });

  it("the shop-wide rate r̂ weights categories by shipped orders", () => {
    const mixed = createEstimatorParameters({
      categories: [
        { categoryId: "apparel", shippedOrders: 6_000 },
        { categoryId: "home_textile", shippedOrders: 4_000 },
      ],
      isFreeReturnPromised: true,
    });
    // r̂ = (2100 + 120) / 10000 = 0.222 → p̂ = 1.2 · 0.222 · 1160 · 0.8
    expect(estimateReturnFreight(mixed).shopReturnRate).toBeCloseTo(0.222, 12);
    expect(getEstimatedPremiumFen(mixed)).toBeCloseTo(1.2 * 0.222 * 1_160 * 0.8, 9);
  });
});

describe("getCategoryBreakdown", () => {
  const mixed = createEstimatorParameters({
    categories: [
      { categoryId: "apparel", shippedOrders: 6_000 },
      { categoryId: "3c_digital", shippedOrders: 4_000, sellerPaysShare: 0.2 },
    ],
    isFreeReturnPromised: true,
    quotedPremiumFen: 250,
  });

  it("gives each category its costs, saving and own break-even", () => {
    expect(getCategoryBreakdown(mixed)).toEqual([
      {
        categoryId: "apparel",
        shippedOrders: 6_000,
        returnRate: 0.35,
        sellerPaysShare: 1,
        returnsShippedBack: 2_100,
        costWithoutFen: 2_268_000,
        premiumCostFen: 1_500_000,
        topUpFen: 0,
        costWithFen: 1_500_000,
        savingFen: 768_000,
        breakEvenPremiumFen: 378,
      },
      {
        categoryId: "3c_digital",
        shippedOrders: 4_000,
        returnRate: 0.05,
        sellerPaysShare: 0.2,
        returnsShippedBack: 200,
        costWithoutFen: 43_200,
        premiumCostFen: 1_000_000,
        topUpFen: 0,
        costWithFen: 1_000_000,
        savingFen: -956_800,
        breakEvenPremiumFen: 11,
      },
    ]);
  });

  it("sums to the shop's totals", () => {
    const rows = getCategoryBreakdown(mixed);
    const estimate = estimateReturnFreight(mixed);
    expect(rows.reduce((sum, row) => sum + row.savingFen, 0)).toBe(estimate.savingFen);
    expect(rows.reduce((sum, row) => sum + row.costWithFen, 0)).toBe(estimate.costWithFen);
  });
});


const zoneValues = (max: number) =>
  fc.record({ same_prov: fc.integer({ min: 0, max }), cross_prov: fc.integer({ min: 0, max }), remote: fc.integer({ min: 0, max }) });

const anyParameters: fc.Arbitrary<EstimatorParameters> = fc.record({
  categories: fc.array(
    fc.record({
      categoryId: fc.constantFrom(...categoryIds),
      shippedOrders: fc.integer({ min: 0, max: 200_000 }),
      returnRate: fc.double({ min: 0, max: 1, noNaN: true }),
      sellerPaysShare: fc.double({ min: 0, max: 1, noNaN: true }),
    }),
    { minLength: 1, maxLength: 4 },
  ),
  zoneMix: zoneValues(100).map((counts) => {
    const total = counts.same_prov + counts.cross_prov + counts.remote || 1;
    return { same_prov: counts.same_prov / total, cross_prov: counts.cross_prov / total, remote: counts.remote / total };
  }),
  freightFen: zoneValues(5_000),
  payoutFen: zoneValues(5_000),
  payoutCapFen: fc.integer({ min: 0, max: 5_000 }),
  quotedPremiumFen: fc.option(fc.integer({ min: 0, max: 2_000 }), { nil: null }),
  loading: fc.double({ min: 1, max: 2, noNaN: true }),
  premiumFloorFen: fc.integer({ min: 0, max: 100 }),
  priceRatio: fc.double({ min: 0.3, max: 1, noNaN: true }),
  topUpShare: fc.double({ min: 0, max: 1, noNaN: true }),
  handlingFen: fc.integer({ min: 0, max: 500 }),
});

describe("properties", () => {
  it("saving is monotone non-increasing in the premium (exact and rounded)", () => {
    fc.assert(
      fc.property(anyParameters, fc.integer({ min: 0, max: 5_000 }), fc.integer({ min: 0, max: 5_000 }), (params, a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        expect(getSavingFen(params, low)).toBeGreaterThanOrEqual(getSavingFen(params, high));
        const roundedLow = estimateReturnFreight({ ...params, quotedPremiumFen: low }).savingFen;
        const roundedHigh = estimateReturnFreight({ ...params, quotedPremiumFen: high }).savingFen;
        expect(roundedLow).toBeGreaterThanOrEqual(roundedHigh);
      }),
    );
  });

  it("saving at p* is zero: exactly (to float noise), and within half a fen per order at the rounded p*", () => {
    fc.assert(
      fc.property(anyParameters, (params) => {
        const breakEvenFen = getBreakEvenPremiumFen(params);
        const scaleFen = Math.max(1, getCostWithoutFen(params));
        expect(Math.abs(getSavingFen(params, breakEvenFen))).toBeLessThanOrEqual(scaleFen * 1e-9);
        expect(estimateReturnFreight({ ...params, quotedPremiumFen: breakEvenFen }).savingFen).toBe(0);
        const atRoundedFen = getSavingFen(params, roundFen(breakEvenFen));
        expect(Math.abs(atRoundedFen)).toBeLessThanOrEqual(getShippedOrders(params) / 2 + scaleFen * 1e-9);
      }),
    );
  });

  it("costWith ≥ N · p", () => {
    fc.assert(
      fc.property(anyParameters, fc.integer({ min: 0, max: 5_000 }), (params, premiumFen) => {
        expect(getCostWithFen(params, premiumFen)).toBeGreaterThanOrEqual(getShippedOrders(params) * premiumFen);
      }),
    );
  });

  it("subscribes exactly when the premium is under p* (by more than rounding)", () => {
    fc.assert(
      fc.property(anyParameters, fc.integer({ min: 0, max: 2_000 }), (params, premiumFen) => {
        const verdict = getVerdict({ ...params, quotedPremiumFen: premiumFen });
        const breakEvenFen = getBreakEvenPremiumFen(params);
        const shippedOrders = getShippedOrders(params);
        if (shippedOrders > 0 && (breakEvenFen - premiumFen) * shippedOrders > 1) expect(verdict.isWorthSubscribing).toBe(true);
        if (premiumFen >= breakEvenFen) expect(verdict.isWorthSubscribing).toBe(false);
      }),
    );
  });
});
