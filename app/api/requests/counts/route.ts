import { withScope } from "@/app/_server/api";
import { getDb } from "@/db/client";
import { countPendingByUrgency } from "@/db/queries/request-counts";
import { getPolicyProfile } from "@/lib/policy/profiles";

export const GET = withScope(async (_request, { scope }) => {
  const now = new Date();
  // Every platform's profile uses the same last-minute warning; taobao's stands for all here.
  const counts = await countPendingByUrgency(getDb(), scope, now, getPolicyProfile("taobao").replyWarningMs);
  return Response.json({ ...counts, serverNow: now.toISOString() }, { headers: { "cache-control": "no-store" } });
});
