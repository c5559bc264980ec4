import "server-only";
import type { z } from "zod";
import { getSessionScope } from "@/app/_server/scope";
import type { Scope } from "@/db/queries/users";
import { apiError } from "@/lib/api-error";
import { isCrossOriginRequest } from "@/lib/origin";

type Handler<Params> = (request: Request, context: { scope: Scope; params: Params }) => Promise<Response>;

/** Every API route: a session (401 JSON otherwise), and same-origin for anything that changes state. */
export function withScope<Params = Record<string, never>>(handler: Handler<Params>) {
  return async (request: Request, context: { params: Promise<Params> }): Promise<Response> => {
    if (request.method !== "GET" && request.method !== "HEAD" && isCrossOriginRequest(request.headers, request.url)) {
      return apiError("cross_origin", "Cross-origin requests may not change anything");
    }
    const scope = await getSessionScope(request.headers);
    if (!scope) return apiError("unauthenticated", "Sign in first");
    return handler(request, { scope, params: await context.params });
  };
}

export function zodIssues(error: z.ZodError) {
  return error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
}

/** Reads a JSON body: malformed → 400, schema error → 422 with the issues. */
export async function parseJsonBody<T>(request: Request, schema: z.ZodType<T>): Promise<{ data: T } | { error: Response }> {
  let raw: unknown;
  try {
    raw = await request.json();
  } catch {
    return { error: apiError("malformed_json", "The body is not valid JSON") };
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    return { error: apiError("invalid_body", parsed.error.issues[0]?.message ?? "Invalid body", { issues: zodIssues(parsed.error) }) };
  }
  return { data: parsed.data };
}
