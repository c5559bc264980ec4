import type { Db } from "@/db/client";
import { answerOnPlatform } from "@/app/_server/platforms/answers";
import { recordPlatformAnswer } from "@/db/queries/platforms";
import { listDueDeliveries, recordDeliveryFailure, recordDeliverySuccess, type DueDelivery } from "@/db/queries/outbox";
import { idempotencyKeyHeader } from "@/lib/webhook/outbound";
import type { OutboxStatus } from "@/lib/webhook/settings-types";
import { getSignedHeaders } from "@/lib/webhook/signature";

// The outbox sender (issue 6). It runs inside the Next server process, started by instrumentation.ts,
// and keeps no state of its own: every row stays pending in SQLite until a 2xx is recorded, so after
// a crash or restart the next pass simply picks up what is due (a resend carries the same key).

export type SenderDeps = {
  fetch: typeof fetch;
  random: () => number;
  now: () => Date;
  timeoutMs: number;
};

const defaultDeps: SenderDeps = { fetch: (...args) => fetch(...args), random: Math.random, now: () => new Date(), timeoutMs: 10_000 };

async function deliverOne(db: Db, row: DueDelivery, deps: SenderDeps): Promise<OutboxStatus> {
  const fail = (error: string) => recordDeliveryFailure(db, row.id, error, deps.now(), deps.random);
  // A shop connected through a platform app gets the platform's own answer call (issue 11)
  const platformAnswer = await answerOnPlatform(db, row, deps);
  if (platformAnswer && !platformAnswer.ok) return fail(platformAnswer.refused ? platformAnswer.message : platformAnswer.error);
  if (platformAnswer) {
    await recordDeliverySuccess(db, row.id, deps.now());
    await recordPlatformAnswer(db, row.shopId, deps.now());
    return "delivered";
  }
  if (!row.endpointUrl) return fail("No platform endpoint is set for this shop");
  if (!row.secret) return fail("This shop has no webhook secret to sign with");
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
    await response.body?.cancel();
    if (response.ok) {
      await recordDeliverySuccess(db, row.id, deps.now());
      return "delivered";
    }
    return fail(`HTTP ${response.status}`);
  } catch (error) {
    return fail(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
  }
}

/** One pass: every due row is tried once, in parallel; returns how each ended. */
export async function deliverDueDecisions(db: Db, deps: SenderDeps = defaultDeps, limit = 20) {
  const due = await listDueDeliveries(db, deps.now(), limit);
  const outcomes = await Promise.all(due.map((row) => deliverOne(db, row, deps)));
  return { delivered: outcomes.filter((o) => o === "delivered").length, retrying: outcomes.filter((o) => o === "pending").length, dead: outcomes.filter((o) => o === "dead").length };
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
      const result = await deliverDueDecisions(getDb());
      if (result.dead > 0) console.warn(`[outbox] ${result.dead} decision(s) parked as dead-letter; see 平台连接 in settings`);
      if (result.delivered + result.retrying + result.dead === 20) delay = 0;
    } catch (error) {
      console.error("[outbox] pass failed:", error);
    }
    if (!isStopped) {
      timer = setTimeout(tick, delay);
      // Never the reason a process stays alive
      timer.unref();
    }
  };
  timer = setTimeout(tick, intervalMs);
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
