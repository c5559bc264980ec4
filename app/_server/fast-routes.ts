import { POST as postDecision } from "@/app/api/requests/[id]/decision/route";
import { getApiErrorAnswer } from "@/lib/api-error";
import { bodyLimits } from "@/lib/body-limits";
import { apiSecurityHeaders } from "@/lib/security-headers";

// API routes scripts/serve.mjs answers itself, in front of Next, with the route's own exported handler
// (docs/decisions/0011-decisions-on-the-fast-path.md): the same code, the same Request and Response, minus
// Next's per-request routing. Only routes whose cost is measured and matters are here.

type RouteHandler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

export type FastRoute = {
  method: "GET" | "POST";
  /** Matched against the path without its query; each group is the parameter of the same place in `paramNames`. */
  pattern: RegExp;
  paramNames: readonly string[];
  handler: RouteHandler;
};

export type FastRoutes = {
  routes: readonly FastRoute[];
  /** The security headers Next adds to every API answer (next.config.ts), added here the same way. */
  answerHeaders: Readonly<Record<string, string>>;
  /** The answer when a route throws, in the API's one error shape. */
  internalError: ReturnType<typeof getApiErrorAnswer>;
  /**
   * A request with a body to a page path (a possible Server Action) is read by scripts/serve.mjs within this cap
   * before Next sees it, and answered `pageBodyTooLarge` past it: Next's own cap (next.config.ts) would answer a
   * longer chunked body with a 500 error page (docs/security.md, "Request bodies").
   */
  pageBodyMaxBytes: number;
  pageBodyTooLarge: ReturnType<typeof getApiErrorAnswer>;
};

export const fastRoutes: FastRoutes = {
  routes: [
    // An agent's 同意/拒绝: the call the 50-agent goal is about
    { method: "POST", pattern: /^\/api\/requests\/([^/]+)\/decision$/, paramNames: ["id"], handler: postDecision as RouteHandler },
  ],
  answerHeaders: apiSecurityHeaders,
  internalError: getApiErrorAnswer("internal_error", "Something went wrong on the server; try again"),
  pageBodyMaxBytes: bodyLimits.serverAction,
  pageBodyTooLarge: getApiErrorAnswer("payload_too_large", `The body is over ${bodyLimits.serverAction} bytes`, { maxBytes: bodyLimits.serverAction }),
};

const globalForFastRoutes = globalThis as unknown as { deskFastRoutes?: FastRoutes };

/** Published on globalThis for scripts/serve.mjs (plain JS outside the bundle), as the platform receiver is. */
export function publishFastRoutes(): void {
  globalForFastRoutes.deskFastRoutes = fastRoutes;
}
