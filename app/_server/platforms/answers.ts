import type { Db } from "@/db/client";
import type { DueDelivery } from "@/db/queries/outbox";
import { getCachedRejectReason, getNativeRefund, getPlatformAppForShop, getRejectionProofs, recordPlatformError } from "@/db/queries/platforms";
import { platformAdapters } from "@/app/_server/platforms/adapters";
import type { ClientDeps } from "@/app/_server/platforms/client";
import { describePlatformError } from "@/lib/platforms/connection-health";
import type { AnswerOutcome, OutboundDecision } from "@/lib/platforms/types";
import { getRejectReasonListKey } from "@/lib/platforms/reject-reasons";
import { decisionEvent } from "@/lib/webhook/outbound";

// The outbox's platform leg: a shop with a platform app gets the platform's own answer call instead of our signed
// decision POST. Same row, same retries; a state that already shows the answer (a resend after a lost response)
// counts as delivered, which is what keeps the call idempotent. A business refusal comes back as `refused`.

/** null: the shop has no platform app, so the outbox sends our own contract as before. */
export async function answerOnPlatform(db: Db, row: DueDelivery, deps: ClientDeps): Promise<AnswerOutcome | null> {
  const app = await getPlatformAppForShop(db, row.shopId);
  if (!app) return null;
  const parsed = decisionEvent.safeParse(JSON.parse(row.payload));
  if (!parsed.success) return { ok: false, refused: false, error: "The outbox payload is not a decision" };
  const decision: OutboundDecision = parsed.data.data;
  const native = await getNativeRefund(db, row.shopId, decision.requestId);
  if (!native) return { ok: false, refused: false, error: `No platform state for refund ${decision.requestId}: wait for its message` };
  const adapter = platformAdapters[app.protocol];
  if (adapter.isAlreadyAnswered(native)) return { ok: true, detail: `already answered (status ${native.status})` };
  const isReject = decision.decision === "reject";
  const proof = isReject ? await getRejectionProofs(db, row.shopId, decision.requestId) : [];
  const reason = isReject && decision.reasonCode && native.kind ? await getCachedRejectReason(db, row.shopId, getRejectReasonListKey(native.kind, native), decision.reasonCode) : null;
  const outcome = await adapter.answer(deps, app, { native, decision, proof, reason });
  // A call that did not go through (network, 5xx, expired token) is the connection's health; a refusal is the card's
  if (!outcome.ok && !outcome.refused) await recordPlatformError(db, row.shopId, describePlatformError("answer", outcome.error), deps.now());
  return outcome;
}
