import type { RequestKind } from "@/lib/domain";
import type { PolicyProfile, TimeoutStep } from "@/lib/policy/profiles";

// The second clock on a card: when the platform acts by itself if the seller does nothing. The
// platform's own deadline field wins; without it the profile's fallback is used and marked so (docs/domain/clocks.md).

export type PlatformClock = {
  dueAt: Date;
  remainingMs: number;
  onTimeout: "auto_refund" | "auto_agree" | "close" | null;
  isFallback: boolean;
};

/** Which of the profile's seller timeouts applies to a pending request of this kind. */
export function getSellerTimeoutStep(profile: Pick<PolicyProfile, "timeouts">, kind: RequestKind, isShipped: boolean): TimeoutStep | null {
  if (kind === "entry_reopen") return null;
  const candidates: TimeoutStep[] =
    kind === "refund_only"
      ? [isShipped ? "refund_only_shipped_seller" : "refund_only_unshipped_seller", "after_sale_review_seller"]
      : ["return_refund_seller", "after_sale_review_seller"];
  return candidates.find((step) => profile.timeouts[step]) ?? null;
}

export type PlatformClockRequest = { kind: RequestKind; receivedAt: Date; platformDeadline: Date | null; isShipped: boolean };

/** When the platform acts by itself: its own deadline, else the profile's estimate from the request's arrival; null without either. */
export function getPlatformDueAt(profile: Pick<PolicyProfile, "timeouts">, request: PlatformClockRequest): Omit<PlatformClock, "remainingMs"> | null {
  const step = getSellerTimeoutStep(profile, request.kind, request.isShipped);
  const timeout = step ? profile.timeouts[step] : undefined;
  const dueAt = request.platformDeadline ?? (timeout ? new Date(request.receivedAt.getTime() + timeout.durationMs) : null);
  if (!dueAt) return null;
  return { dueAt, onTimeout: timeout?.onTimeout ?? null, isFallback: !request.platformDeadline };
}

export function getPlatformClock(profile: Pick<PolicyProfile, "timeouts">, request: PlatformClockRequest, now: Date): PlatformClock | null {
  const due = getPlatformDueAt(profile, request);
  return due ? { ...due, remainingMs: due.dueAt.getTime() - now.getTime() } : null;
}
