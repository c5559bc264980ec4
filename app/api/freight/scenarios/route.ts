import { noStore, parseJsonBody, withScope, zodIssues } from "@/app/_server/api";
import { getDb } from "@/db/client";
import { createScenario, listScenarios } from "@/db/queries/freight";
import { apiError } from "@/lib/api-error";
import { freightInputsQuery, scenarioBody } from "@/lib/return-freight/api";

const shopQuery = freightInputsQuery.pick({ shop: true });

export const GET = withScope(async (request, { scope }) => {
  const query = shopQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) return apiError("invalid_query", query.error.issues[0]?.message ?? "Invalid query", { issues: zodIssues(query.error) });
  const scenarios = await listScenarios(getDb(), scope, query.data.shop);
  if (!scenarios) return apiError("not_found", `No shop ${query.data.shop}`);
  return Response.json({ scenarios }, { headers: noStore });
}, { role: "owner" });

export const POST = withScope(async (request, { scope }) => {
  const body = await parseJsonBody(request, scenarioBody);
  if ("error" in body) return body.error;
  const scenario = await createScenario(getDb(), scope, body.data, new Date());
  if (!scenario) return apiError("not_found", `No shop ${body.data.shopId}`);
  return Response.json({ scenario }, { status: 201, headers: noStore });
}, { role: "owner" });
