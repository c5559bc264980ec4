import type { PriorRefundState } from "@/lib/domain";
import type { EntryReopenRule, PolicyProfile } from "@/lib/policy/profiles";
import { addCalendarYears, dayMs, getEndOfShanghaiDay, getShanghaiDate } from "@/lib/time";


type EntryReopenProfile = Pick<PolicyProfile, "entryReopen">;

export type EntryReopenOrder = {
  /** 交易成功, a UTC instant; null while the deal has not succeeded. */
  completedAt: Date | null;
  priorRefundState: PriorRefundState;
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
  | { eligible: false; reason: "limit_reached"; maxOpenings: number };

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

/** Whether the seller may open the after-sales entry now; an open entry answers "已开启，至 …" first. */
export function getEntryReopenEligibility(
  profile: EntryReopenProfile,
  order: EntryReopenOrder,
  now: Date,
): EntryReopenEligibility {
  const rule = profile.entryReopen;
  if (!rule) return { eligible: false, reason: "not_supported" };
  if (!order.completedAt) return { eligible: false, reason: "not_completed" };
  if (order.entryOpenedAt && isEntryOpen(profile, order, now)) {
    return { eligible: false, reason: "already_open", openUntil: computeOpenUntil(rule, order.entryOpenedAt) };
  }
  const deadline = computeDeadline(rule, order.completedAt);
  if (now.getTime() > deadline.getTime()) return { eligible: false, reason: "too_old", deadline };
  // docs/domain/after-sales-entry.md: only orders with no after-sales refund, or whose refund was closed
  if (!rule.eligiblePriorRefundStates.includes(order.priorRefundState)) {
    return { eligible: false, reason: "prior_refund", priorRefundState: order.priorRefundState };
  }
  if (rule.maxOpenings !== null && (order.timesOpened ?? 0) >= rule.maxOpenings) {
    return { eligible: false, reason: "limit_reached", maxOpenings: rule.maxOpenings };
  }
  return { eligible: true, deadline, openUntil: computeOpenUntil(rule, now) };
}
