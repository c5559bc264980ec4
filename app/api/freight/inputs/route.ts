import { noStore, withScope, zodIssues } from "@/app/_server/api";
import { getDb } from "@/db/client";
import { getFreightSettings, getShopFreightInputs } from "@/db/queries/freight";
import { apiError } from "@/lib/api-error";
import { freightInputsQuery, type FreightInputsResponse } from "@/lib/return-freight/api";

export const GET = withScope(async (request, { scope }) => {
  const query = freightInputsQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) return apiError("invalid_query", query.error.issues[0]?.message ?? "Invalid query", { issues: zodIssues(query.error) });
  const db = getDb();
  const inputs = await getShopFreightInputs(db, scope, query.data.shop, { windowDays: query.data.window, now: new Date() });
  const settings = await getFreightSettings(db, scope, query.data.shop);
  if (!inputs || !settings) return apiError("not_found", `No shop ${query.data.shop}`);
  const body: FreightInputsResponse = { inputs, settings };
  return Response.json(body, { headers: noStore });
}, { role: "owner" });
