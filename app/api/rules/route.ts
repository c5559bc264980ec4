import { noStore, parseJsonBody, withScope } from "@/app/_server/api";
import { getDb } from "@/db/client";
import { listRuleSettings, saveRuleSettings } from "@/db/queries/rules";
import { apiError } from "@/lib/api-error";
import { saveRulesBody } from "@/lib/rules/schema";

/** Every shop's switch and rules, for owners and (read-only) agents. */
export const GET = withScope(async (_request, { scope }) => {
  return Response.json({ shops: await listRuleSettings(getDb(), scope) }, { headers: noStore });
});

/** The owner saves one shop's switch and ordered rules; agents get 403 whatever the UI shows. */
export const PUT = withScope(async (request, { scope }) => {
  const body = await parseJsonBody(request, saveRulesBody);
  if ("error" in body) return body.error;
  const result = await saveRuleSettings(getDb(), scope, body.data, new Date());
  if (result.ok) return Response.json({ settings: result.settings }, { headers: noStore });
  if (result.code === "conflict") {
    return apiError("conflict", "The rules were changed by someone else since you opened them; reload to see their version", {
      currentVersion: result.currentVersion,
    });
  }
  return apiError("not_found", `No shop ${body.data.shopId}`);
}, { role: "owner" });
