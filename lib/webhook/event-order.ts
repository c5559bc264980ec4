import { statusForDecision, type Decision, type RequestKind, type RequestStatus } from "@/lib/domain";
import type { ProposalOutcome, WebhookBuyer, WebhookEvent, WebhookOrder } from "@/lib/webhook/events";

// Events may arrive late, early or twice (docs/webhooks.md). The state is built so that applying any set of
// events in any order gives the state of applying them in occurredAt order: each field keeps the
// value of its latest event, a cancel is permanent, and nothing here touches the seller's decision.

export type RequestEvent = Exclude<WebhookEvent, { type: "order.upserted" }>;

/** When an event happened, as a UTC ISO string, and its id to break ties between events of the same ms. */
export type Stamp = { occurredAt: string; eventId: string };

export type RequestFields = {
  kind: RequestKind | null;
  order: WebhookOrder | null;
  buyer: WebhookBuyer | null;
  reasonCode: string | null;
  reasonText: string | null;
  claim: string | null;
  evidence: string[];
  amountFen: number | null;
  platformDeadline: string | null;
};

export type ProposalState = {
  proposalId: string;
  created: Stamp | null;
  expiresAt: string | null;
  resolved: Stamp | null;
  outcome: ProposalOutcome | null;
};

export type RequestEventState = {
  requestId: string;
  /** Earliest request.created seen; null while only later events have arrived, so no card shows yet. */
  createdAt: string | null;
  /** Earliest request.cancelled seen; a withdrawn request stays withdrawn. */
  cancelledAt: string | null;
  fields: RequestFields;
  /** Which event last set each field; a field without a stamp has not been sent yet. */
  fieldStamps: Partial<Record<keyof RequestFields, Stamp>>;
  /** Sorted by proposalId so the same proposals always give the same array. */
  proposals: ProposalState[];
  /** Set by the desk, never by an event: a late update or cancel does not reopen a decided request. */
  decision: Decision | null;
};

export function createEmptyRequestState(requestId: string): RequestEventState {
  return {
    requestId,
    createdAt: null,
    cancelledAt: null,
    fields: {
      kind: null,
      order: null,
      buyer: null,
      reasonCode: null,
      reasonText: null,
      claim: null,
      evidence: [],
      amountFen: null,
      platformDeadline: null,
    },
    fieldStamps: {},
    proposals: [],
    decision: null,
  };
}

/** The seller's decision stands over anything the platform sends afterwards. */
export function getRequestStatus(state: Pick<RequestEventState, "decision" | "cancelledAt">): RequestStatus {
  if (state.decision) return statusForDecision(state.decision);
  return state.cancelledAt ? "cancelled" : "pending";
}

// One spelling per instant ("+08:00" and "Z" alike), so equal sets of events give equal states
function normalizeInstant(isoInstant: string): string {
  return new Date(isoInstant).toISOString();
}

function getStamp(event: RequestEvent): Stamp {
  return { occurredAt: normalizeInstant(event.occurredAt), eventId: event.id };
}

// Ties on the same millisecond go to the larger event id; the same event again is not later than itself
export function isLaterStamp(candidate: Stamp, current: Stamp | null | undefined): boolean {
  if (!current) return true;
  const candidateMs = Date.parse(candidate.occurredAt);
  const currentMs = Date.parse(current.occurredAt);
  if (candidateMs !== currentMs) return candidateMs > currentMs;
  return candidate.eventId > current.eventId;
}

function getEarlierInstant(current: string | null, candidate: string): string {
  if (current === null) return candidate;
  return Date.parse(candidate) < Date.parse(current) ? candidate : current;
}

function copyField<Key extends keyof RequestFields>(target: RequestFields, patch: Partial<RequestFields>, key: Key) {
  const value = patch[key];
  if (value !== undefined) target[key] = value;
}

function assignLatestFields(state: RequestEventState, stamp: Stamp, patch: Partial<RequestFields>): RequestEventState {
  const fields = { ...state.fields };
  const fieldStamps = { ...state.fieldStamps };
  for (const key of Object.keys(patch) as (keyof RequestFields)[]) {
    if (patch[key] === undefined || !isLaterStamp(stamp, fieldStamps[key])) continue;
    copyField(fields, patch, key);
    fieldStamps[key] = stamp;
  }
  return { ...state, fields, fieldStamps };
}

function updateProposal(
  state: RequestEventState,
  proposalId: string,
  update: (proposal: ProposalState) => ProposalState,
): RequestEventState {
  const existing = state.proposals.find((proposal) => proposal.proposalId === proposalId);
  const empty: ProposalState = { proposalId, created: null, expiresAt: null, resolved: null, outcome: null };
  const others = state.proposals.filter((proposal) => proposal.proposalId !== proposalId);
  const proposals = [...others, update(existing ?? empty)].sort((a, b) =>
    a.proposalId < b.proposalId ? -1 : a.proposalId > b.proposalId ? 1 : 0,
  );
  return { ...state, proposals };
}

/** The new state after one event; pass null for a request not seen before. */
export function applyRequestEvent(state: RequestEventState | null, event: RequestEvent): RequestEventState {
  const current = state ?? createEmptyRequestState(event.data.requestId);
  if (current.requestId !== event.data.requestId) {
    throw new Error(`Event ${event.id} is for request ${event.data.requestId}, not ${current.requestId}`);
  }
  const stamp = getStamp(event);
  switch (event.type) {
    case "request.created": {
      const { data } = event;
      // Optional fields absent from the create are set to null, as they would be in order
      const withFields = assignLatestFields(current, stamp, {
        kind: data.kind,
        order: data.order,
        buyer: data.buyer,
        reasonCode: data.reasonCode,
        reasonText: data.reasonText ?? null,
        claim: data.claim ?? null,
        evidence: data.evidence,
        amountFen: data.amountFen ?? null,
        platformDeadline: data.platformDeadline ? normalizeInstant(data.platformDeadline) : null,
      });
      return { ...withFields, createdAt: getEarlierInstant(current.createdAt, stamp.occurredAt) };
    }
    case "request.cancelled":
      return { ...current, cancelledAt: getEarlierInstant(current.cancelledAt, stamp.occurredAt) };
    case "request.updated": {
      const { kind, amountFen, evidence, reasonCode, reasonText, claim } = event.data;
      return assignLatestFields(current, stamp, { kind, amountFen, evidence, reasonCode, reasonText, claim });
    }
    case "deadline.changed":
      return assignLatestFields(current, stamp, { platformDeadline: normalizeInstant(event.data.platformDeadline) });
    case "proposal.created": {
      const expiresAt = event.data.expiresAt ? normalizeInstant(event.data.expiresAt) : null;
      return updateProposal(current, event.data.proposalId, (proposal) =>
        isLaterStamp(stamp, proposal.created) ? { ...proposal, created: stamp, expiresAt } : proposal,
      );
    }
    case "proposal.resolved": {
      const { outcome } = event.data;
      return updateProposal(current, event.data.proposalId, (proposal) =>
        isLaterStamp(stamp, proposal.resolved) ? { ...proposal, resolved: stamp, outcome } : proposal,
      );
    }
  }
}

/** Replays stored events, e.g. from the append-only event log. */
export function applyRequestEvents(
  state: RequestEventState | null,
  events: readonly RequestEvent[],
): RequestEventState | null {
  return events.reduce<RequestEventState | null>(applyRequestEvent, state);
}
