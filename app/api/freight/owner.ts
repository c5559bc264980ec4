import "server-only";
import { withScope } from "@/app/_server/api";
import type { Scope } from "@/db/queries/users";
import { apiError } from "@/lib/api-error";

type Handler<Params> = (request: Request, context: { scope: Scope; params: Params }) => Promise<Response>;

/** The shop's 退货宝 settings and costs are the owner's: agents get 403 here, whatever the UI shows. */
export function withOwner<Params = Record<string, never>>(handler: Handler<Params>) {
  return withScope<Params>(async (request, context) => {
    if (context.scope.role !== "owner") return apiError("forbidden", "Only the shop owner may use the 退货宝 estimator");
    return handler(request, context);
  });
}

export const noStore = { "cache-control": "no-store" };
