import { noStore, withScope } from "@/app/_server/api";
import { getDb } from "@/db/client";
import { deleteScenario } from "@/db/queries/freight";
import { apiError } from "@/lib/api-error";
import { idSchema } from "@/lib/ids";

export const DELETE = withScope<{ id: string }>(async (_request, { scope, params }) => {
  const id = idSchema("fsc").safeParse(params.id);
  if (!id.success) return apiError("invalid_id", id.error.issues[0]?.message ?? "Invalid id");
  if (!(await deleteScenario(getDb(), scope, id.data))) return apiError("not_found", `No scenario ${id.data}`);
  return new Response(null, { status: 204, headers: noStore });
}, { role: "owner" });
