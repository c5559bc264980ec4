import { describe, expect, it } from "vitest";
import { getApiErrorAnswer, type ApiErrorCode } from "@/lib/api-error";
import { enMessages as en, zhCNMessages as zhCN } from "@/lib/i18n/messages/merged";
import { classifyRequestError, type RequestErrorKey } from "@/lib/request-error";

class StatusError extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}

describe("classifyRequestError", () => {
  it.each([
    ["no answer (fetch failed)", new TypeError("Failed to fetch"), "network"],
    ["no answer (requestJson's network_error)", Object.assign(new Error("Failed to fetch"), { status: null, code: "network_error" }), "network"],
    ["401", new StatusError(401), "signedOut"],
    ["403", new StatusError(403), "forbidden"],
    ["404", new StatusError(404), "notFound"],
    ["409", new StatusError(409), "conflict"],
    ["409 claimed_by_other", Object.assign(new StatusError(409), { code: "claimed_by_other" }), "claimedByOther"],
    ["409 already_decided", Object.assign(new StatusError(409), { code: "already_decided" }), "alreadyDecided"],
    ["409 undo_refused", Object.assign(new StatusError(409), { code: "undo_refused" }), "undoRefused"],
    ["409 negotiation_lock", Object.assign(new StatusError(409), { code: "negotiation_lock" }), "negotiationLock"],
    ["422 not_eligible", Object.assign(new StatusError(422), { code: "not_eligible" }), "notEligible"],
    ["422 not_rejectable", Object.assign(new StatusError(422), { code: "not_rejectable" }), "notRejectable"],
    ["422 not_negotiable", Object.assign(new StatusError(422), { code: "not_negotiable" }), "notNegotiable"],
    ["422 rejection_incomplete", Object.assign(new StatusError(422), { code: "rejection_incomplete" }), "rejectionIncomplete"],
    ["422 invalid_counter_offer", Object.assign(new StatusError(422), { code: "invalid_counter_offer" }), "invalidCounterOffer"],
    ["422 evidence_not_found", Object.assign(new StatusError(422), { code: "evidence_not_found" }), "evidenceNotFound"],
    ["422 answer_not_offered", Object.assign(new StatusError(422), { code: "answer_not_offered" }), "answerNotOffered"],
    ["422 platform_refuses", Object.assign(new StatusError(422), { code: "platform_refuses" }), "platformRefuses"],
    ["400", new StatusError(400), "invalid"],
    ["422", new StatusError(422), "invalid"],
    ["413", new StatusError(413), "tooLarge"],
    ["415", new StatusError(415), "unsupportedType"],
    ["429", new StatusError(429), "tooMany"],
    ["500", new StatusError(500), "server"],
    ["503", new StatusError(503), "server"],
    ["418", new StatusError(418), "unknown"],
    ["a plain error", new Error("boom"), "unknown"],
    ["a string", "boom", "unknown"],
  ] as const)("%s → %s", (_label, error, key) => {
    expect(classifyRequestError(error)).toBe(key);
  });
});

/** An error as components/request-json.ts throws it for a typed answer: the route's status and code. */
function apiErrorOf(code: ApiErrorCode) {
  const { status, body } = getApiErrorAnswer(code, "An English sentence the user must not read");
  return Object.assign(new Error(body.error.message), { status, code });
}

// Every answer the toasts' calls can get (claim/release, assign, assignment settings, sign-out, bulk approve, 立即刷新,
// delivery retry, secret rotation, endpoint, the inbox list, a decision and its undo, a counter-offer, a proof upload,
// a platform app's save)
const toastCalls: [ApiErrorCode | "network_error" | "bad_answer", unknown][] = [
  ...(
    [
      "unauthenticated",
      "cross_origin",
      "forbidden",
      "invalid_id",
      "invalid_body",
      "malformed_json",
      "not_found",
      "conflict",
      "claimed_by_other",
      "already_decided",
      "undo_refused",
      "negotiation_lock",
      "not_eligible",
      "not_rejectable",
      "not_negotiable",
      "rejection_incomplete",
      "invalid_counter_offer",
      "evidence_not_found",
      "answer_not_offered",
      "platform_refuses",
      "payload_too_large",
      "unsupported_media_type",
      "too_many_requests",
      "internal_error",
    ] as const
  ).map((code) => [code, apiErrorOf(code)] as [ApiErrorCode, unknown]),
  ["network_error", Object.assign(new Error("Failed to fetch"), { status: null, code: "network_error" })],
  ["bad_answer", Object.assign(new Error("HTTP 502"), { status: 502, code: "bad_answer" })],
];

const sentences = (messages: { ownerPages: { requestError: Record<RequestErrorKey, string> } }) => messages.ownerPages.requestError;

describe("what a toast says when one of those calls fails", () => {
  it.each(toastCalls)("%s: a Chinese sentence in zh-CN, never the API's English or a code", (_code, error) => {
    const zh = sentences(zhCN)[classifyRequestError(error)];
    expect(zh).toMatch(/[\u4e00-\u9fff]/);
    expect([...zh].some((char) => char.charCodeAt(0) > 0x7f)).toBe(true);
    expect(zh).not.toMatch(/[a-z]+_[a-z]+/);
    expect(sentences(en)[classifyRequestError(error)]).toMatch(/^[A-Z]/);
  });

  it("every key has its sentence in both languages", () => {
    expect(Object.keys(sentences(zhCN)).sort()).toEqual(Object.keys(sentences(en)).sort());
  });

  it("a card someone else claimed is said as such, not as a card someone changed", () => {
    expect(sentences(zhCN)[classifyRequestError(apiErrorOf("claimed_by_other"))]).toContain("认领");
  });
});
