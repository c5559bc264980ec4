"use client";

import { CalendarClock, Handshake, Scale } from "lucide-react";
import { useTranslations } from "next-intl";
import type { CardPolicyState } from "@/components/policy/card-policy-state";
import { formatShanghaiDate } from "@/components/policy/format";
import { usePolicyText } from "@/components/policy/use-policy-text";
import type { RequestCard } from "@/lib/api-types";
import { formatFen } from "@/lib/money";
import { getEntryOpenUntil, isEntryOpen } from "@/lib/policy/entry-reopen";
import { formatClock } from "@/lib/response-timer";

/** What the platform's rules say about this card: period, entry, proposal, negotiation (docs/domain/README.md). */
export function CardPolicyNotes({ card, state, now }: { card: RequestCard; state: CardPolicyState; now: Date }) {
  const t = useTranslations("policy");
  const text = usePolicyText();
  const { order, profile, lock } = state;
  const isPending = card.status === "pending";
  const entryOpenUntil =
    order.entryOpenedAt && isEntryOpen(profile, order, now) ? getEntryOpenUntil(profile, order.entryOpenedAt) : null;

  return (
    <div className="space-y-1 text-sm" data-testid="card-policy">
      <p className="flex flex-wrap items-center gap-x-4 gap-y-1 text-slate-600">
        {state.periodEndsAt ? (
          <span className="inline-flex items-center gap-1">
            <CalendarClock className="size-3.5" aria-hidden />
            {t("periodEnds", { date: formatShanghaiDate(state.periodEndsAt) })}
          </span>
        ) : null}
        {entryOpenUntil ? <span className="text-emerald-700">{t("entryOpenUntil", { date: formatShanghaiDate(entryOpenUntil) })}</span> : null}
        {card.kind === "entry_reopen" && order.timesOpened ? <span>{t("timesOpened", { count: order.timesOpened })}</span> : null}
      </p>
      {card.kind === "entry_reopen" && isPending && !state.actions.approve.isAllowed ? (
        <p className="rounded bg-amber-50 px-2 py-1 text-amber-800">{text.permission(state.actions.approve)}</p>
      ) : null}
      {lock?.isLocked && isPending ? (
        <p className="flex items-center gap-1.5 rounded bg-sky-50 px-2 py-1 font-medium text-sky-900" data-testid="proposal-banner">
          <Scale className="size-3.5 shrink-0" aria-hidden />
          {t("proposalLive", { time: formatClock(lock.remainingMs) })}
        </p>
      ) : null}
      {card.proposal && card.proposal.outcome === "accepted" && !card.proposal.invalidReason ? (
        <p className="rounded bg-sky-50 px-2 py-1 text-sky-900">{t("proposalAccepted")}</p>
      ) : null}
      {card.proposal && isPending && !lock?.isLocked && !card.proposal.invalidReason && card.proposal.outcome !== "accepted" ? (
        <p className="text-slate-600">{t("proposalEnded")}</p>
      ) : null}
      {card.proposal?.invalidReason ? (
        <p className="text-slate-500">{t("proposalInvalid", { reason: t(`proposalInvalidReason.${card.proposal.invalidReason}`) })}</p>
      ) : null}
      {state.isSellerBuyerNegotiation && isPending ? (
        <p className="flex items-center gap-1.5 text-slate-700">
          <Handshake className="size-3.5 shrink-0" aria-hidden />
          {t("sellerBuyerNegotiation")}
        </p>
      ) : null}
      {card.counterOffer ? (
        <p className="text-slate-700" data-testid="counter-offer">
          {card.counterOffer.kind === "partial_refund" && card.counterOffer.amountFen !== null
            ? t("counterOfferPartial", { amount: formatFen(card.counterOffer.amountFen) })
            : t("counterOfferReturn")}
        </p>
      ) : null}
    </div>
  );
}
