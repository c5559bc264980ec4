import type { OrderFact, PriorRefundState } from "@/lib/domain";
import type { EntryReopenRule, PolicyProfile } from "@/lib/policy/profiles";
import { addCalendarYears, dayMs, getEndOfShanghaiDay, getShanghaiDate } from "@/lib/time";


type EntryReopenProfile = Pick<PolicyProfile, "entryReopen">;

export type EntryReopenOrder = {
  /** 交易成功, a UTC instant; null while the deal has not succeeded (or when "completed" is in unknownFacts). */
  completedAt: Date | null;
  /** "unknown" when the platform could not tell. */
  priorRefundState: PriorRefundState;
  /** Facts the platform could not tell us: the rule never answers as if it knew them. */
  unknownFacts?: readonly OrderFact[];
  /** When the entry was last opened; the open state is derived from it and the clock, never stored. */
  entryOpenedAt?: Date | null;
  timesOpened?: number;
};

export type EntryReopenEligibility =
  | { eligible: true; deadline: Date; openUntil: Date }
  | { eligible: false; reason: "not_supported" }
  | { eligible: false; reason: "not_completed" }
  | { eligible: false; reason: "already_open"; openUntil: Date }
  | { eligible: false; reason: "too_old"; deadline: Date }
  | { eligible: false; reason: "prior_refund"; priorRefundState: PriorRefundState }
  | { eligible: false; reason: "limit_reached"; maxOpenings: number }
  /** Nothing known rules it out, but a fact it depends on could not be read: the card says which. */
  | { eligible: false; reason: "unknown_facts"; facts: EntryReopenFact[] };

/** The facts the re-open rule reads that a platform may be unable to tell. */
export type EntryReopenFact = Extract<OrderFact, "completed" | "prior_refund">;

/**
 * Last instant the seller may open the entry: the end (23:59:59.999+08:00) of the Shanghai calendar date
 * `maxAgeYears` after 交易成功's Shanghai date; 29 Feb falls back to 28 Feb (docs/domain/after-sales-entry.md).
 */
export function getEntryReopenDeadline(profile: EntryReopenProfile, order: { completedAt: Date }): Date | null {
  return profile.entryReopen ? computeDeadline(profile.entryReopen, order.completedAt) : null;
}

function computeDeadline(rule: EntryReopenRule, completedAt: Date): Date {
  return getEndOfShanghaiDay(addCalendarYears(getShanghaiDate(completedAt), rule.maxAgeYears));
}

/** Last instant an entry opened at `openedAt` is open: exactly 30 × 24 h later (docs/domain/after-sales-entry.md: closes itself after 30 days). */
export function getEntryOpenUntil(profile: EntryReopenProfile, openedAt: Date): Date | null {
  return profile.entryReopen ? computeOpenUntil(profile.entryReopen, openedAt) : null;
}

function computeOpenUntil(rule: EntryReopenRule, openedAt: Date): Date {
  return new Date(openedAt.getTime() + rule.autoCloseDays * dayMs);
}

/** Open from openedAt through openUntil inclusive; one millisecond later it has closed by itself. */
export function isEntryOpen(
  profile: EntryReopenProfile,
  order: Pick<EntryReopenOrder, "entryOpenedAt">,
  now: Date,
): boolean {
  if (!order.entryOpenedAt) return false;
  const openUntil = getEntryOpenUntil(profile, order.entryOpenedAt);
  if (!openUntil) return false;
  return order.entryOpenedAt.getTime() <= now.getTime() && now.getTime() <= openUntil.getTime();
}

/**
 * Whether the seller may open the after-sales entry now; an open entry answers "已开启，至 …" first. A fact the
 * platform could not tell is never read as its default: a refusal a known fact proves still stands, else the answer
 * is unknown_facts naming what is missing (docs/platforms/order-facts.md).
 */
export function getEntryReopenEligibility(
  profile: EntryReopenProfile,
  order: EntryReopenOrder,
  now: Date,
): EntryReopenEligibility {
  const rule = profile.entryReopen;
  if (!rule) return { eligible: false, reason: "not_supported" };
  if (order.entryOpenedAt && isEntryOpen(profile, order, now)) {
    return { eligible: false, reason: "already_open", openUntil: computeOpenUntil(rule, order.entryOpenedAt) };
  }
  const unknown: EntryReopenFact[] = [];
  const isCompletedKnown = !order.unknownFacts?.includes("completed");
  const isPriorRefundKnown = order.priorRefundState !== "unknown" && !order.unknownFacts?.includes("prior_refund");
  let deadline: Date | null = null;
  if (!isCompletedKnown) unknown.push("completed");
  else if (!order.completedAt) return { eligible: false, reason: "not_completed" };
  else {
    deadline = computeDeadline(rule, order.completedAt);
    if (now.getTime() > deadline.getTime()) return { eligible: false, reason: "too_old", deadline };
  }
  // docs/domain/after-sales-entry.md: only orders with no after-sales refund, or whose refund was closed
  if (!isPriorRefundKnown) unknown.push("prior_refund");
  else if (!rule.eligiblePriorRefundStates.includes(order.priorRefundState)) {
    return { eligible: false, reason: "prior_refund", priorRefundState: order.priorRefundState };
  }
  if (rule.maxOpenings !== null && (order.timesOpened ?? 0) >= rule.maxOpenings) {
    return { eligible: false, reason: "limit_reached", maxOpenings: rule.maxOpenings };
  }
  if (unknown.length > 0 || !deadline) return { eligible: false, reason: "unknown_facts", facts: unknown };
  return { eligible: true, deadline, openUntil: computeOpenUntil(rule, now) };
}
