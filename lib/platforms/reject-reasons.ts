import type { PlatformRejectReason } from "@/lib/platforms/types";
import type { RejectReason } from "@/lib/policy/profiles";
import { dayMs } from "@/lib/time";

// A connected shop rejects with its platform's own reasons (docs/platforms/reject-reasons.md): the platform's id is
// the reason code the desk stores and sends back, and the platform's flag says whether proof is required.

/** How old a shop's cached reason list may be before it is read again from the platform. */
export const rejectReasonsMaxAgeMs = dayMs;

export function isRejectReasonListStale(fetchedAt: Date, now: Date): boolean {
  return now.getTime() - fetchedAt.getTime() >= rejectReasonsMaxAgeMs;
}

/** The platform's reasons in the shape the rejection rules read from a policy profile. */
export function toProfileReasons(reasons: readonly PlatformRejectReason[]): RejectReason[] {
  return reasons.map((reason) => ({ code: reason.id, labelZh: reason.text, labelEn: reason.text, isEvidenceRequired: reason.isEvidenceRequired }));
}
