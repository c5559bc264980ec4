import { z } from "zod";
import { decisions } from "@/lib/domain";
import { amountFen, isoInstant, platformId } from "@/lib/webhook/events";

// What the desk sends back to the platform (issue 6): one signed POST per final decision, signed like
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

/** A request is decided once (the conditional update in decideRequest), so its id keys the decision. */
export function getDecisionIdempotencyKey(requestId: string): string {
  return `dec_${requestId}`;
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
}): DecisionEvent {
  const isReject = input.decision === "reject";
  return {
    id: getDecisionIdempotencyKey(input.requestId),
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
