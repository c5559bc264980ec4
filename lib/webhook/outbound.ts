import { z } from "zod";
import { decisions } from "@/lib/domain";
import { amountFen, isoInstant, platformId } from "@/lib/webhook/events";

// What the desk sends back to the platform (docs/webhooks.md#decisions-out): one signed POST per final decision, signed like
// inbound events, carrying an idempotency key so a resend after a crash or timeout is harmless.

export const idempotencyKeyHeader = "Idempotency-Key";

export const decisionEvent = z.object({
  /** Also the idempotency key: one per decision. */
  id: z.string().regex(/^dec_[A-Za-z0-9_-]{1,96}$/),
  type: z.literal("decision.made"),
  occurredAt: isoInstant,
  data: z.object({
    requestId: platformId,
    orderId: platformId,
    decision: z.enum(decisions),
    /** The amount of the request as decided, in fen. */
    amountFen,
    reasonCode: z.string().min(1).max(200).optional(),
    message: z.string().min(1).max(2000).optional(),
  }),
});

export type DecisionEvent = z.infer<typeof decisionEvent>;

/**
 * A request is decided once (the conditional update in decideRequest), so its id keys the decision. When the
 * platform refused an answer the card is decided again (docs/platforms/refusals.md): that next answer is a new
 * decision and gets its own key, numbered from 2, so the receiver does not take it for a resend of the refused one.
 */
export function getDecisionIdempotencyKey(requestId: string, sequence = 1): string {
  if (!Number.isSafeInteger(sequence) || sequence < 1) throw new RangeError(`sequence must be an integer ≥ 1, got ${sequence}`);
  return sequence === 1 ? `dec_${requestId}` : `dec_${requestId}_${sequence}`;
}

export function buildDecisionEvent(input: {
  requestId: string;
  platformRequestId: string;
  platformOrderId: string;
  decision: DecisionEvent["data"]["decision"];
  amountFen: number;
  reasonCode?: string;
  message?: string;
  decidedAt: Date;
  /** Which answer on this request this is (1 unless the platform refused an earlier one). */
  sequence?: number;
}): DecisionEvent {
  const isReject = input.decision === "reject";
  return {
    id: getDecisionIdempotencyKey(input.requestId, input.sequence),
    type: "decision.made",
    occurredAt: input.decidedAt.toISOString(),
    data: {
      requestId: input.platformRequestId,
      orderId: input.platformOrderId,
      decision: input.decision,
      amountFen: input.amountFen,
      ...(isReject && input.reasonCode ? { reasonCode: input.reasonCode } : {}),
      ...(isReject && input.message ? { message: input.message } : {}),
    },
  };
}
