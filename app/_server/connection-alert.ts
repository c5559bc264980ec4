import "server-only";
import { getDb } from "@/db/client";
import { listConnectionHealthTimes } from "@/db/queries/platforms";
import type { Scope } from "@/db/queries/users";
import { getConnectionProblems } from "@/lib/platforms/connection-health";

/**
 * How many of the owner's shops have a failing platform connection (token expired or expiring unrefreshed, or a
 * recent platform error nothing succeeded after: docs/platforms/tokens.md). Agents are not told: the connection is
 * the owner's to mend.
 */
export async function countFailingConnections(scope: Scope, now: Date): Promise<number> {
  if (scope.role !== "owner") return 0;
  // Read on every page an owner opens: the health columns only, no secret opened
  const apps = await listConnectionHealthTimes(getDb(), scope.merchantId, scope.shopIds);
  return apps.filter((app) => getConnectionProblems(app, now).length > 0).length;
}
