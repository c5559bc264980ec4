import type { OrderFact, RequestKind } from "@/lib/domain";
import type { ProductCategory } from "@/lib/policy/categories";
import { isRequestAfterReceipt } from "@/lib/policy/goods-receipt";
import type { PolicyProfile } from "@/lib/policy/profiles";

type NegotiationProfile = Pick<PolicyProfile, "platformNegotiation">;

export type ProposalOrder = { category: ProductCategory; amountFen: number; receivedAt: Date | null; unknownFacts?: readonly OrderFact[] };
export type ProposalRequest = { kind: RequestKind; amountFen: number; receivedAt: Date };

/** A platform 主动介入协商 proposal as the platform sent it. */
export type PlatformProposal = {
  createdAt: Date;
  /** The platform's own expiry; when present it wins over createdAt + the profile's 12 h. */
  expiresAt?: Date | null;
  buyerResponse?: "accepted" | "rejected" | null;
};

export type ProposalApplicability =
  | { isApplicable: true }
  | {
      isApplicable: false;
      reason: "not_supported" | "not_refund_only" | "partial_refund" | "not_received" | "excluded_category";
    };

export type NegotiationLock =
  | { isLocked: true; until: Date; remainingMs: number }
  | { isLocked: false; reason: "not_supported" }
  | { isLocked: false; reason: "accepted" | "rejected" }
  | { isLocked: false; reason: "lapsed"; until: Date };

/** docs/domain/negotiation.md: only a full refund-only after receipt, outside 生鲜/鲜花园艺/宠物活体; anything else is an invalid proposal. */
export function getProposalApplicability(
  profile: NegotiationProfile,
  order: ProposalOrder,
  request: ProposalRequest,
): ProposalApplicability {
  const rule = profile.platformNegotiation;
  if (!rule) return { isApplicable: false, reason: "not_supported" };
  if (request.kind !== "refund_only") return { isApplicable: false, reason: "not_refund_only" };
  if (request.amountFen < order.amountFen) return { isApplicable: false, reason: "partial_refund" };
  // Receipt unknown: the platform made the proposal, so it is taken as valid (a lock the desk cannot disprove)
  if (!order.unknownFacts?.includes("received") && !isRequestAfterReceipt(order, request)) return { isApplicable: false, reason: "not_received" };
  if (rule.excludedCategories.includes(order.category)) return { isApplicable: false, reason: "excluded_category" };
  return { isApplicable: true };
}

export function isProposalApplicable(
  profile: NegotiationProfile,
  order: ProposalOrder,
  request: ProposalRequest,
): boolean {
  return getProposalApplicability(profile, order, request).isApplicable;
}

/**
 * Locked while now < expiresAt (the platform's field) or createdAt + 12 h: exactly at that instant the
 * proposal has lapsed. The buyer accepting or rejecting ends it at once (docs/domain/negotiation.md).
 */
export function getNegotiationLock(profile: NegotiationProfile, proposal: PlatformProposal, now: Date): NegotiationLock {
  const rule = profile.platformNegotiation;
  if (!rule) return { isLocked: false, reason: "not_supported" };
  if (proposal.buyerResponse) return { isLocked: false, reason: proposal.buyerResponse };
  const until = proposal.expiresAt ?? new Date(proposal.createdAt.getTime() + rule.validMs);
  const remainingMs = until.getTime() - now.getTime();
  if (remainingMs <= 0) return { isLocked: false, reason: "lapsed", until };
  return { isLocked: true, until, remainingMs };
}
