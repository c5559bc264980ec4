import { createTranslator, type AbstractIntlMessages } from "next-intl";
import { describe, expect, it } from "vitest";
import { enMessages, zhCNMessages as zhMessages } from "@/lib/i18n/messages/merged";
import { apparel, digital } from "@/lib/return-freight/estimator.fixture";
import {
  estimateReturnFreight,
  formatVerdictSentence,
  getSensitivityGrid,
  getVerdict,
  type FreightTranslate,
  type Verdict,
} from "@/lib/return-freight/estimator";
import { createEstimatorParameters } from "@/lib/return-freight/parameters";

// What the estimate tells the owner: the verdict, its sentence in both languages, and how it moves around the
// current point. The model's numbers themselves: estimator.test.ts
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
