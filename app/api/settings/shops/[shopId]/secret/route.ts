import { randomBytes } from "node:crypto";
import { withScope } from "@/app/_server/api";
import { ownedShop } from "@/app/api/settings/owner-shop";
import { getDb } from "@/db/client";
import { rotateShopSecret } from "@/db/queries/webhooks";
import { maskSecret } from "@/lib/platforms/connection";
import type { RotatedSecret } from "@/lib/webhook/settings-types";
import { secretRotationGraceMs } from "@/lib/webhook/signature";

/**
 * Rotates the shop's webhook secret; the previous one keeps verifying for 24 h. This answer is the only one that
 * carries the new secret in clear (it is stored sealed and every other answer shows it masked).
 */
export const POST = withScope<{ shopId: string }>(async (_request, { scope, params }) => {
  const owned = ownedShop(scope, params.shopId);
  if ("error" in owned) return owned.error;
  const now = new Date();
  const secret = `whsec_${randomBytes(24).toString("hex")}`;
  await rotateShopSecret(getDb(), owned.shopId, secret, now);
  const body: RotatedSecret = {
    shopId: owned.shopId,
    secret,
    maskedSecret: maskSecret(secret)!,
    previousValidUntil: new Date(now.getTime() + secretRotationGraceMs).toISOString(),
  };
  return Response.json(body, { headers: { "cache-control": "no-store" } });
}, { role: "owner" });
