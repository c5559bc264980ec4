import { describe, expect, it } from "vitest";
import type { ProductCategory } from "@/lib/policy/categories";
import {
  getAfterSalesPeriod,
  getAfterSalesPeriodEnd,
  type AfterSalesPeriodOrder,
} from "@/lib/policy/after-sales-period";
import { getPolicyProfile } from "@/lib/policy/profiles";
import { dayMs } from "@/lib/time";

const taobao = getPolicyProfile("taobao");
const douyin = getPolicyProfile("douyin");
// 交易成功 at 2026-11-22 14:00 Shanghai
const completedAt = new Date("2026-11-22T06:00:00.000Z");

function orderOf(category: ProductCategory, extra: Partial<AfterSalesPeriodOrder> = {}): AfterSalesPeriodOrder {
  return { completedAt, category, ...extra };
}

describe("getAfterSalesPeriod", () => {
  it.each([
    ["apparel: 15 days", taobao, orderOf("apparel"), 15, "default", "H"],
    ["3C digital: 180 days", taobao, orderOf("3c_digital"), 180, "long_category", "H"],
    ["home appliance: 180 days", taobao, orderOf("home_appliance"), 180, "long_category", "H"],
    ["三包 longer than 15 days wins", taobao, orderOf("apparel", { warrantyDays: 365 }), 365, "national_warranty", "H"],
    ["三包 shorter than 180 days loses", taobao, orderOf("3c_digital", { warrantyDays: 15 }), 180, "long_category", "H"],
    ["seller promise longer than 三包 wins", taobao, orderOf("3c_digital", { warrantyDays: 365, sellerPromiseDays: 730 }), 730, "seller_promise", "H"],
    ["a tie keeps the platform's own period", taobao, orderOf("3c_digital", { sellerPromiseDays: 180 }), 180, "long_category", "H"],
    ["null and zero promises are ignored", taobao, orderOf("beauty", { warrantyDays: null, sellerPromiseDays: 0 }), 15, "default", "H"],
    ["live pets: late-showing period (estimate)", taobao, orderOf("live_pets"), 180, "late_showing", "E"],
    ["flowers: late-showing period (estimate)", taobao, orderOf("flowers_gardening"), 180, "late_showing", "E"],
    ["Douyin: no 售后保, promise ignored", douyin, orderOf("apparel", { sellerPromiseDays: 90 }), 15, "default", "E"],
    ["Douyin: no long categories", douyin, orderOf("3c_digital"), 15, "default", "E"],
  ] as const)("%s", (_label, profile, order, days, basis, confidence) => {
    const period = getAfterSalesPeriod(profile, order);
    expect(period).toEqual({ days, basis, confidence, endsAt: new Date(completedAt.getTime() + days * dayMs) });
  });

  it("Tmall keeps Taobao's windows", () => {
    expect(getAfterSalesPeriod(getPolicyProfile("tmall"), orderOf("3c_digital")).days).toBe(180);
  });
});

describe("getAfterSalesPeriodEnd", () => {
  it.each([
    ["apparel", "2026-12-07T06:00:00.000Z"],
    ["3c_digital", "2027-05-21T06:00:00.000Z"],
  ] as const)("%s ends at %s", (category, iso) => {
    expect(getAfterSalesPeriodEnd(taobao, orderOf(category)).toISOString()).toBe(iso);
  });
});
