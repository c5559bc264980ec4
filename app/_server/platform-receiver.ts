import type { Db } from "@/db/client";
import { receiveSignedEvent, type ReceiverAnswer } from "@/app/api/platforms/[platform]/events/handle-event";
import { getApiErrorAnswer } from "@/lib/api-error";
import { platforms } from "@/lib/domain";
import { apiSecurityHeaders } from "@/lib/security-headers";
import { maxWebhookBodyBytes } from "@/lib/webhook/events";

/** What scripts/serve.mjs answers platform event POSTs with: the route's own code, from Next's bundle. */
export type PlatformReceiver = {
  platforms: readonly string[];
  maxBodyBytes: number;
  internalError: ReceiverAnswer;
  /** The security headers every API answer carries (Next adds them to its own answers: next.config.ts). */
  answerHeaders: Readonly<Record<string, string>>;
  receive: (platform: string, getHeader: (name: string) => string | undefined, body: Uint8Array | null) => Promise<ReceiverAnswer>;
};

/** The receiver on a db and a clock (tests pass their own); the route reads both the same way. */
export function createPlatformReceiver(getDb: () => Db, getNow: () => Date = () => new Date()): PlatformReceiver {
  return {
    platforms,
    maxBodyBytes: maxWebhookBodyBytes,
    internalError: getApiErrorAnswer("internal_error", "The event could not be received; send it again"),
    answerHeaders: apiSecurityHeaders,
    receive: (platform, getHeader, body) => receiveSignedEvent(getDb(), { platform, getHeader, body }, getNow()),
  };
}

const globalForReceiver = globalThis as unknown as { deskPlatformReceiver?: PlatformReceiver };

/**
 * Published on globalThis because serve.mjs is plain JS outside the bundle; it reaches the same getDb() and
 * live hub as the routes, so an event it stores shows up in open inboxes.
 */
export function publishPlatformReceiver(getDb: () => Db): void {
  globalForReceiver.deskPlatformReceiver = createPlatformReceiver(getDb);
}
