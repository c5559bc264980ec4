import { OutboundRefusedError } from "@/app/_server/net/guarded-fetch";
import { performCall, type ClientDeps } from "@/app/_server/platforms/client";
import type { AnswerOutcome, PlatformCall } from "@/lib/platforms/types";

/**
 * Performs an answer's calls in order. `readRefusal` looks at one answer body: null when the call succeeded,
 * else the platform's business refusal (never retried) or a transient error (retried). A thrown error (network,
 * timeout, HTTP 5xx, not JSON) is transient.
 */
export async function runAnswerCalls(
  deps: ClientDeps,
  calls: readonly PlatformCall[],
  readRefusal: (body: unknown, call: PlatformCall) => Exclude<AnswerOutcome, { ok: true }> | null,
): Promise<AnswerOutcome> {
  try {
    for (const call of calls) {
      const refusal = readRefusal(await performCall(deps, call), call);
      if (refusal) return refusal;
    }
  } catch (error) {
    // A refused target (docs/security.md "Outbound calls") is recorded as its fixed sentence alone
    const text = error instanceof OutboundRefusedError ? error.message : error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { ok: false, refused: false, error: text };
  }
  return { ok: true, detail: `${calls.length} call(s)` };
}
