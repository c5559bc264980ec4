import type { Decision, OrderFact, Platform, PriorRefundState, RequestKind, RequestStatus } from "@/lib/domain";
import type { AnswerAvailability } from "@/lib/platforms/answer-table";
import type { PlatformRejectReason } from "@/lib/platforms/types";
import type { BuyerZone } from "@/lib/return-freight/parameters";

// The JSON the API answers with (instants as ISO strings), shared by the routes and the UI.

export type RequestCard = {
  id: string;
  shop: { id: string; name: string };
  platform: Platform;
  /** The platform's refund id (退款编号), the number an agent types into 千牛/抖店. */
  platformRequestId: string;
  kind: RequestKind;
  status: RequestStatus;
  reasonCode: string;
  reasonText: string | null;
  claim: string | null;
  evidence: { id: string; url: string }[];
  amountFen: number;
  receivedAt: string;
  respondBy: string;
  platformDeadline: string | null;
  decision: Decision | null;
  decidedAt: string | null;
  decidedBy: { id: string; name: string } | null;
  /** 认领: who is working the card now. */
  claimedBy: { id: string; name: string } | null;
  rejectReasonCode: string | null;
  /** The platform's words for the reason when its list gave them (a connected shop), else null. */
  rejectReasonText: string | null;
  rejectMessage: string | null;
  version: number;
  buyerNick: string;
  order: {
    id: string;
    platformOrderId: string;
    title: string;
    category: string;
    amountFen: number;
    completedAt: string | null;
    receivedAt: string | null;
    /** What the policy rules read (docs/domain/README.md): shipping, prior refund, 售后保 days and the entry's state. */
    shippedAt: string | null;
    priorRefund: PriorRefundState;
    warrantyDays: number | null;
    sellerPromiseDays: number | null;
    entryOpenedAt: string | null;
    entryTimesOpened: number;
    /** Facts the platform could not tell us: the card names them and no rule acts on them. */
    unknownFacts: OrderFact[];
    subOrderId: string | null;
  };
  /** For a shop connected to its platform: the buttons its API cannot answer now, and why (null: no platform app). */
  answers?: AnswerAvailability | null;
  /** The latest Douyin platform proposal on this request, if any (docs/domain/negotiation.md). */
  proposal?: CardProposal | null;
  /** The seller's latest counter-offer, if any (docs/domain/negotiation.md). */
  counterOffer?: CardCounterOffer | null;
  /** Expected return freight for this order (docs/return-freight.md); absent or null when no parcel goes back. */
  freight?: CardFreight | null;
  /** The platform's intervention state (lib/platform-intervention.ts), null when it never stepped in (docs/domain/kinds.md). */
  platformIntervention?: string | null;
  /** The platform refused the last answer (or it never arrived) and the card came back to pending: its words, and when. */
  platformRefusal: { message: string; at: string } | null;
};

/** Return freight of one order by its zone, and what 退货宝 would pay (lib/return-freight/order-freight.ts). */
export type CardFreight = {
  /** "request": the card's own kind; "proposal": a Douyin platform proposal turning it into return & refund. */
  basis: "request" | "proposal";
  zone: BuyerZone | null;
  returnFreightFen: number;
  payoutFen: number;
  isCovered: boolean;
  uncoveredFen: number;
  /** The shop has subscribed to 退货宝 (the owner's setting). */
  isSubscribed: boolean;
};

export type AuditEntry = {
  id: number;
  action: string;
  actor: { id: string; name: string } | null;
  fromStatus: string | null;
  toStatus: string | null;
  detail: Record<string, unknown> | null;
  at: string;
};

/** `orderedAt`: the instant a pending view was sorted at (lib/urgency.ts); later pages keep the first page's. */
export type RequestPage = { items: RequestCard[]; nextCursor: string | null; orderedAt: string; serverNow: string };

export type AlreadyDecidedError = {
  error: {
    code: "already_decided";
    message: string;
    status: RequestStatus;
    decidedBy: { id: string; name: string } | null;
    decision: Decision | null;
    decidedAt: string | null;
  };
};

export type CardProposal = {
  proposedAt: string;
  expiresAt: string | null;
  outcome: "accepted" | "rejected" | "lapsed" | null;
  resolvedAt: string | null;
  /** Why it cannot apply (lib/policy/platform-negotiation.ts); null when it is valid. */
  invalidReason: string | null;
};

export type CardCounterOffer = { kind: "partial_refund" | "return_refund"; amountFen: number | null; createdAt: string };

/** Why the entry cannot be opened now, as JSON (lib/policy/entry-reopen.ts). */
export type EntryIneligibility = {
  eligible: false;
  reason: "not_supported" | "not_completed" | "already_open" | "too_old" | "prior_refund" | "limit_reached" | "unknown_facts";
  openUntil?: string;
  deadline?: string;
  priorRefundState?: PriorRefundState;
  maxOpenings?: number;
  /** unknown_facts: the facts the platform could not tell, without which the rule cannot answer. */
  unknownFacts?: OrderFact[];
};

/** One row of the Orders page (docs/domain/after-sales-entry.md). */
export type OrderRow = {
  id: string;
  shop: { id: string; name: string };
  platform: Platform;
  platformOrderId: string;
  title: string;
  category: string;
  amountFen: number;
  buyerNick: string;
  completedAt: string | null;
  periodEndsAt: string | null;
  /** Set while the entry is open (30 days from opening, derived from time). */
  entryOpenUntil: string | null;
  entryTimesOpened: number;
  priorRefund: PriorRefundState;
  eligibility: { eligible: true } | EntryIneligibility;
  /** Owners always; agents only where the owner allows it. */
  canOpenEntry: boolean;
};

export type BulkDecisionResult = {
  id: string;
  outcome: "approved" | "already_decided" | "refused" | "not_found";
  decidedBy?: { id: string; name: string } | null;
  decision?: Decision | null;
  decidedAt?: string | null;
  code?: string;
};

/** GET /api/requests/{id}/reject-reasons: the platform's own reasons for a connected shop (null: could not be read). */
export type RejectReasonsBody =
  | { source: "desk" }
  /** isStale: the platform could not be read just now; these are the reasons it listed at fetchedAt. */
  | { source: "platform"; reasons: PlatformRejectReason[] | null; fetchedAt: string | null; isStale: boolean };
