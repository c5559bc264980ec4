import type { RequestKind } from "@/lib/domain";
import { getMeanFreightFen, getMeanPayoutFen, roundFen } from "@/lib/return-freight/estimator";
import type { BuyerZone, EstimatorParameters, ZoneValues } from "@/lib/return-freight/parameters";
import { modelParameterDefaults } from "@/lib/return-freight/parameters";

// Per-order view for the request card: what the return parcel costs and whether 退货宝 pays for it.

/** Kinds whose approval sends a parcel back from the buyer (docs/domain/kinds.md). */
const kindsWithReturnParcel: readonly RequestKind[] = ["return_refund", "exchange", "repair"];

/**
 * Kinds 退货宝 pays out on: returns and exchanges (退换货). Repairs are our estimate (E): the payout rules
 * found (docs/return-freight.md, payout) speak of returns only. Refund-only and unshipped refunds never pay (docs/return-freight.md).
 */
const kindsWithPayout: readonly RequestKind[] = ["return_refund", "exchange"];

export type OrderReturnFreight = {
  /** A parcel goes back: a shipped order and a return, exchange or repair. */
  hasReturnParcel: boolean;
  /** f_z for the order's zone; the zone-mix mean F̄ when the zone is unknown. 0 without a parcel. */
  returnFreightFen: number;
  /** What 退货宝 pays if the shop subscribes: min(b_z, cap), or B̄ when the zone is unknown. */
  payoutFen: number;
  /** The payout triggers and covers the whole freight. */
  isCovered: boolean;
  /** Freight the payout leaves to the seller or buyer: max(0, freight − payout). */
  uncoveredFen: number;
};

/**
 * For one order: `kind` is the request's kind, or the kind a platform proposal would turn it into (a
 * Douyin refund-only proposed as return & refund passes "return_refund"). Money rounded to whole fen.
 */
export function getOrderReturnFreight(
  params: Pick<EstimatorParameters, "zoneMix" | "freightFen" | "payoutFen" | "payoutCapFen">,
  order: { zone: BuyerZone | null; kind: RequestKind; isShipped: boolean },
): OrderReturnFreight {
  const hasReturnParcel = order.isShipped && kindsWithReturnParcel.includes(order.kind);
  if (!hasReturnParcel) return { hasReturnParcel, returnFreightFen: 0, payoutFen: 0, isCovered: false, uncoveredFen: 0 };
  const freightFen = order.zone === null ? getMeanFreightFen(params) : params.freightFen[order.zone];
  const payoutFen = !kindsWithPayout.includes(order.kind)
    ? 0
    : order.zone === null
      ? getMeanPayoutFen(params)
      : Math.min(params.payoutFen[order.zone], params.payoutCapFen);
  return {
    hasReturnParcel,
    returnFreightFen: roundFen(freightFen),
    payoutFen: roundFen(payoutFen),
    isCovered: payoutFen > 0 && payoutFen >= freightFen,
    uncoveredFen: roundFen(Math.max(0, freightFen - payoutFen)),
  };
}

/**
 * Remote zone: provinces couriers surcharge as 偏远 (our estimate, E; docs/return-freight.md has no rate card).
 * Provinces are matched by their first two characters, which are unique across China's 34 divisions
 * ("新疆维吾尔自治区" and "新疆" both → "新疆"; "内蒙古" → "内蒙").
 */
const remoteProvincePrefixes = ["新疆", "西藏", "青海", "内蒙", "宁夏", "甘肃"];

function getProvinceKey(province: string): string {
  return province.trim().slice(0, 2);
}

/** The buyer's zone from the shop's ship-from province and the order's receiver province. */
export function getBuyerZone(shipFromProvince: string, receiverProvince: string): BuyerZone {
  const receiverKey = getProvinceKey(receiverProvince);
  if (receiverKey === getProvinceKey(shipFromProvince)) return "same_prov";
  return remoteProvincePrefixes.includes(receiverKey) ? "remote" : "cross_prov";
}

/** w_z from the shop's order counts per zone; the default mix (docs/return-freight.md, E) when it has none. */
export function getZoneMixFromCounts(ordersByZone: ZoneValues): ZoneValues {
  const total = ordersByZone.same_prov + ordersByZone.cross_prov + ordersByZone.remote;
  if (total <= 0) return { ...modelParameterDefaults.zoneMix.value };
  return {
    same_prov: ordersByZone.same_prov / total,
    cross_prov: ordersByZone.cross_prov / total,
    remote: ordersByZone.remote / total,
  };
}
