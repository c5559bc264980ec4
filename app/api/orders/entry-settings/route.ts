import { z } from "zod";
import { parseJsonBody, withScope } from "@/app/_server/api";
import { getDb } from "@/db/client";
import { setAgentsMayOpenEntry } from "@/db/queries/orders";
import { apiError } from "@/lib/api-error";
import { idSchema } from "@/lib/ids";

const entrySettingBody = z.object({ shopId: idSchema("shop"), agentsMayOpenEntry: z.boolean() }).strict();

/** The owner lets agents open the after-sales entry in one shop, or stops them (audited). */
export const PUT = withScope(async (request, { scope }) => {
  const body = await parseJsonBody(request, entrySettingBody);
  if ("error" in body) return body.error;
  const changed = await setAgentsMayOpenEntry(getDb(), scope, body.data.shopId, body.data.agentsMayOpenEntry, new Date());
  if (!changed) return apiError("not_found", `No shop ${body.data.shopId}`);
  return Response.json({ shopId: body.data.shopId, agentsMayOpenEntry: body.data.agentsMayOpenEntry });
}, { role: "owner" });
