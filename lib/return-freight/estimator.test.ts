import fc from "fast-check";
import { createTranslator, type AbstractIntlMessages } from "next-intl";
import { describe, expect, it } from "vitest";
import enMessages from "@/lib/i18n/messages/en.json";
import zhMessages from "@/lib/i18n/messages/zh-CN.json";
import {
  estimateReturnFreight,
  formatVerdictSentence,
  getBreakEvenPremiumFen,
  getCategoryBreakdown,
  getCostWithFen,
  getCostWithoutFen,
  getEstimatedPremiumFen,
  getMeanFreightFen,
  getMeanPayoutFen,
  getMeanShortfallFen,
  getSavingFen,
  getSensitivityGrid,
  getShippedOrders,
  getVerdict,
  roundFen,
  scaleToMonth,
  type FreightTranslate,
  type Verdict,
} from "@/lib/return-freight/estimator";
import {
  categoryIds,
  categoryReturnRateDefaults,
  createEstimatorParameters,
  getDefaultSellerPaysShare,
  modelParameterDefaults,
  type EstimatorParameters,
} from "@/lib/return-freight/parameters";

// docs/return-freight.md worked example: women's apparel, N = 10,000, r = 0.35, s = 1, every other default.
const apparel = createEstimatorParameters({
  categories: [{ categoryId: "apparel", shippedOrders: 10_000 }],
  isFreeReturnPromised: true,
});
// docs/return-freight.md worked example: 3C shop, r = 0.05, s = 0.2 (no 包退运费 promise).
const digital = createEstimatorParameters({
  categories: [{ categoryId: "3c_digital", shippedOrders: 10_000 }],
  isFreeReturnPromised: false,
});

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

describe("getVerdict and formatVerdictSentence", () => {
  // The sentences as the messages files word them
  function getFreightWords(locale: string, messages: unknown): FreightTranslate {
    const t = createTranslator({ locale, messages: messages as AbstractIntlMessages, namespace: "freight" });
    return (key, values) => t(key, values as never);
  }
  const zhFreight = getFreightWords("zh-CN", zhMessages);
  const enFreight = getFreightWords("en", enMessages);

  it.each([
    [
      "quote below p* saves",
      { ...apparel, quotedPremiumFen: 320 },
      { isWorthSubscribing: true, reason: "saves", premiumFen: 320, premiumSource: "quote", savingPerMonthFen: 580_000 },
      "按当前报价 ¥3.20/单，订阅每月约省 ¥5,800",
      "At the quoted ¥3.20/order, subscribing saves about ¥5,800 a month",
    ],
    [
      "estimate above p* costs more",
      apparel,
      { isWorthSubscribing: false, reason: "costs_more", premiumFen: 390, premiumSource: "estimate", savingPerMonthFen: -117_600 },
      "按估算保费 ¥3.90/单，订阅每月约多花 ¥1,176，不建议订阅（保本保费 ¥3.78/单）",
      "At the estimated ¥3.90/order, subscribing costs about ¥1,176 more a month; don't subscribe (break-even ¥3.78/order)",
    ],
    [
      "quote exactly p* saves nothing",
      { ...apparel, quotedPremiumFen: 378 },
      { isWorthSubscribing: false, reason: "no_saving", premiumFen: 378, premiumSource: "quote", savingPerMonthFen: 0 },
      "按当前报价 ¥3.78/单，订阅与不订阅成本持平，不省钱",
      "At the quoted ¥3.78/order, subscribing costs the same as not subscribing: no saving",
    ],
    [
      "3C: p* under the floor",
      digital,
      { isWorthSubscribing: false, reason: "break_even_below_floor", premiumFen: 56, premiumSource: "estimate" },
      "保本保费仅 ¥0.11/单，低于最低保费 ¥0.24/单，仅按运费计不值得订阅",
      "The break-even premium is only ¥0.11/order, below the lowest premium of ¥0.24/order: not worth subscribing on freight alone",
    ],
    [
      "3C with a small-seller quote under p* still saves",
      { ...digital, quotedPremiumFen: 5 },
      { isWorthSubscribing: true, reason: "saves", premiumFen: 5, savingPerMonthFen: 58_000 },
      "按当前报价 ¥0.05/单，订阅每月约省 ¥580",
      "At the quoted ¥0.05/order, subscribing saves about ¥580 a month",
    ],
  ] as const)("%s", (_label, params, verdict, zh, en) => {
    const actual = getVerdict(params);
    expect(actual).toMatchObject(verdict);
    expect(formatVerdictSentence(actual, zhFreight)).toBe(zh);
    expect(formatVerdictSentence(actual, enFreight)).toBe(en);
  });

  it("rounds the monthly sum to whole yuan half away from zero and groups thousands", () => {
    const verdict: Verdict = {
      isWorthSubscribing: true,
      reason: "saves",
      premiumFen: 1_234_567,
      premiumSource: "quote",
      savingPerMonthFen: 123_456_750,
      breakEvenPremiumFen: 0,
      lowestPremiumFen: 24,
    };
    expect(formatVerdictSentence(verdict, zhFreight)).toBe("按当前报价 ¥12,345.67/单，订阅每月约省 ¥1,234,568");
  });
});

describe("getSensitivityGrid", () => {
  // Quote 3.50 yuan: saves at today's 35%; p* per row is r · 10.8 yuan.
  const grid = getSensitivityGrid({ ...apparel, quotedPremiumFen: 350 });

  it("spans return rate ±20% and premium ±30% around the current point", () => {
    expect(grid.rows.map((row) => row.returnRateFactor)).toEqual([0.8, 0.9, 1, 1.1, 1.2]);
    expect(grid.rows[0].cells.map((cell) => cell.premiumFactor)).toEqual([0.7, 0.85, 1, 1.15, 1.3]);
    expect(grid.rows[0].cells.map((cell) => cell.premiumFen)).toEqual([245, 298, 350, 403, 455]);
    expect(grid.rows.map((row) => row.breakEvenPremiumFen)).toEqual([302, 340, 378, 416, 454]);
    expect(grid.basePremiumFen).toBe(350);
    expect(grid.isBaseWorthSubscribing).toBe(true);
    expect(grid.rows[2].cells[2].savingFen).toBe(estimateReturnFreight({ ...apparel, quotedPremiumFen: 350 }).savingFen);
  });

  it("marks the cells where the verdict flips: premium above that row's p*", () => {
    expect(grid.rows.map((row) => row.cells.map((cell) => (cell.isFlipped ? "x" : ".")).join(""))).toEqual([
      "..xxx",
      "..xxx",
      "...xx",
      "....x",
      "....x", // 4.55 > p* 4.536: 14 fen/order short
    ]);
  });

  it.each([3, 9])("takes %i steps", (steps) => {
    const sized = getSensitivityGrid(apparel, { steps });
    expect(sized.rows).toHaveLength(steps);
    expect(sized.rows[(steps - 1) / 2].cells[(steps - 1) / 2]).toMatchObject({ premiumFactor: 1, isFlipped: false });
  });

  it.each([2, 4, 1, 2.5])("refuses %d steps (no centre)", (steps) => {
    expect(() => getSensitivityGrid(apparel, { steps })).toThrow(RangeError);
  });

  it("caps scaled return rates at 100%", () => {
    const high = createEstimatorParameters({
      categories: [{ categoryId: "apparel", shippedOrders: 100, returnRate: 0.9 }],
      isFreeReturnPromised: true,
    });
    expect(getSensitivityGrid(high).rows[4].shopReturnRate).toBe(1);
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
