import { parseJsonBody, withScope } from "@/app/_server/api";
import { refuseOutboundUrls } from "@/app/_server/net/refuse-outbound";
import { ownedShop } from "@/app/api/settings/owner-shop";
import { getDb } from "@/db/client";
import { getMerchantShop, getPlatformAppForShop, savePlatformApp } from "@/db/queries/platforms";
import { apiError } from "@/lib/api-error";
import { buildPlatformAppValues, platformAppBody, toPlatformAppView } from "@/lib/platforms/connection";

// A shop's platform app (docs/platforms/README.md): the credentials its adapter uses. Owner only; secrets answered masked.

export const GET = withScope<{ shopId: string }>(async (_request, { scope, params }) => {
  const owned = ownedShop(scope, params.shopId);
  if ("error" in owned) return owned.error;
  const db = getDb();
  if (!(await getMerchantShop(db, scope.merchantId, owned.shopId))) return apiError("not_found", `No shop ${owned.shopId}`);
  const app = await getPlatformAppForShop(db, owned.shopId);
  return Response.json({ app: app ? toPlatformAppView(owned.shopId, app, new Date()) : null }, { headers: { "cache-control": "no-store" } });
}, { role: "owner" });

export const PUT = withScope<{ shopId: string }>(async (request, { scope, params }) => {
  const owned = ownedShop(scope, params.shopId);
  if ("error" in owned) return owned.error;
  const body = await parseJsonBody(request, platformAppBody);
  if ("error" in body) return body.error;
  // The addresses the desk will call for this shop go through the outbound guard's rules first: docs/security.md
  const refused = await refuseOutboundUrls([
    { path: "apiBaseUrl", url: body.data.apiBaseUrl, use: "http" },
    { path: "tmcUrl", url: body.data.protocol === "taobao_tmc" ? body.data.tmcUrl : undefined, use: "ws" },
  ]);
  if (refused) return refused;
  const db = getDb();
  const shop = await getMerchantShop(db, scope.merchantId, owned.shopId);
  if (!shop) return apiError("not_found", `No shop ${owned.shopId}`);
  const built = buildPlatformAppValues(shop.platform, body.data, await getPlatformAppForShop(db, shop.id));
  if (!built.ok) return apiError("invalid_body", built.message, { issues: [{ path: built.field, message: built.message }] });
  const saved = await savePlatformApp(db, shop.id, built.values, new Date());
  if (!saved.ok) return apiError("conflict", "That platform shop is already connected to another desk shop");
  return Response.json({ app: toPlatformAppView(shop.id, saved.app, new Date()) });
}, { role: "owner" });
