import { withScope } from "@/app/_server/api";
import { getDb } from "@/db/client";
import { toEntryIneligibility } from "@/db/queries/orders";
import { openEntryForScope } from "@/db/workflows/entry";
import { apiError } from "@/lib/api-error";
import { idSchema } from "@/lib/ids";

const orderIdParam = idSchema("ord");

/** Opens the order's after-sales entry proactively: owners, or agents where the owner allows it (docs/domain/after-sales-entry.md). */
export const POST = withScope<{ id: string }>(async (_request, { scope, params }) => {
  const id = orderIdParam.safeParse(params.id);
  if (!id.success) return apiError("invalid_id", `Not an order id: ${params.id}`);
  const result = await openEntryForScope(getDb(), scope, id.data, new Date());
  if (result.ok) return Response.json({ order: result.order });
  switch (result.code) {
    case "not_found":
      return apiError("not_found", `No order ${id.data}`);
    case "forbidden":
      return apiError("forbidden", "Only the owner opens the entry in this shop, unless the owner allows agents to");
    case "not_eligible": {
      const eligibility = toEntryIneligibility(result.eligibility);
      return apiError("not_eligible", `The after-sales entry cannot be opened: ${eligibility.reason}`, { reason: eligibility.reason, eligibility });
    }
  }
});
