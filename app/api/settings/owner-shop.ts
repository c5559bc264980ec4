import type { Scope } from "@/db/queries/users";
import { apiError } from "@/lib/api-error";
import { shopIdParam } from "@/lib/webhook/settings-schemas";

/**
 * The shop a settings route names, once withScope({ role: "owner" }) has let only the owner through: a malformed id
 * answers 400, a shop outside the scope 404 like a missing one.
 */
export function ownedShop(scope: Scope, rawShopId: string): { shopId: string } | { error: Response } {
  const shopId = shopIdParam.safeParse(rawShopId);
  if (!shopId.success) return { error: apiError("invalid_id", `Not a shop id: ${rawShopId}`) };
  if (!scope.shopIds.includes(shopId.data)) return { error: apiError("not_found", `No shop ${shopId.data}`) };
  return { shopId: shopId.data };
}
