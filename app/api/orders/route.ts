import { z } from "zod";
import { withScope, zodIssues } from "@/app/_server/api";
import { getDb } from "@/db/client";
import { listOrders } from "@/db/queries/orders";
import { apiError } from "@/lib/api-error";

const listOrdersQuery = z.object({
  q: z.string().trim().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** Orders of the caller's shops by order id, buyer or title, with their after-sales state (docs/domain/after-sales-entry.md). */
export const GET = withScope(async (request, { scope }) => {
  const query = listOrdersQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) return apiError("invalid_query", query.error.issues[0]?.message ?? "Invalid query", { issues: zodIssues(query.error) });
  const now = new Date();
  const items = await listOrders(getDb(), scope, query.data, now);
  return Response.json({ items, serverNow: now.toISOString() }, { headers: { "cache-control": "no-store" } });
});
