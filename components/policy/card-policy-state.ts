import type { CardProposal, RequestCard } from "@/lib/api-types";
import { getAfterSalesPeriodEnd } from "@/lib/policy/after-sales-period";
import { getAllowedActions, withPlatformAnswers, type ActionOrder, type ActionRequest } from "@/lib/policy/allowed-actions";
import { isProductCategory } from "@/lib/policy/categories";
import { getNegotiationLock, getProposalApplicability, type PlatformProposal } from "@/lib/policy/platform-negotiation";
import { getPolicyProfile } from "@/lib/policy/profiles";
import { isSellerBuyerNegotiation } from "@/lib/policy/seller-negotiation";

// The card JSON read as the pure rules' inputs, so the buttons ask the same functions the server does
// (db/queries/decision-policy.ts) with the ticking clock.

const toDate = (iso: string | null) => (iso ? new Date(iso) : null);

export function toCardPolicyOrder(card: RequestCard): ActionOrder {
  return {
    category: isProductCategory(card.order.category) ? card.order.category : "other",
    amountFen: card.order.amountFen,
    shippedAt: toDate(card.order.shippedAt),
    receivedAt: toDate(card.order.receivedAt),
    completedAt: toDate(card.order.completedAt),
    priorRefundState: card.order.priorRefund,
    entryOpenedAt: toDate(card.order.entryOpenedAt),
    timesOpened: card.order.entryTimesOpened,
    unknownFacts: card.order.unknownFacts ?? [],
  };
}

export function toCardPolicyRequest(card: RequestCard): ActionRequest {
  return { kind: card.kind, amountFen: card.amountFen, receivedAt: new Date(card.receivedAt), isSevenDayNoReason: card.reasonCode === "no_reason_7d" };
}

function toProposal(proposal: CardProposal): PlatformProposal {
  if (proposal.outcome === "lapsed") return { createdAt: new Date(proposal.proposedAt), expiresAt: toDate(proposal.resolvedAt ?? proposal.expiresAt) };
  return { createdAt: new Date(proposal.proposedAt), expiresAt: toDate(proposal.expiresAt), buyerResponse: proposal.outcome };
}

export function getCardPolicyState(card: RequestCard, now: Date) {
  const profile = getPolicyProfile(card.platform);
  const order = toCardPolicyOrder(card);
  const request = toCardPolicyRequest(card);
  const proposal = card.proposal ? toProposal(card.proposal) : null;
  const isProposalValid = proposal !== null && getProposalApplicability(profile, order, request).isApplicable;
  return {
    profile,
    order,
    request,
    // The server checks the same: the rules first, then what the platform's API can answer (db/queries/decision-policy.ts)
    actions: withPlatformAnswers(getAllowedActions(profile, order, request, proposal, now), card.answers),
    periodEndsAt: order.completedAt
      ? getAfterSalesPeriodEnd(profile, {
          completedAt: order.completedAt,
          category: order.category,
          warrantyDays: card.order.warrantyDays,
          sellerPromiseDays: card.order.sellerPromiseDays,
        })
      : null,
    lock: proposal && isProposalValid ? getNegotiationLock(profile, proposal, now) : null,
    isSellerBuyerNegotiation: isSellerBuyerNegotiation(profile, order, request),
  };
}

export type CardPolicyState = ReturnType<typeof getCardPolicyState>;
