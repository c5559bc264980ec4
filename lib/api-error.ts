// One error shape for every route: { error: { code, message, ...extra } }, status from one map.
const statusByCode = {
  invalid_body: 422,
  invalid_query: 400,
  invalid_id: 400,
  malformed_json: 400,
  unauthenticated: 401,
  // Inbound webhooks (docs/webhooks.md): an unknown shop answers bad_signature too, so shop ids cannot be probed
  bad_signature: 401,
  timestamp_out_of_range: 401,
  malformed_timestamp: 401,
  unknown_type: 422,
  invalid_event: 422,
  forbidden: 403,
  cross_origin: 403,
  not_found: 404,
  already_decided: 409,
  undo_refused: 409,
  claimed_by_other: 409,
  conflict: 409,
  // Platform rules (docs/domain/README.md): Douyin's proposal lock is a state that passes; the others are about the request
  negotiation_lock: 409,
  not_eligible: 422,
  not_rejectable: 422,
  not_negotiable: 422,
  rejection_incomplete: 422,
  invalid_counter_offer: 422,
  evidence_not_found: 422,
  // A connected shop: the platform's API has no such answer, or would refuse this one as drafted (docs/platforms/answer-table.md)
  answer_not_offered: 422,
  platform_refuses: 422,
  payload_too_large: 413,
  unsupported_media_type: 415,
  too_many_requests: 429,
  // Only where the answer is written outside Next (scripts/serve.mjs); Next answers its own throws
  internal_error: 500,
} as const;

export type ApiErrorCode = keyof typeof statusByCode;

export type ApiErrorBody = { error: { code: ApiErrorCode; message: string; [key: string]: unknown } };

/** The status and body apiError answers with, for a transport that writes its own response (scripts/serve.mjs). */
export function getApiErrorAnswer(code: ApiErrorCode, message: string, extra: Record<string, unknown> = {}): { status: number; body: ApiErrorBody } {
  return { status: statusByCode[code], body: { error: { code, message, ...extra } } };
}

export function apiError(code: ApiErrorCode, message: string, extra: Record<string, unknown> = {}): Response {
  const { status, body } = getApiErrorAnswer(code, message, extra);
  return Response.json(body, { status, headers: { "cache-control": "no-store" } });
}
