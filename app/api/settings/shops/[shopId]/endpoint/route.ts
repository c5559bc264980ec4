import { parseJsonBody, withScope } from "@/app/_server/api";
import { refuseOutboundUrls } from "@/app/_server/net/refuse-outbound";
import { ownedShop } from "@/app/api/settings/owner-shop";
import { getDb } from "@/db/client";
import { setShopEndpoint } from "@/db/queries/webhooks";
import { endpointBody } from "@/lib/webhook/settings-schemas";

/** Where this shop's decisions are delivered. */
export const PUT = withScope<{ shopId: string }>(async (request, { scope, params }) => {
  const owned = ownedShop(scope, params.shopId);
  if ("error" in owned) return owned.error;
  const body = await parseJsonBody(request, endpointBody);
  if ("error" in body) return body.error;
  // A loopback, private, link-local or metadata target (or plain http in production) is refused: docs/security.md
  const refused = await refuseOutboundUrls([{ path: "url", url: body.data.url, use: "http" }]);
  if (refused) return refused;
  await setShopEndpoint(getDb(), owned.shopId, body.data.url, new Date());
  return Response.json({ shopId: owned.shopId, url: body.data.url });
}, { role: "owner" });
