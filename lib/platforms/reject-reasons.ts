import type { RequestKind } from "@/lib/domain";
import type { NativeRefund, PlatformRejectReason } from "@/lib/platforms/types";
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
  return reasons.map((reason) => ({ code: reason.id, platformText: reason.text, isEvidenceRequired: reason.isEvidenceRequired }));
}

/**
 * What a shop's cached reason list is keyed by, besides the shop: whatever the platform's list depends on. Douyin and
 * WeChat list reasons per kind; Taobao/Tmall per refund (taobao.refund.refusereason.get takes refund_id and
 * refund_phase, tmall.exchange.refusereason.get the dispute type), so a refund's type, phase and state go in the key
 * and a refund in another phase or state never gets a list read for a different one.
 */
export function getRejectReasonListKey(kind: RequestKind, native: Pick<NativeRefund, "protocol" | "platformType" | "refundPhase" | "status"> | null): string {
  if (native?.protocol !== "taobao_tmc") return kind;
  return [kind, native.platformType, native.refundPhase ?? "", native.status].join("|");
}
