"use client";

import { Truck } from "lucide-react";
import { useTranslations } from "next-intl";
import type { RequestCard } from "@/lib/api-types";
import { formatFen } from "@/lib/money";

/** A proposal the buyer has not answered, that has not lapsed and that the rules allow (docs/domain/negotiation.md). */
function hasOpenProposal(card: RequestCard): boolean {
  return !!card.proposal && card.proposal.outcome === null && card.proposal.invalidReason === null;
}

/** A return parcel of the card's own kind, or a proposal's parcel while the proposal is open. */
export function isCardFreightShown(card: RequestCard): boolean {
  return !!card.freight && (card.freight.basis === "request" || hasOpenProposal(card));
}

/**
 * The order's expected return freight by zone, and whether 退货宝 (Douyin: 运费险) pays it. On a Douyin
 * refund-only it shows only while a platform proposal is open: the freight the seller would then pay in
 * full (docs/domain/negotiation.md: the return freight is the seller's).
 */
export function CardFreightLine({ card }: { card: RequestCard }) {
  const t = useTranslations("freight.card");
  const freight = card.freight;
  if (!freight || !isCardFreightShown(card)) return null;
  const zone = freight.zone ? t(`zone.${freight.zone}`) : t("zone.unknown");
  const cover = card.platform === "douyin" ? t("coverDouyin") : card.platform === "wechat" ? t("coverWechat") : t("coverTaobao");
  let detail: string;
  if (freight.basis === "proposal") detail = t("proposal", { amount: formatFen(freight.returnFreightFen) });
  else if (freight.payoutFen === 0) detail = t("notPaid", { cover });
  else if (freight.isCovered) detail = t(freight.isSubscribed ? "covered" : "wouldCover", { cover, payout: formatFen(freight.payoutFen) });
  else detail = t(freight.isSubscribed ? "partly" : "wouldPartly", { cover, payout: formatFen(freight.payoutFen), rest: formatFen(freight.uncoveredFen) });
  return (
    <p className="flex flex-wrap items-center gap-1 text-xs text-slate-600" data-testid="card-freight">
      <Truck className="size-3.5 text-slate-500" aria-hidden />
      <span>{t("expected", { amount: formatFen(freight.returnFreightFen), zone })}</span>
      <span aria-hidden>·</span>
      <span className={freight.basis === "proposal" ? "font-medium text-amber-800" : freight.isCovered && freight.isSubscribed ? "text-emerald-700" : "text-slate-600"}>{detail}</span>
    </p>
  );
}
