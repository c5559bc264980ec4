"use client";

import { Truck } from "lucide-react";
import { useTranslations } from "next-intl";
import type { CardFreight } from "@/lib/api-types";
import type { Platform } from "@/lib/domain";
import { formatFen } from "@/lib/money";

/**
 * The order's expected return freight by zone, and whether 退货宝 (Douyin: 运费险) pays it; for a platform
 * proposal, the freight the seller would pay in full (seeds/003: "free return shipping, paid by the seller").
 */
export function CardFreightLine({ freight, platform }: { freight: CardFreight; platform: Platform }) {
  const t = useTranslations("freight.card");
  const zone = freight.zone ? t(`zone.${freight.zone}`) : t("zone.unknown");
  const cover = platform === "douyin" ? t("coverDouyin") : t("coverTaobao");
  let detail: string;
  if (freight.basis === "proposal") detail = t("proposal", { amount: formatFen(freight.returnFreightFen) });
  else if (freight.payoutFen === 0) detail = t("notPaid", { cover });
  else if (freight.isCovered) detail = t(freight.isSubscribed ? "covered" : "wouldCover", { cover, payout: formatFen(freight.payoutFen) });
  else detail = t(freight.isSubscribed ? "partly" : "wouldPartly", { cover, payout: formatFen(freight.payoutFen), rest: formatFen(freight.uncoveredFen) });
  return (
    <p className="flex flex-wrap items-center gap-1 text-xs text-slate-600" data-testid="card-freight">
      <Truck className="size-3.5 text-slate-500" aria-hidden />
      <span>
        {t("expected", { amount: formatFen(freight.returnFreightFen), zone })}
      </span>
      <span aria-hidden>·</span>
      <span className={freight.basis === "proposal" ? "font-medium text-amber-800" : freight.isCovered && freight.isSubscribed ? "text-emerald-700" : "text-slate-600"}>{detail}</span>
    </p>
  );
}
