"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { CardFreightLine, isCardFreightShown } from "@/components/freight/card-freight";
import { fetchRequestDetail, requestKeys } from "@/components/inbox/api";
import { KindBadge, PlatformBadge, StatusText } from "@/components/inbox/badges";
import { EvidenceThumbs } from "@/components/inbox/evidence-thumbs";
import { PlatformRefusalNotice } from "@/components/inbox/platform-refusal-notice";
import { RejectDialog } from "@/components/inbox/reject-dialog";
import { ReplyClock } from "@/components/inbox/reply-clock";
import { useDecide } from "@/components/inbox/use-decide";
import { useNow } from "@/components/inbox/use-now";
import { CardActionReasons } from "@/components/policy/card-action-reasons";
import { getCardPolicyState } from "@/components/policy/card-policy-state";
import { CardPolicyNotes } from "@/components/policy/card-policy-notes";
import { CounterOfferDialog } from "@/components/policy/counter-offer-dialog";
import { formatShanghaiDate } from "@/components/policy/format";
import { useRejectReasonLabel } from "@/components/policy/reject-reason-label";
import { ReassignControl } from "@/components/reassign-control";
import { Button } from "@/components/ui/button";
import type { AuditEntry, RequestCard } from "@/lib/api-types";
import { isBuyerReasonCode } from "@/lib/buyer-reasons";
import { formatFen } from "@/lib/money";

const timeFormat = { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false } as const;

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-[6.5rem_minmax(0,1fr)] gap-2 py-1.5 text-sm sm:grid-cols-[8rem_minmax(0,1fr)]">
      <dt className="text-slate-500">{label}</dt>
      <dd className="break-words text-slate-900">{children}</dd>
    </div>
  );
}

export function RequestDetail({
  initial,
  assignees = null,
}: {
  initial: { card: RequestCard; audit: AuditEntry[]; serverNow: string };
  assignees?: { id: string; name: string }[] | null;
}) {
  const t = useTranslations();
  const reasonLabel = useRejectReasonLabel();
  const format = useFormatter();
  const now = useNow();
  const decide = useDecide();
  const [isRejecting, setIsRejecting] = useState(false);
  const [isCounterOffering, setIsCounterOffering] = useState(false);
  const { data } = useQuery({
    queryKey: requestKeys.detail(initial.card.id),
    queryFn: () => fetchRequestDetail(initial.card.id),
    initialData: initial,
  });
  const { card, audit } = data;
  const when = (iso: string | null) => (iso ? format.dateTime(new Date(iso), timeFormat) : t("detail.none"));
  const policy = getCardPolicyState(card, now);

  return (
    <div className="space-y-5">
      <Link href="/inbox" className="text-sm text-slate-600 hover:underline">
        ← {t("detail.back")}
      </Link>
      <div className="flex flex-wrap items-center gap-2">
        <PlatformBadge platform={card.platform} />
        <KindBadge kind={card.kind} />
        <h1 className="min-w-0 text-lg font-semibold break-words">{card.order.title}</h1>
        <span className="ml-auto">
          {card.status === "pending" ? <ReplyClock platform={card.platform} respondBy={card.respondBy} now={now} /> : <StatusText status={card.status} />}
        </span>
      </div>
      <PlatformRefusalNotice card={card} />
      {card.status === "pending" ? (
        <div className="flex flex-wrap items-start gap-2">
          <Button
            variant="primary"
            onClick={() => decide.mutate({ id: card.id, input: { decision: "approve" } })}
            disabled={decide.isPending || !policy.actions.approve.isAllowed}
            aria-describedby="detail-action-reasons"
          >
            {t("card.approve")}
          </Button>
          <Button
            variant="danger"
            onClick={() => setIsRejecting(true)}
            disabled={decide.isPending || !policy.actions.reject.isAllowed}
            aria-describedby="detail-action-reasons"
          >
            {t("card.reject")}
          </Button>
          {card.kind === "refund_only" || card.kind === "return_refund" ? (
            <Button onClick={() => setIsCounterOffering(true)} disabled={!policy.actions.counter_offer.isAllowed} aria-describedby="detail-action-reasons">
              {t("policy.actions.counter_offer")}
            </Button>
          ) : null}
          <CardActionReasons id="detail-action-reasons" actions={policy.actions} />
          <RejectDialog
            open={isRejecting}
            onOpenChange={setIsRejecting}
            card={card}
            onSubmit={(input) => decide.mutate({ id: card.id, input: { decision: "reject", ...input } })}
          />
          {isCounterOffering ? <CounterOfferDialog card={card} open onOpenChange={setIsCounterOffering} /> : null}
        </div>
      ) : null}

      <CardPolicyNotes card={card} state={policy} now={now} />

      <div className="grid grid-cols-1 gap-5 lg:grid-cols-2">
        <section className="rounded-lg bg-white p-4 ring-1 ring-slate-200" aria-labelledby="request-heading">
          <h2 id="request-heading" className="mb-2 font-medium">
            {t("detail.request")}
          </h2>
          <dl className="divide-y divide-slate-100">
            <Field label={t("card.shop")}>{card.shop.name}</Field>
            <Field label={t("card.buyer")}>{card.buyerNick}</Field>
            <Field label={t("card.reason")}>{isBuyerReasonCode(card.reasonCode) ? t(`buyerReason.${card.reasonCode}`) : card.reasonCode}</Field>
            {card.kind !== "entry_reopen" ? <Field label={t("card.requested")}>{formatFen(card.amountFen)}</Field> : null}
            <Field label={t("card.claim")}>{card.claim ?? t("detail.none")}</Field>
            <Field label={t("card.evidence")}>
              {card.evidence.length ? <EvidenceThumbs evidence={card.evidence} /> : t("detail.none")}
            </Field>
            <Field label={t("card.receivedAt")}>{when(card.receivedAt)}</Field>
            <Field label={t("card.replyDeadline")}>{when(card.respondBy)}</Field>
            <Field label={t("card.platformDeadline")}>{when(card.platformDeadline)}</Field>
            {card.status === "rejected" ? (
              <>
                <Field label={t("detail.rejectReason")}>{card.rejectReasonCode ? reasonLabel({ code: card.rejectReasonCode, platformText: card.rejectReasonText ?? undefined }) : null}</Field>
                <Field label={t("detail.rejectMessage")}>{card.rejectMessage}</Field>
              </>
            ) : null}
          </dl>
        </section>
        <section className="rounded-lg bg-white p-4 ring-1 ring-slate-200" aria-labelledby="order-heading">
          <h2 id="order-heading" className="mb-2 font-medium">
            {t("detail.order")}
          </h2>
          <dl className="divide-y divide-slate-100">
            <Field label={t("card.refundNo")}>
              <span className="font-mono break-all select-all">{card.platformRequestId}</span>
            </Field>
            <Field label={t("detail.platformOrderId")}>
              <span className="font-mono break-all">{card.order.platformOrderId}</span>
            </Field>
            <Field label={t("card.orderAmount")}>{formatFen(card.order.amountFen)}</Field>
            <Field label={t("detail.category")}>
              {t.has(`category.${card.order.category}`) ? t(`category.${card.order.category}`) : t("card.categoryUnknown", { category: card.order.category })}
            </Field>
            <Field label={t("detail.completedAt")}>{when(card.order.completedAt)}</Field>
            <Field label={t("detail.goodsReceivedAt")}>{when(card.order.receivedAt)}</Field>
            {isCardFreightShown(card) ? (
              <Field label={t("freight.nav")}>
                <CardFreightLine card={card} />
              </Field>
            ) : null}
          </dl>
        </section>
      </div>

      {assignees && card.status === "pending" ? <ReassignControl requestId={card.id} assignees={assignees} currentId={card.claimedBy?.id ?? null} /> : null}
      <section className="rounded-lg bg-white p-4 ring-1 ring-slate-200" aria-labelledby="history-heading">
        <h2 id="history-heading" className="mb-2 font-medium">
          {t("detail.history")}
        </h2>
        <ol className="space-y-2">
          {audit.map((entry) => (
            <li key={entry.id} className="flex flex-wrap gap-x-3 text-sm">
              <time className="text-slate-500 tabular-nums" dateTime={entry.at}>
                {when(entry.at)}
              </time>
              <span className="font-medium">{entry.actor?.name ?? t("detail.system")}</span>
              <span>
                {entry.action === "platform_refused"
                  ? t("platformRefusal.audit")
                  : t.has(`detail.actions.${entry.action}`)
                    ? t(`detail.actions.${entry.action}`)
                    : t.has(`policy.audit.${entry.action}`)
                      ? t(`policy.audit.${entry.action}`, { date: typeof entry.detail?.openUntil === "string" ? formatShanghaiDate(entry.detail.openUntil) : "" })
                      : t.has(`rules.audit.${entry.action}`)
                        ? t(`rules.audit.${entry.action}`, { rule: String(entry.detail?.ruleName ?? "") })
                        : entry.action}
              </span>
              {entry.fromStatus && entry.toStatus ? (
                <span className="text-slate-500">
                  {t(`status.${entry.fromStatus}`)} → {t(`status.${entry.toStatus}`)}
                </span>
              ) : null}
              {typeof entry.detail?.message === "string" ? <span className="text-slate-600">“{entry.detail.message}”</span> : null}
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
