import type { ProductCategory } from "@/lib/policy/categories";
import type { Confidence, PolicyProfile } from "@/lib/policy/profiles";
import { dayMs } from "@/lib/time";


export type AfterSalesPeriodOrder = {
  /** 交易成功, a UTC instant. */
  completedAt: Date;
  category: ProductCategory;
  /** National warranty (三包) on the product, in days. */
  warrantyDays?: number | null;
  /** The seller's own promise on the product, in days. */
  sellerPromiseDays?: number | null;
};

export type AfterSalesPeriodBasis = "default" | "long_category" | "national_warranty" | "seller_promise" | "late_showing";

export type AfterSalesPeriod = {
  /** Last instant inside the period: completedAt + days × 24 h exactly (no DST in China, so also the same wall-clock time). */
  endsAt: Date;
  days: number;
  basis: AfterSalesPeriodBasis;
  confidence: Confidence;
};

type Candidate = { days: number; basis: AfterSalesPeriodBasis; confidence: Confidence };

function isPositiveDays(days: number | null | undefined): days is number {
  return typeof days === "number" && Number.isFinite(days) && days > 0;
}

/** The longest of the periods that apply; on a tie the platform's own period is named as the basis. */
export function getAfterSalesPeriod(
  profile: Pick<PolicyProfile, "afterSalesWindow">,
  order: AfterSalesPeriodOrder,
): AfterSalesPeriod {
  const window = profile.afterSalesWindow;
  const isLong = window.longCategories.includes(order.category);
  const candidates: Candidate[] = [
    isLong
      ? { days: window.longCategoryDays, basis: "long_category", confidence: window.confidence }
      : { days: window.defaultDays, basis: "default", confidence: window.confidence },
  ];
  // 售后保 (docs/domain/after-sales-entry.md): extends to 三包, the seller's promise, or a late-showing category's period
  if (window.shouhoubao) {
    if (isPositiveDays(order.warrantyDays)) {
      candidates.push({ days: order.warrantyDays, basis: "national_warranty", confidence: window.confidence });
    }
    if (isPositiveDays(order.sellerPromiseDays)) {
      candidates.push({ days: order.sellerPromiseDays, basis: "seller_promise", confidence: window.confidence });
    }
    if (window.shouhoubao.lateShowingCategories.includes(order.category)) {
      candidates.push({
        days: window.shouhoubao.lateShowingDays,
        basis: "late_showing",
        confidence: window.shouhoubao.lateShowingConfidence,
      });
    }
  }
  const longest = candidates.reduce((best, candidate) => (candidate.days > best.days ? candidate : best));
  return { ...longest, endsAt: new Date(order.completedAt.getTime() + longest.days * dayMs) };
}

/**
 * The last instant inside the period (exactly at it the order is still inside; a millisecond later it is outside), for
 * the card and the Orders page. Shown, never enforced: the platform decides whether a buyer may open a request, and the
 * desk never refuses one the platform accepted (docs/decisions/0010-after-sales-period.md).
 */
export function getAfterSalesPeriodEnd(
  profile: Pick<PolicyProfile, "afterSalesWindow">,
  order: AfterSalesPeriodOrder,
): Date {
  return getAfterSalesPeriod(profile, order).endsAt;
}
