import type { Platform, RequestKind } from "@/lib/domain";
import { getPlatformDueAt } from "@/lib/platform-clock";
import { getPolicyProfile } from "@/lib/policy/profiles";

// The order of the pending queue (docs/inbox-order.md), as of one instant:
//  0. cards still inside the 3-minute reply clock, the one that runs out first on top (a platform deadline
//     that comes even sooner wins, which only happens when the platform moved it up);
//  1. cards past the reply clock, by the platform's own clock, nearest first: the platform refunds or agrees
//     by itself at that time, so that is what decides once the reply clock is lost. Without a deadline from
//     the platform, the estimate the card shows (marked 估) stands in for it;
//  2. cards past the reply clock with no platform clock at all (re-open requests), oldest reply clock first.
// Equal keys fall back to the card id, so the order is total and a page cursor never skips or repeats.
// The database sorts by the same key (db/queries/request-order.ts); the client's live merge uses this one.

export const urgencyBands = { replyClock: 0, platformClock: 1, noClock: 2 } as const;
export type UrgencyBand = (typeof urgencyBands)[keyof typeof urgencyBands];

export type UrgencyKey = { band: UrgencyBand; atMs: number; id: string };

export type UrgencyInput = {
  id: string;
  respondByMs: number;
  /** The platform's clock: its deadline, or the profile's estimate; null when neither exists. */
  platformDueAtMs: number | null;
};

/** A card within its reply clock at exactly respond_by (lib/response-timer.ts: not yet overdue). */
export function getUrgencyKey(input: UrgencyInput, asOfMs: number): UrgencyKey {
  const { id, respondByMs, platformDueAtMs } = input;
  if (respondByMs >= asOfMs) {
    return { band: urgencyBands.replyClock, atMs: platformDueAtMs === null ? respondByMs : Math.min(respondByMs, platformDueAtMs), id };
  }
  if (platformDueAtMs !== null) return { band: urgencyBands.platformClock, atMs: platformDueAtMs, id };
  return { band: urgencyBands.noClock, atMs: respondByMs, id };
}

/** Negative when `a` comes first. */
export function compareUrgency(a: UrgencyKey, b: UrgencyKey): number {
  if (a.band !== b.band) return a.band - b.band;
  if (a.atMs !== b.atMs) return a.atMs - b.atMs;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export type UrgencyCard = {
  id: string;
  platform: Platform;
  kind: RequestKind;
  receivedAt: string;
  respondBy: string;
  platformDeadline: string | null;
  order: { shippedAt: string | null };
};

/** A card as the API answers it, read as the rule's input. */
export function toUrgencyInput(card: UrgencyCard): UrgencyInput {
  const due = getPlatformDueAt(getPolicyProfile(card.platform), {
    kind: card.kind,
    receivedAt: new Date(card.receivedAt),
    platformDeadline: card.platformDeadline ? new Date(card.platformDeadline) : null,
    isShipped: Boolean(card.order.shippedAt),
  });
  return { id: card.id, respondByMs: Date.parse(card.respondBy), platformDueAtMs: due ? due.dueAt.getTime() : null };
}
