import { z } from "zod";
import { parseJsonBody, withScope } from "@/app/_server/api";
import { getDb } from "@/db/client";
import { setShopAssignment } from "@/db/queries/users";
import { apiError } from "@/lib/api-error";
import { idSchema } from "@/lib/ids";

const assignmentBody = z.object({ autoAssign: z.boolean(), cap: z.number().int().min(1).max(50) }).strict();
const shopId = idSchema("shop");

/** PUT: the owner switches auto-assignment for a shop and sets the per-agent cap of open claims. */
export const PUT = withScope<{ id: string }>(async (request, { scope, params }) => {
  const id = shopId.safeParse(params.id);
  if (!id.success) return apiError("invalid_id", `Not a shop id: ${params.id}`);
  const body = await parseJsonBody(request, assignmentBody);
  if ("error" in body) return body.error;
  const updated = await setShopAssignment(getDb(), scope.merchantId, id.data, body.data, new Date());
  if (!updated) return apiError("not_found", `No shop ${id.data}`);
  return Response.json(body.data);
}, { role: "owner" });
