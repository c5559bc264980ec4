import type { Db } from "@/db/client";
import { guardedFetch, OutboundRefusedError } from "@/app/_server/net/guarded-fetch";
import { readResponseTextWithin, ResponseTooLargeError } from "@/app/_server/net/read-response";
import { answerOnPlatform } from "@/app/_server/platforms/answers";
import { claimDueDeliveries, getSendLeaseMs, recordDeliverySuccess, type ClaimedDelivery, type DueDelivery } from "@/db/queries/outbox";
import { recordPlatformAnswer } from "@/db/queries/platforms";
import { recordAnswerFailure, recordAnswerRefusal } from "@/db/workflows/platform-refusal";
import type { AnswerOutcome } from "@/lib/platforms/types";
import { contractBodyLimit, readContractAnswer } from "@/lib/webhook/answer-refusal";
import { idempotencyKeyHeader } from "@/lib/webhook/outbound";
import type { OutboxStatus } from "@/lib/webhook/settings-types";
import { getSignedHeaders } from "@/lib/webhook/signature";

// The outbox sender (docs/webhooks.md#decisions-out). It runs inside the Next server process, started by instrumentation.ts,
// on every instance, and keeps no state of its own: every row stays pending in the database until it is settled, so
// after a crash or restart the next pass simply picks up what is due (a resend carries the same key). A pass claims
// its rows first, so on several instances each row is sent by one of them (docs/loops.md#the-outbox-on-several-instances).
// Settled means delivered, refused by the platform, or dead after the last try; the last two send the
// card back to the agents (db/workflows/platform-refusal.ts, docs/platforms/refusals.md).

export type SenderDeps = {
  fetch: typeof fetch;
  random: () => number;
  now: () => Date;
  timeoutMs: number;
  /** The platform leg; tests put a stand-in here. */
  answerOnPlatform?: typeof answerOnPlatform;
};

// Every real send goes through the outbound guard (docs/security.md "Outbound calls"); tests inject their own fetch
const defaultDeps: SenderDeps = { fetch: guardedFetch, random: Math.random, now: () => new Date(), timeoutMs: 10_000 };

type Failure = Exclude<AnswerOutcome, { ok: true }>;

const transient = (error: unknown): Failure => ({
  ok: false,
  refused: false,
  // A refused target is recorded as its fixed sentence alone: nothing that tells one internal address from another
  error: error instanceof OutboundRefusedError ? error.message : error instanceof Error ? `${error.name}: ${error.message}` : String(error),
});

/**
 * A refusal's body, read within `limit` (its JSON is small). One over the limit is not read further and counts as
 * carrying no words: the status alone then says what the endpoint meant.
 */
async function readRefusalBody(response: Response, limit: number): Promise<string> {
  try {
    return await readResponseTextWithin(response, limit);
  } catch (error) {
    if (error instanceof ResponseTooLargeError) return "";
    throw error;
  }
}

/** Our own signed decision POST to the merchant's endpoint (shops without a platform app). */
async function sendOwnContract(row: DueDelivery, deps: SenderDeps): Promise<AnswerOutcome> {
  if (!row.endpointUrl) return transient("No platform endpoint is set for this shop");
  if (!row.secret) return transient("This shop has no webhook secret to sign with");
  const headers = {
    "content-type": "application/json",
    [idempotencyKeyHeader]: row.idempotencyKey,
    ...getSignedHeaders(row.shopId, row.secret, deps.now(), row.payload),
  };
  try {
    const response = await deps.fetch(row.endpointUrl, {
      method: "POST",
      headers,
      body: row.payload,
      redirect: "manual",
      signal: AbortSignal.timeout(deps.timeoutMs),
    });
    // Only a 4xx body can carry the endpoint's reason for saying no
    const isClientError = response.status >= 400 && response.status < 500;
    const body = isClientError ? await readRefusalBody(response, contractBodyLimit) : "";
    if (!isClientError) await response.body?.cancel();
    return readContractAnswer(response.status, body);
  } catch (error) {
    return transient(error);
  }
}

async function deliverOne(db: Db, row: ClaimedDelivery, deps: SenderDeps): Promise<OutboxStatus> {
  let outcome: AnswerOutcome;
  try {
    // A shop connected through a platform app gets the platform's own answer call (docs/platforms/README.md); null: our own contract
    outcome = (await (deps.answerOnPlatform ?? answerOnPlatform)(db, row, deps)) ?? (await sendOwnContract(row, deps));
  } catch (error) {
    outcome = transient(error);
  }
  if (outcome.ok) {
    await recordDeliverySuccess(db, row.id, deps.now());
    // The owner's 平台连接 shows the last answer a platform took (no-op for shops on our own contract)
    await recordPlatformAnswer(db, row.shopId, deps.now());
    return "delivered";
  }
  // A business refusal is never retried; a transient error is, until the last try
  if (outcome.refused) return (await recordAnswerRefusal(db, row.id, outcome, deps.now())).status;
  // Written only while this pass still holds the row: after its lease ran out, another pass owns the outcome
  return (await recordAnswerFailure(db, row.id, outcome.error, deps.now(), deps.random, { leaseUntil: row.leaseUntil })).status;
}

/** One pass: the due rows it claims are tried once each, in parallel; returns how each ended. */
export async function deliverDueDecisions(db: Db, deps: SenderDeps = defaultDeps, limit = 20) {
  const due = await claimDueDeliveries(db, deps.now(), getSendLeaseMs(), limit);
  const outcomes = await Promise.all(due.map((row) => deliverOne(db, row, deps)));
  const count = (status: OutboxStatus) => outcomes.filter((outcome) => outcome === status).length;
  return { delivered: count("delivered"), retrying: count("pending"), refused: count("refused"), dead: count("dead") };
}

const globalForSender = globalThis as unknown as { outboxSender?: { stop: () => void } };

/** Polls every intervalMs (sooner while a full batch was due); one loop per process. */
export function startOutboxSender(getDb: () => Db, intervalMs = 250): { stop: () => void } {
  if (globalForSender.outboxSender) return globalForSender.outboxSender;
  let timer: NodeJS.Timeout | undefined;
  let isStopped = false;
  const tick = async () => {
    let delay = intervalMs;
    try {
      // Every instance runs this pass; the claim keeps two of them from sending one row (db/queries/outbox.ts)
      const result = await deliverDueDecisions(getDb());
      if (result.refused + result.dead > 0) console.warn(`[outbox] ${result.refused} answer(s) refused by the platform, ${result.dead} undelivered after the last try: back to the agents`);
      if (result.delivered + result.retrying + result.refused + result.dead === 20) delay = 0;
    } catch (error) {
      console.error("[outbox] pass failed:", error);
    }
    if (!isStopped) {
      timer = setTimeout(() => void tick(), delay);
      // Never the reason a process stays alive
      timer.unref();
    }
  };
  timer = setTimeout(() => void tick(), intervalMs);
  timer.unref();
  globalForSender.outboxSender = {
    stop: () => {
      isStopped = true;
      clearTimeout(timer);
      globalForSender.outboxSender = undefined;
    },
  };
  return globalForSender.outboxSender;
}
