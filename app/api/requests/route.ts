import { withScope, zodIssues } from "@/app/_server/api";
import { getDb } from "@/db/client";
import { decodeCursor, isCursorForView, listRequests } from "@/db/queries/requests";
import { apiError } from "@/lib/api-error";
import { listRequestsQuery } from "@/lib/api-schemas";

export const GET = withScope(async (request, { scope }) => {
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const query = listRequestsQuery.safeParse(params);
  if (!query.success) {
    return apiError("invalid_query", query.error.issues[0]?.message ?? "Invalid query", { issues: zodIssues(query.error) });
  }
  const cursor = query.data.cursor ? decodeCursor(query.data.cursor) : null;
  if (query.data.cursor && (!cursor || !isCursorForView(cursor, query.data.status))) {
    return apiError("invalid_query", "Unknown cursor", { issues: [{ path: "cursor", message: "Unknown cursor" }] });
  }
  const now = new Date();
  const page = await listRequests(getDb(), scope, { ...query.data, cursor }, now);
  return Response.json({ ...page, serverNow: now.toISOString() }, { headers: { "cache-control": "no-store" } });
});
