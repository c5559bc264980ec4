import "server-only";
import type { z } from "zod";
import { getSessionScope } from "@/app/_server/scope";
import { answerUnreadBody, capRequestBody, closingConnection, decodeBody, hasBody, readBodyWithin } from "@/app/_server/read-body";
import type { Scope } from "@/db/queries/users";
import { apiError } from "@/lib/api-error";
import { bodyLimits } from "@/lib/body-limits";
import { isCrossOriginRequest } from "@/lib/origin";

type Handler<Params> = (request: Request, context: { scope: Scope; params: Params }) => Promise<Response>;

type ScopeOptions = {
  /** The body cap for this route (lib/body-limits.ts); a JSON API's unless it says otherwise. */
  maxBodyBytes?: number;
  /** Owner-only routes: anyone else gets 403 forbidden, answered before the body is read. */
  role?: "owner";
};

/**
 * Every API route: a session (401 JSON otherwise), and same-origin for anything that changes state. The
 * body is then read within the route's cap (413 at the cap) before the handler runs, and the handler gets
 * a Request over the bytes read. The checks before it (origin, session, and the role when the route names
 * one) read headers only; answering them closes the connection when a body was sent, so the unread body is
 * never drained.
 */
export function withScope<Params = Record<string, never>>(handler: Handler<Params>, options: ScopeOptions = {}) {
  const maxBodyBytes = options.maxBodyBytes ?? bodyLimits.json;
  return async (request: Request, context: { params: Promise<Params> }): Promise<Response> => {
    const answerUnread = (response: Response) => (hasBody(request) ? closingConnection(response) : response);
    if (request.method !== "GET" && request.method !== "HEAD" && isCrossOriginRequest(request.headers, request.url)) {
      return answerUnread(apiError("cross_origin", "Cross-origin requests may not change anything"));
    }
    const scope = await getSessionScope(request.headers);
    if (!scope) return answerUnread(apiError("unauthenticated", "Sign in first"));
    if (options.role && scope.role !== options.role) return answerUnread(apiError("forbidden", "Only the shop owner may do this"));
    const capped = await capRequestBody(request, maxBodyBytes);
    if ("error" in capped) return capped.error;
    return handler(capped.request, { scope, params: await context.params });
  };
}

/** Headers for an answer no cache may keep (owner data, settings, secrets masked or not). */
export const noStore = { "cache-control": "no-store" };

export function zodIssues(error: z.ZodError) {
  return error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
}

/** Reads a JSON body within the JSON cap: too large → 413, malformed → 400, schema error → 422 with the issues. */
export async function parseJsonBody<T>(request: Request, schema: z.ZodType<T>): Promise<{ data: T } | { error: Response }> {
  const read = await readBodyWithin(request, bodyLimits.json);
  if (!read.ok) return { error: answerUnreadBody(read) };
  let raw: unknown;
  try {
    raw = JSON.parse(decodeBody(read.bytes));
  } catch {
    return { error: apiError("malformed_json", "The body is not valid JSON") };
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    return { error: apiError("invalid_body", parsed.error.issues[0]?.message ?? "Invalid body", { issues: zodIssues(parsed.error) }) };
  }
  return { data: parsed.data };
}
