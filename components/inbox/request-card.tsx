"use client";

import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { memo, useState } from "react";
import { CardFreightLine } from "@/components/freight/card-freight";
import { InterventionBadge, KindBadge, PlatformBadge, StatusText } from "@/components/inbox/badges";
import { EvidenceThumbs } from "@/components/inbox/evidence-thumbs";
import { RejectDialog } from "@/components/inbox/reject-dialog";
import { ClaimControl } from "@/components/inbox/claim-control";
import { PlatformClockBadge } from "@/components/inbox/platform-clock";
import { PlatformRefusalNotice } from "@/components/inbox/platform-refusal-notice";
import { ReplyClock } from "@/components/inbox/reply-clock";
import type { DecisionInput } from "@/components/inbox/api";
import { useNow } from "@/components/inbox/use-now";
import { CardOrderFacts } from "@/components/inbox/card-order-facts";
import { CardActionReasons } from "@/components/policy/card-action-reasons";
import { getCardPolicyState } from "@/components/policy/card-policy-state";
import { CardPolicyNotes } from "@/components/policy/card-policy-notes";
import { CounterOfferDialog } from "@/components/policy/counter-offer-dialog";
import { Button } from "@/components/ui/button";
import type { RequestCard as RequestCardData } from "@/lib/api-types";
import { isBuyerReasonCode } from "@/lib/buyer-reasons";
import { formatFen } from "@/lib/money";

type RequestCardProps = {
  card: RequestCardData;
  onDecide: (id: string, input: DecisionInput) => void;
};

const timeFormat = { month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false } as const;

// The parts of a card that move with the clock read it themselves, so a tick re-renders them and not
// the whole card (badges, amounts, evidence, the closed dialogs).
export function CardClocks({ card }: { card: RequestCardData }) {
  const now = useNow();
  return (
    <>
      <PlatformClockBadge card={card} now={now} />
      <ReplyClock platform={card.platform} respondBy={card.respondBy} now={now} />
    </>
  );
}

function CardPolicyNotesNow({ card }: { card: RequestCardData }) {
  const now = useNow();
  return <CardPolicyNotes card={card} state={getCardPolicyState(card, now)} now={now} />;
}

type CardActionsProps = {
  card: RequestCardData;
  onApprove: () => void;
  onReject: () => void;
  onCounterOffer: () => void;
};

function CardActions({ card, onApprove, onReject, onCounterOffer }: CardActionsProps) {
  const t = useTranslations("card");
  const tPolicy = useTranslations("policy.actions");
  const now = useNow();
  // The platform's rules decide which buttons work now; the server refuses the same (docs/domain/README.md)
  const { actions } = getCardPolicyState(card, now);
  const reasonsId = `${card.id}-action-reasons`;
  return (
    <>
      <Button variant="primary" data-action="approve" onClick={onApprove} disabled={!actions.approve.isAllowed} aria-describedby={reasonsId}>
        {t("approve")}
      </Button>
      <Button variant="danger" data-action="reject" onClick={onReject} disabled={!actions.reject.isAllowed} aria-describedby={reasonsId}>
        {t("reject")}
      </Button>
      {card.kind === "refund_only" || card.kind === "return_refund" ? (
        <Button onClick={onCounterOffer} disabled={!actions.counter_offer.isAllowed} aria-describedby={reasonsId}>
          {tPolicy("counter_offer")}
        </Button>
      ) : null}
      <CardActionReasons id={reasonsId} actions={actions} />
    </>
  );
}

function RequestCardView({ card, onDecide }: RequestCardProps) {
  const t = useTranslations("card");
  const tReason = useTranslations("buyerReason");
  const format = useFormatter();
  const [isRejecting, setIsRejecting] = useState(false);
  const [isCounterOffering, setIsCounterOffering] = useState(false);
  const isPending = card.status === "pending";

  return (
    <article
      aria-label={`${card.order.title} · ${card.buyerNick}`}
      data-request-id={card.id}
      className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200"
    >
      <header className="flex flex-wrap items-center gap-2">
        <PlatformBadge platform={card.platform} />
        <KindBadge kind={card.kind} />
        <InterventionBadge state={card.platformIntervention} />
        <span className="text-xs text-slate-500">{card.shop.name}</span>
        {/* On a phone the clocks get a line of their own */}
        <span className="ml-auto flex flex-wrap items-center justify-end gap-2 max-sm:ml-0 max-sm:basis-full max-sm:justify-start">
          <ClaimControl card={card} />
          {isPending ? <CardClocks card={card} /> : <StatusText status={card.status} />}
        </span>
      </header>

      {/* The platform sent the last answer back: first thing the agent reads on the card */}
      {isPending && card.platformRefusal ? (
        <div className="mt-3">
          <PlatformRefusalNotice card={card} />
        </div>
      ) : null}

      <div className="mt-3 grid grid-cols-1 gap-3 md:grid-cols-[minmax(0,1fr)_auto]">
        <div className="min-w-0 space-y-1.5">
          <h3 className="truncate text-sm font-medium text-slate-900" title={card.order.title}>
            {card.order.title}
          </h3>
          <dl className="flex flex-wrap gap-x-5 gap-y-1 text-sm text-slate-600">
            <div className="flex gap-1">
              <dt>{t("orderAmount")}</dt>
              <dd className="font-medium text-slate-800 tabular-nums">{formatFen(card.order.amountFen)}</dd>
            </div>
            {card.kind !== "entry_reopen" ? (
              <div className="flex gap-1">
                <dt>{t("requested")}</dt>
                <dd className="font-semibold text-rose-700 tabular-nums">{formatFen(card.amountFen)}</dd>
              </div>
            ) : null}
            <div className="flex gap-1">
              <dt>{t("buyer")}</dt>
              <dd className="text-slate-800">{card.buyerNick}</dd>
            </div>
            <div className="flex gap-1">
              <dt>{t("reason")}</dt>
              <dd className="text-slate-800">{isBuyerReasonCode(card.reasonCode) ? tReason(card.reasonCode) : card.reasonCode}</dd>
            </div>
            <div className="flex gap-1">
              <dt>{t("receivedAt")}</dt>
              <dd className="tabular-nums">{format.dateTime(new Date(card.receivedAt), timeFormat)}</dd>
            </div>
            <div className="flex gap-1">
              <dt>{t("refundNo")}</dt>
              <dd className="font-mono text-xs leading-5 text-slate-800 select-all">{card.platformRequestId}</dd>
            </div>
            <div className="flex gap-1">
              <dt>{t("orderNo")}</dt>
              <dd className="font-mono text-xs leading-5 text-slate-800 select-all">{card.order.platformOrderId}</dd>
            </div>
          </dl>
          <CardOrderFacts card={card} />
          {card.claim ? <p className="rounded bg-slate-50 px-2 py-1.5 text-sm text-slate-700">“{card.claim}”</p> : null}
          <EvidenceThumbs evidence={card.evidence} />
          <CardPolicyNotesNow card={card} />
          <CardFreightLine card={card} />
          {!isPending && card.decidedBy && card.decidedAt ? (
            <p className="text-xs text-slate-500">
              {t("decidedBy", {
                name: card.decidedBy.name,
                time: format.dateTime(new Date(card.decidedAt), timeFormat),
                decision: card.decision === "reject" ? t("rejectedVerb") : t("approvedVerb"),
              })}
            </p>
          ) : null}
        </div>

        <div className="flex flex-wrap items-center gap-2 md:flex-col md:flex-nowrap md:items-stretch md:justify-end">
          {isPending ? (
            <CardActions
              card={card}
              onApprove={() => onDecide(card.id, { decision: "approve" })}
              onReject={() => setIsRejecting(true)}
              onCounterOffer={() => setIsCounterOffering(true)}
            />
          ) : null}
          <Link
            href={`/requests/${card.id}`}
            className="text-center text-sm whitespace-nowrap text-slate-600 hover:text-slate-900 hover:underline max-sm:inline-flex max-sm:min-h-11 max-sm:items-center max-sm:px-2"
          >
            {t("details")}
          </Link>
        </div>
      </div>

      <RejectDialog
        open={isRejecting}
        onOpenChange={setIsRejecting}
        card={card}
        onSubmit={(input) => onDecide(card.id, { decision: "reject", ...input })}
      />
      {isCounterOffering ? <CounterOfferDialog card={card} open onOpenChange={setIsCounterOffering} /> : null}
    </article>
  );
}

export const RequestCard = memo(RequestCardView);
