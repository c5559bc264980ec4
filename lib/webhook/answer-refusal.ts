import type { AnswerOutcome } from "@/lib/platforms/types";

// How the outbox reads the merchant endpoint's answer to our own signed decision POST (shops without a platform
// app), and the words the card shows when an answer never arrived (docs/platforms/refusals.md).

/** 4xx statuses that mean "not now" rather than "no" (RFC 9110 §15.5.9 408, RFC 8470 §5.2 425, RFC 6585 §4 429). */
const transientClientStatuses = new Set([408, 425, 429]);

/** How much of a refusal's body is read: enough for `{"error":{"message":…}}`, never a whole page. */
export const contractBodyLimit = 16 * 1024;

const messageLimit = 300;

/** The endpoint's own words from a JSON body `{ "error": { "message": "…", "code": "…" } }`, if it has them. */
function readErrorBody(body: string): { message?: string; code?: string } {
  try {
    const parsed: unknown = JSON.parse(body);
    const error = typeof parsed === "object" && parsed !== null ? (parsed as { error?: unknown }).error : undefined;
    if (typeof error !== "object" || error === null) return {};
    const { message, code } = error as { message?: unknown; code?: unknown };
    return {
      ...(typeof message === "string" && message.trim() ? { message: message.trim().slice(0, messageLimit) } : {}),
      ...(typeof code === "string" || typeof code === "number" ? { code: String(code).slice(0, 100) } : {}),
    };
  } catch {
    return {};
  }
}

/**
 * 2xx: delivered. Any other 4xx but 408/425/429: the merchant's system understood and said no, so the answer is
 * refused (never retried) with its JSON `error.message`, else the status. Everything else (3xx, 408/425/429, 5xx)
 * is transient and retried.
 */
export function readContractAnswer(status: number, body: string): AnswerOutcome {
  if (status >= 200 && status < 300) return { ok: true, detail: `HTTP ${status}` };
  if (status >= 400 && status < 500 && !transientClientStatuses.has(status)) {
    const error = readErrorBody(body);
    return { ok: false, refused: true, message: error.message ?? `HTTP ${status}`, code: error.code ?? String(status) };
  }
  return { ok: false, refused: false, error: `HTTP ${status}` };
}

/** The platform's words as the card keeps them: trimmed, bounded, never empty. */
export function getRefusalText(message: string): string {
  const text = message.replace(/\s+/g, " ").trim().slice(0, messageLimit);
  return text || "平台未说明原因";
}

/** What the card says when every try failed: the answer never reached the platform, so the agents answer again. */
export function getUndeliveredMessage(attempts: number, lastError: string): string {
  const error = lastError.trim().slice(0, 200);
  return `答复尝试 ${attempts} 次仍未送达平台${error ? `（最后一次：${error}）` : ""}`;
}
