import { noStore, parseJsonBody, withScope, zodIssues } from "@/app/_server/api";
import { getDb } from "@/db/client";
import { saveFreightSettings } from "@/db/queries/freight";
import { apiError } from "@/lib/api-error";
import { freightInputsQuery, freightSettingsSchema } from "@/lib/return-freight/api";

const shopQuery = freightInputsQuery.pick({ shop: true });

export const PUT = withScope(async (request, { scope }) => {
  const query = shopQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) return apiError("invalid_query", query.error.issues[0]?.message ?? "Invalid query", { issues: zodIssues(query.error) });
  const body = await parseJsonBody(request, freightSettingsSchema);
  if ("error" in body) return body.error;
  const settings = await saveFreightSettings(getDb(), scope, query.data.shop, body.data, new Date());
  if (!settings) return apiError("not_found", `No shop ${query.data.shop}`);
  return Response.json({ settings }, { headers: noStore });
}, { role: "owner" });
