import { parseJsonBody, withScope } from "@/app/_server/api";
import { getDb } from "@/db/client";
import { runBacktest } from "@/db/queries/rules";
import { apiError } from "@/lib/api-error";
import { backtestBody } from "@/lib/rules/schema";

/** What a draft rule set would have done over the shop's last 30 or 90 days (owner: it is part of editing the rules). */
export const POST = withScope(async (request, { scope }) => {
  const body = await parseJsonBody(request, backtestBody);
  if ("error" in body) return body.error;
  const report = await runBacktest(getDb(), scope, body.data, new Date());
  if (!report) return apiError("not_found", `No shop ${body.data.shopId}`);
  return Response.json({ report }, { headers: { "cache-control": "no-store" } });
}, { role: "owner" });
