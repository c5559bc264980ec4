import { withScope } from "@/app/_server/api";
import { forgetUser } from "@/app/_server/scope";
import { getStreamGuard } from "@/app/_server/stream-guard";
import { getDb } from "@/db/client";
import { revokeUserSessions } from "@/db/queries/users";
import { apiError } from "@/lib/api-error";
import { idSchema } from "@/lib/ids";

const userId = idSchema("usr");

/** DELETE: the owner signs a team member out of every device at once. */
export const DELETE = withScope<{ userId: string }>(async (_request, { scope, params }) => {
  const id = userId.safeParse(params.userId);
  if (!id.success) return apiError("invalid_id", `Not a user id: ${params.userId}`);
  const revoked = await revokeUserSessions(getDb(), scope.merchantId, id.data);
  if (revoked === null) return apiError("not_found", `No user ${id.data}`);
  // Their live streams end now, not at the next check
  forgetUser(id.data);
  getStreamGuard().closeUser(id.data);
  return Response.json({ revokedSessions: revoked });
}, { role: "owner" });
