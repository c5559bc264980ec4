"use client";

import { useTranslations } from "next-intl";
import { memo, useState } from "react";
import { InterventionBadge, KindBadge, PlatformBadge, StatusText } from "@/components/inbox/badges";
import type { DecisionInput } from "@/components/inbox/api";
import { RejectDialog } from "@/components/inbox/reject-dialog";
import { CardClocks } from "@/components/inbox/request-card";
import { useNow } from "@/components/inbox/use-now";
import { CardActionReasons } from "@/components/policy/card-action-reasons";
import { getCardPolicyState } from "@/components/policy/card-policy-state";
import { Button } from "@/components/ui/button";
import type { RequestCard } from "@/lib/api-types";
import { formatFen } from "@/lib/money";

type CompactCardProps = {
  card: RequestCard;
  onDecide: (id: string, input: DecisionInput) => void;
};

function CompactActions({ card, onApprove, onReject }: { card: RequestCard; onApprove: () => void; onReject: () => void }) {
  const t = useTranslations("card");
  const now = useNow();
  // The same rules as the full card's buttons; why a button is off is read out, and shown on the full card
  const { actions } = getCardPolicyState(card, now);
  const reasonsId = `${card.id}-compact-reasons`;
  return (
    <div className="order-3 ml-auto flex shrink-0 items-center gap-2 lg:order-none lg:ml-0">
      <Button size="sm" variant="primary" data-action="approve" onClick={onApprove} disabled={!actions.approve.isAllowed} aria-describedby={reasonsId}>
        {t("approve")}
      </Button>
      <Button size="sm" variant="danger" data-action="reject" onClick={onReject} disabled={!actions.reject.isAllowed} aria-describedby={reasonsId}>
        {t("reject")}
      </Button>
      <div className="sr-only">
        <CardActionReasons id={reasonsId} actions={actions} />
      </div>
    </div>
  );
}

/**
 * One line per card for agents who answer hundreds a day (docs/inbox-layout.md): platform, kind, title, the
 * amount asked, both clocks and 同意/拒绝. Everything else is on the full card (the row's expand button) and
 * the detail page.
 */
function CompactCardView({ card, onDecide }: CompactCardProps) {
  const t = useTranslations("card");
  const [isRejecting, setIsRejecting] = useState(false);
  const isPending = card.status === "pending";
  return (
    <article
      aria-label={`${card.order.title} · ${card.buyerNick}`}
      data-request-id={card.id}
      data-density="compact"
      className="flex flex-wrap items-center gap-x-3 gap-y-1.5 rounded-md bg-white px-3 py-1.5 shadow-sm ring-1 ring-slate-200 lg:flex-nowrap"
    >
      <div className="flex min-w-0 basis-full items-center gap-1.5 lg:flex-1 lg:basis-auto">
        <PlatformBadge platform={card.platform} />
        <KindBadge kind={card.kind} />
        <InterventionBadge state={card.platformIntervention} />
        <h3 className="min-w-0 truncate text-sm font-medium text-slate-900" title={card.order.title}>
          {card.order.title}
        </h3>
      </div>
      <span className="order-2 shrink-0 text-sm font-semibold text-rose-700 tabular-nums lg:order-none lg:min-w-28 lg:text-right">
        <span className="sr-only">{card.kind === "entry_reopen" ? t("orderAmount") : t("requested")}</span>
        {formatFen(card.kind === "entry_reopen" ? card.order.amountFen : card.amountFen)}
      </span>
      <div className="order-1 flex min-w-0 basis-full flex-wrap items-center gap-1.5 lg:order-none lg:min-w-[23rem] lg:shrink-0 lg:basis-auto lg:flex-nowrap lg:justify-end">{isPending ? <CardClocks card={card} /> : <StatusText status={card.status} />}</div>
      {isPending ? <CompactActions card={card} onApprove={() => onDecide(card.id, { decision: "approve" })} onReject={() => setIsRejecting(true)} /> : null}
      <RejectDialog open={isRejecting} onOpenChange={setIsRejecting} card={card} onSubmit={(input) => onDecide(card.id, { decision: "reject", ...input })} />
    </article>
  );
}

export const CompactRequestCard = memo(CompactCardView);
