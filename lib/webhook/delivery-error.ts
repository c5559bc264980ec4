import type { OutboxStatus } from "@/lib/webhook/settings-types";

// The outbox keeps the last error as the sender met it ("TypeError: fetch failed", "HTTP 503", a platform's
// refusal): fine for a log, not for the owner. This turns the known shapes into one of a few sentences
// (ownerPages.deliveryError); the shapes come from app/_server/outbox-sender.ts, app/_server/platforms/
// run-calls.ts, client.ts and answers.ts.

export type DeliveryErrorKey =
  | "network"
  | "timeout"
  | "serverError"
  | "busy"
  | "redirect"
  | "httpError"
  | "unreadable"
  | "noEndpoint"
  | "noSecret"
  | "badPayload"
  | "waitingForPlatform"
  | "refused"
  | "unknown";

export type DeliveryErrorText = { key: DeliveryErrorKey; values: Record<string, string | number> };

/** 408, 425 and 429 mean "not now" (the sender retries them: lib/webhook/answer-refusal.ts). */
const tryLaterStatuses = new Set([408, 425, 429]);

/** How many characters of a refusal's own words are shown. */
const wordsLimit = 120;

export function describeDeliveryError(lastError: string, status: OutboxStatus): DeliveryErrorText {
  const text = lastError.replace(/\s+/g, " ").trim();
  // A refusal carries the other side's own words ("code: message"): those are the reason, shown as given
  if (status === "refused") return { key: "refused", values: { words: text.slice(0, wordsLimit) || "—" } };
  if (/^TypeError: fetch failed|ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|socket hang up|getaddrinfo/i.test(text)) return { key: "network", values: {} };
  if (/^(TimeoutError|AbortError)\b|aborted due to timeout|timed out/i.test(text)) return { key: "timeout", values: {} };
  if (/not JSON/i.test(text)) return { key: "unreadable", values: {} };
  if (/No platform endpoint is set/i.test(text)) return { key: "noEndpoint", values: {} };
  if (/no webhook secret/i.test(text)) return { key: "noSecret", values: {} };
  if (/payload is not a decision/i.test(text)) return { key: "badPayload", values: {} };
  if (/^No platform state for refund/i.test(text)) return { key: "waitingForPlatform", values: {} };
  const http = /\bHTTP (\d{3})\b/.exec(text);
  if (http) {
    const code = Number(http[1]);
    if (code >= 500) return { key: "serverError", values: { status: code } };
    if (tryLaterStatuses.has(code)) return { key: "busy", values: { status: code } };
    if (code >= 300 && code < 400) return { key: "redirect", values: { status: code } };
    return { key: "httpError", values: { status: code } };
  }
  return { key: "unknown", values: {} };
}
