// What went wrong with a request from a page (an owner's or an agent's toast), as one of a few words the page can say
// (ownerPages.requestError) instead of an API's English message or "TypeError: Failed to fetch".

export type RequestErrorKey =
  | "network"
  | "signedOut"
  | "forbidden"
  | "notFound"
  | "conflict"
  | "claimedByOther"
  | "alreadyDecided"
  | "undoRefused"
  | "negotiationLock"
  | "notEligible"
  | "notRejectable"
  | "notNegotiable"
  | "rejectionIncomplete"
  | "invalidCounterOffer"
  | "evidenceNotFound"
  | "answerNotOffered"
  | "platformRefuses"
  | "invalid"
  | "unsupportedType"
  | "tooLarge"
  | "tooMany"
  | "server"
  | "unknown";

/**
 * API codes that say more than their status (lib/api-error.ts): a card someone else holds is not a card someone else
 * changed, and a platform rule the answer broke is not a form filled in wrong.
 */
const keyByCode: Record<string, RequestErrorKey> = {
  claimed_by_other: "claimedByOther",
  already_decided: "alreadyDecided",
  undo_refused: "undoRefused",
  negotiation_lock: "negotiationLock",
  not_eligible: "notEligible",
  not_rejectable: "notRejectable",
  not_negotiable: "notNegotiable",
  rejection_incomplete: "rejectionIncomplete",
  invalid_counter_offer: "invalidCounterOffer",
  evidence_not_found: "evidenceNotFound",
  answer_not_offered: "answerNotOffered",
  platform_refuses: "platformRefuses",
};

/**
 * `error` is what a fetch helper threw: an error with the HTTP `status` of the answer, or, when no answer came, one
 * with code network_error (components/request-json.ts) or the browser's own. An API `code` with words of its own wins
 * over the status.
 */
export function classifyRequestError(error: unknown): RequestErrorKey {
  const code = typeof error === "object" && error !== null && "code" in error && typeof error.code === "string" ? error.code : null;
  if (code !== null && Object.hasOwn(keyByCode, code)) return keyByCode[code]!;
  const status = typeof error === "object" && error !== null && "status" in error && typeof error.status === "number" ? error.status : null;
  if (status === null) {
    // fetch() rejects with a TypeError when the network fails (WHATWG Fetch, "network error")
    const isNetworkCode = typeof error === "object" && error !== null && "code" in error && error.code === "network_error";
    return isNetworkCode || error instanceof TypeError ? "network" : "unknown";
  }
  if (status === 401) return "signedOut";
  if (status === 403) return "forbidden";
  if (status === 404) return "notFound";
  if (status === 409) return "conflict";
  if (status === 413) return "tooLarge";
  if (status === 415) return "unsupportedType";
  if (status === 429) return "tooMany";
  if (status === 400 || status === 422) return "invalid";
  if (status >= 500) return "server";
  return "unknown";
}
