import { ownedShop } from "@/app/api/settings/owner-shop";
import type { ClientDeps } from "@/app/_server/platforms/client";
import { refreshPlatformToken, type TokenRefreshers } from "@/app/_server/platforms/token-upkeep";
import type { Db } from "@/db/client";
import { getMerchantShop, getPlatformAppForShop } from "@/db/queries/platforms";
import type { Scope } from "@/db/queries/users";
import { apiError } from "@/lib/api-error";
import { toPlatformAppView, type RefreshNowResponse } from "@/lib/platforms/connection";

/**
 * The owner's 立即刷新 on one shop's platform connection (route.ts lets only the owner through): the merchant's own
 * shop only (another merchant's shop answers 404 like a missing one). The platform's refusal is not an HTTP error: the answer says
 * refreshed: false and the app's last_error carries the platform's words.
 */
export async function handleRefreshNow(db: Db, scope: Scope, rawShopId: string, deps: ClientDeps, refreshers?: TokenRefreshers): Promise<Response> {
  const owned = ownedShop(scope, rawShopId);
  if ("error" in owned) return owned.error;
  const shop = await getMerchantShop(db, scope.merchantId, owned.shopId);
  if (!shop) return apiError("not_found", `No shop ${owned.shopId}`);
  const app = await getPlatformAppForShop(db, shop.id);
  if (!app) return apiError("not_found", `Shop ${shop.id} has no platform connection`);
  const outcome = await refreshPlatformToken(db, app, deps, refreshers);
  const body: RefreshNowResponse = { refreshed: outcome.ok, app: toPlatformAppView(shop.id, outcome.app, deps.now()) };
  return Response.json(body, { headers: { "cache-control": "no-store" } });
}
