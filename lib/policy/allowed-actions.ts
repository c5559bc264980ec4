import { getEntryReopenEligibility, type EntryReopenEligibility, type EntryReopenOrder } from "@/lib/policy/entry-reopen";
import {
  getNegotiationLock,
  isProposalApplicable,
  type PlatformProposal,
  type ProposalOrder,
  type ProposalRequest,
} from "@/lib/policy/platform-negotiation";
import type { PolicyProfile, UnrejectableRule } from "@/lib/policy/profiles";
import { getUnrejectableRules, type RejectionOrder, type RejectionRequest } from "@/lib/policy/rejection";
import { canCounterOffer } from "@/lib/policy/seller-negotiation";
import type { NotOfferedReason } from "@/lib/platforms/types";

export type SellerAction = "approve" | "reject" | "counter_offer";

export type ActionPermission =
  | { isAllowed: true }
  | { isAllowed: false; reason: "negotiation_lock"; until: Date }
  | { isAllowed: false; reason: "not_rejectable"; rules: UnrejectableRule[] }
  | { isAllowed: false; reason: "not_negotiable" }
  | { isAllowed: false; reason: "not_eligible"; eligibility: Extract<EntryReopenEligibility, { eligible: false }> }
  /** A connected shop: the platform's API has no such answer for this card now (docs/platforms/answer-table.md). */
  | { isAllowed: false; reason: "answer_not_offered"; notOffered: NotOfferedReason };

export type ActionOrder = ProposalOrder & RejectionOrder & EntryReopenOrder;
export type ActionRequest = ProposalRequest & RejectionRequest;

const allowed: ActionPermission = { isAllowed: true };

/** Which card buttons work now and why not; the server refuses the same (409 negotiation_lock, 422 otherwise). */
export function getAllowedActions(
  profile: PolicyProfile,
  order: ActionOrder,
  request: ActionRequest,
  proposal: PlatformProposal | null,
  now: Date,
): Record<SellerAction, ActionPermission> {
  // An inapplicable proposal is recorded as invalid and locks nothing (docs/domain/negotiation.md)
  const lock =
    proposal && isProposalApplicable(profile, order, request) ? getNegotiationLock(profile, proposal, now) : null;
  // docs/domain/negotiation.md: while the proposal is valid the seller may only approve the original request
  const lockedOut: ActionPermission | null = lock?.isLocked
    ? { isAllowed: false, reason: "negotiation_lock", until: lock.until }
    : null;

  const eligibility = request.kind === "entry_reopen" ? getEntryReopenEligibility(profile, order, now) : null;
  const approve: ActionPermission =
    eligibility && !eligibility.eligible ? { isAllowed: false, reason: "not_eligible", eligibility } : allowed;

  const unrejectable = getUnrejectableRules(profile, order, request);
  const reject: ActionPermission =
    lockedOut ?? (unrejectable.length > 0 ? { isAllowed: false, reason: "not_rejectable", rules: unrejectable } : allowed);

  const counterOffer: ActionPermission =
    lockedOut ?? (canCounterOffer(request) ? allowed : { isAllowed: false, reason: "not_negotiable" });

  return { approve, reject, counter_offer: counterOffer };
}

/** A connected shop's card: an action its platform's API cannot answer is disabled with why, whatever the rules allow. */
export function withPlatformAnswers(
  actions: Record<SellerAction, ActionPermission>,
  answers: Record<SellerAction, NotOfferedReason | null> | null | undefined,
): Record<SellerAction, ActionPermission> {
  if (!answers) return actions;
  const overlay = (action: SellerAction): ActionPermission => {
    const notOffered = answers[action];
    return notOffered ? { isAllowed: false, reason: "answer_not_offered", notOffered } : actions[action];
  };
  return { approve: overlay("approve"), reject: overlay("reject"), counter_offer: overlay("counter_offer") };
}
