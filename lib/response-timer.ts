import type { PolicyProfile } from "@/lib/policy/profiles";

export type ReplyClockState = "normal" | "warning" | "overdue";

export type ReplyClock = {
  state: ReplyClockState;
  /** Positive while time remains, negative once overdue. */
  remainingMs: number;
};

export function getRespondBy(policy: Pick<PolicyProfile, "replyWindowMs">, receivedAt: Date): Date {
  return new Date(receivedAt.getTime() + policy.replyWindowMs);
}

/** Exactly at respond_by the card is still on time; one millisecond later it is overdue. */
export function getReplyClock(
  policy: Pick<PolicyProfile, "replyWarningMs">,
  request: { respondBy: Date },
  now: Date,
): ReplyClock {
  const remainingMs = request.respondBy.getTime() - now.getTime();
  if (remainingMs < 0) return { state: "overdue", remainingMs };
  if (remainingMs <= policy.replyWarningMs) return { state: "warning", remainingMs };
  return { state: "normal", remainingMs };
}

/** "2:14" for remaining time, counting up past zero ("0:42" overdue). Hours shown when ≥ 1 h. */
export function formatClock(ms: number): string {
  const totalSeconds = Math.floor(Math.abs(ms) / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  const mmss = `${hours > 0 ? String(minutes).padStart(2, "0") : minutes}:${String(seconds).padStart(2, "0")}`;
  return hours > 0 ? `${hours}:${mmss}` : mmss;
}
