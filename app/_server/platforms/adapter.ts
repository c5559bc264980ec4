import type { PlatformApp } from "@/db/queries/platforms";
import type { ClientDeps } from "@/app/_server/platforms/client";
import type { RequestKind } from "@/lib/domain";
import type { AnswerOutcome, NativeRefund, OrderFacts, OutboundDecision, PlatformRejectReason, Protocol, TokenGrant } from "@/lib/platforms/types";

// One platform's I/O side (docs/platforms/README.md): what the desk asks of a connected shop beyond its refund
// messages. The pure halves (building and signing calls, reading answers, the answer table) live in
// lib/platforms/<platform>.ts; these objects only perform the calls with the shop's credentials.

/** A proof image as the agent uploaded it; each adapter converts and shrinks it to its platform's limits. */
export type ProofImage = { name: string; mimeType: string; bytes: Uint8Array };

export type AnswerInput = {
  native: NativeRefund;
  decision: OutboundDecision;
  /** The agent's proof images (rejections only), in the order attached. */
  proof: ProofImage[];
  /** The platform reason the agent chose (rejections only), as cached from the platform's list. */
  reason: PlatformRejectReason | null;
};

export type PlatformAdapter = {
  protocol: Protocol;
  /** The order behind a new card, from the platform's order API. Facts it cannot read are listed in `unknown`. */
  fetchOrderFacts(deps: ClientDeps, app: PlatformApp, native: NativeRefund): Promise<OrderFacts>;
  /**
   * The platform's reject reasons for one kind of request (cached per shop and kind by reject-reasons.ts). Taobao
   * lists them per refund, so the refund's native state is passed when the desk has it.
   */
  fetchRejectReasons(deps: ClientDeps, app: PlatformApp, kind: RequestKind, native?: NativeRefund | null): Promise<PlatformRejectReason[]>;
  /** The refund's state already shows an answer (a resend after a lost response): counted as delivered, not sent again. */
  isAlreadyAnswered(native: NativeRefund): boolean;
  /** Sends one decision: proof upload if any, then the answer call(s) the answer table names. */
  answer(deps: ClientDeps, app: PlatformApp, input: AnswerInput): Promise<AnswerOutcome>;
  /** A fresh access token before the stored one expires. */
  refreshToken(deps: ClientDeps, app: PlatformApp): Promise<TokenGrant>;
};
