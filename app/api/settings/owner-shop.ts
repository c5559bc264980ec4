import type { Scope } from "@/db/queries/users";
import { apiError } from "@/lib/api-error";
import { shopIdParam } from "@/lib/webhook/settings-schemas";

/** Owner only (403 otherwise); a shop outside the scope answers 404 like a missing one. */
export function checkOwnerShop(scope: Scope, rawShopId: string): { shopId: string } | { error: Response } {
  if (scope.role !== "owner") return { error: apiError("forbidden", "Only the shop owner manages platform connections") };
  const shopId = shopIdParam.safeParse(rawShopId);
  if (!shopId.success) return { error: apiError("invalid_id", `Not a shop id: ${rawShopId}`) };
  if (!scope.shopIds.includes(shopId.data)) return { error: apiError("not_found", `No shop ${shopId.data}`) };
  return { shopId: shopId.data };
}
