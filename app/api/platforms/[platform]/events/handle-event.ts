import type { Db } from "@/db/client";
import { findWebhookShop, getVerifyingSecrets } from "@/db/queries/webhooks";
import { receiveWebhookEvent } from "@/db/workflows/ingest";
import { getApiErrorAnswer, type ApiErrorBody } from "@/lib/api-error";
import { answerUnreadBody, closingConnection, readBodyWithin } from "@/app/_server/read-body";
import { bodyLimits } from "@/lib/body-limits";
import { maxWebhookBodyBytes, parseWebhookEvent, platformParam } from "@/lib/webhook/events";
import { checkTimestamp, verifySignature, webhookHeaders } from "@/lib/webhook/signature";

// POST /api/platforms/{platform}/events (docs/webhooks.md), apart from Next so tests can call it with their own db and clock,
// and transport-neutral so the Next route and the node:http layer in scripts/serve.mjs give the same answers.

// Unknown shops are compared against this too, so they cost the same as a wrong signature
const unknownShopSecret = "no-such-shop";
const badSignatureMessage = "The signature does not match this shop's webhook secret";

export type SignedEvent = {
  platform: string;
  /** A request header by name, case-insensitive as in HTTP. */
  getHeader: (name: string) => string | null | undefined;
  /** The raw body; null when it was over maxWebhookBodyBytes (the transport stops reading there). */
  body: Uint8Array | null;
};

export type ReceiverAnswer = { status: number; body: ApiErrorBody | { received: true; duplicate: boolean } };

export async function receiveSignedEvent(db: Db, { platform, getHeader, body }: SignedEvent, now: Date): Promise<ReceiverAnswer> {
  const parsedPlatform = platformParam.safeParse(platform);
  if (!parsedPlatform.success) return getApiErrorAnswer("not_found", `No platform "${platform}"; known: ${platformParam.options.join(", ")}`);
  if (!body) return getApiErrorAnswer("payload_too_large", `The body is over ${maxWebhookBodyBytes} bytes`);

  const timestampHeader = getHeader(webhookHeaders.timestamp) ?? "";
  const timestamp = checkTimestamp(timestampHeader, now);
  if (!timestamp.ok) {
    const message =
      timestamp.code === "malformed_timestamp"
        ? `${webhookHeaders.timestamp} must be Unix seconds`
        : `${webhookHeaders.timestamp} is more than 300 s from the server's clock`;
    return getApiErrorAnswer(timestamp.code, message);
  }
  const shopId = getHeader(webhookHeaders.shopId) ?? "";
  const shop = shopId ? await findWebhookShop(db, shopId, parsedPlatform.data) : null;
  const secrets = shop ? await getVerifyingSecrets(db, shop.id, now) : [];
  const signature = getHeader(webhookHeaders.signature) ?? "";
  const isVerified = verifySignature(secrets.length > 0 ? secrets : [unknownShopSecret], timestampHeader, body, signature);
  if (!shop || secrets.length === 0 || !isVerified) return getApiErrorAnswer("bad_signature", badSignatureMessage);

  let rawBody: string;
  try {
    rawBody = new TextDecoder("utf-8", { fatal: true }).decode(body);
  } catch {
    return getApiErrorAnswer("invalid_event", "The body is not UTF-8", { issues: [{ path: "", message: "The body is not UTF-8" }] });
  }
  const parsed = parseWebhookEvent(rawBody);
  if (!parsed.ok) return getApiErrorAnswer(parsed.code, parsed.message, { issues: parsed.issues });
  const { duplicate } = await receiveWebhookEvent(db, { shop, event: parsed.event, rawBody, now });
  return { status: 200, body: { received: true, duplicate } };
}

/** The Next route's transport: a Web Request in, a Web Response out. */
export async function handleWebhookPost(db: Db, request: Request, platform: string, now: Date): Promise<Response> {
  const read = await readBodyWithin(request, bodyLimits.platformPush);
  if (!read.ok && read.reason === "unreadable") return answerUnreadBody(read);
  const body = read.ok ? read.bytes : null;
  const answer = await receiveSignedEvent(db, { platform, getHeader: (name) => request.headers.get(name), body }, now);
  const response = Response.json(answer.body, { status: answer.status, headers: { "cache-control": "no-store" } });
  // Past the cap the rest of the body is never read, so the connection cannot carry another request
  return body ? response : closingConnection(response);
}
