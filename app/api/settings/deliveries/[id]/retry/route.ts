import { withScope } from "@/app/_server/api";
import { getDb } from "@/db/client";
import { retryDelivery } from "@/db/queries/outbox";
import { apiError } from "@/lib/api-error";
import { deliveryIdParam } from "@/lib/webhook/settings-schemas";

/** The owner's retry button on a dead-letter delivery. */
export const POST = withScope<{ id: string }>(async (_request, { scope, params }) => {
  const id = deliveryIdParam.safeParse(params.id);
  if (!id.success) return apiError("invalid_id", `Not a delivery id: ${params.id}`);
  const isRetried = await retryDelivery(getDb(), scope, id.data, new Date());
  if (!isRetried) return apiError("not_found", `No undelivered delivery ${id.data}`);
  return Response.json({ id: id.data, status: "pending" });
}, { role: "owner" });
