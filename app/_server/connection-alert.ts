import "server-only";
import { getDb } from "@/db/client";
import { listPlatformAppsForShops } from "@/db/queries/platforms";
import type { Scope } from "@/db/queries/users";
import { toConnectionHealthView } from "@/lib/platforms/connection";

/**
 * How many of the owner's shops have a failing platform connection (token expired or expiring unrefreshed, or a
 * recent platform error nothing succeeded after: docs/platforms/tokens.md). Agents are not told: the connection is
 * the owner's to mend.
 */
export async function countFailingConnections(scope: Scope, now: Date): Promise<number> {
  if (scope.role !== "owner") return 0;
  const apps = await listPlatformAppsForShops(getDb(), scope.merchantId, scope.shopIds);
  return apps.filter((app) => toConnectionHealthView(app, now).isFailing).length;
}
