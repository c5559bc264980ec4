import { withScope, zodIssues } from "@/app/_server/api";
import { getDb } from "@/db/client";
import { countPendingByUrgency } from "@/db/queries/request-counts";
import { replyWarningMs } from "@/db/queries/requests";
import { apiError } from "@/lib/api-error";
import { requestFiltersQuery } from "@/lib/api-schemas";

/** The tab counts under the same filters as the list (platform, kind, shop, q). */
export const GET = withScope(async (request, { scope }) => {
  const query = requestFiltersQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) {
    return apiError("invalid_query", query.error.issues[0]?.message ?? "Invalid query", { issues: zodIssues(query.error) });
  }
  const now = new Date();
  const counts = await countPendingByUrgency(getDb(), scope, now, replyWarningMs, query.data);
  return Response.json({ ...counts, serverNow: now.toISOString() }, { headers: { "cache-control": "no-store" } });
});
