import type { Db } from "@/db/client";
import { findWebhookShop, getVerifyingSecrets, receiveWebhookEvent } from "@/db/queries/webhooks";
import { apiError } from "@/lib/api-error";
import { isBodyTooLarge, maxWebhookBodyBytes, parseWebhookEvent, platformParam } from "@/lib/webhook/events";
import { checkTimestamp, verifySignature, webhookHeaders } from "@/lib/webhook/signature";

// POST /api/platforms/{platform}/events (issue 6), apart from Next so tests can call it with their own db and clock.

// Unknown shops are compared against this too, so they cost the same as a wrong signature
const unknownShopSecret = "no-such-shop";
const badSignatureMessage = "The signature does not match this shop's webhook secret";

/** Reads the body once, stopping as soon as it passes the limit; null when it is too large. */
async function readBodyWithin(request: Request, maxBytes: number): Promise<Uint8Array | null> {
  const declared = request.headers.get("content-length");
  if (declared !== null && isBodyTooLarge(Number(declared))) return null;
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

export async function handleWebhookPost(db: Db, request: Request, platform: string, now: Date): Promise<Response> {
  const parsedPlatform = platformParam.safeParse(platform);
  if (!parsedPlatform.success) return apiError("not_found", `No platform "${platform}"; known: ${platformParam.options.join(", ")}`);
  const body = await readBodyWithin(request, maxWebhookBodyBytes);
  if (!body) return apiError("payload_too_large", `The body is over ${maxWebhookBodyBytes} bytes`);

  const timestampHeader = request.headers.get(webhookHeaders.timestamp) ?? "";
  const timestamp = checkTimestamp(timestampHeader, now);
  if (!timestamp.ok) {
    const message =
      timestamp.code === "malformed_timestamp"
        ? `${webhookHeaders.timestamp} must be Unix seconds`
        : `${webhookHeaders.timestamp} is more than 300 s from the server's clock`;
    return apiError(timestamp.code, message);
  }
  const shopId = request.headers.get(webhookHeaders.shopId) ?? "";
  const shop = shopId ? await findWebhookShop(db, shopId, parsedPlatform.data) : null;
  const secrets = shop ? await getVerifyingSecrets(db, shop.id, now) : [];
  const signature = request.headers.get(webhookHeaders.signature) ?? "";
  const isVerified = verifySignature(secrets.length > 0 ? secrets : [unknownShopSecret], timestampHeader, body, signature);
  if (!shop || secrets.length === 0 || !isVerified) return apiError("bad_signature", badSignatureMessage);

  let rawBody: string;
  try {
    rawBody = new TextDecoder("utf-8", { fatal: true }).decode(body);
  } catch {
    return apiError("invalid_event", "The body is not UTF-8", { issues: [{ path: "", message: "The body is not UTF-8" }] });
  }
  const parsed = parseWebhookEvent(rawBody);
  if (!parsed.ok) return apiError(parsed.code, parsed.message, { issues: parsed.issues });
  const { duplicate } = receiveWebhookEvent(db, { shop, event: parsed.event, rawBody, now });
  return Response.json({ received: true, duplicate }, { headers: { "cache-control": "no-store" } });
}
