import { createHmac, timingSafeEqual } from "node:crypto";
import { dayMs } from "@/lib/time";

/** Header names of our public webhook contract (docs/webhooks.md), shared by the route, the sender and the simulator. */
export const webhookHeaders = {
  shopId: "X-Shop-Id",
  timestamp: "X-Timestamp",
  signature: "X-Signature",
} as const;

export const timestampToleranceS = 300;

/** A rotated-out secret keeps working this long so platforms can switch over (docs/webhooks.md). */
export const secretRotationGraceMs = dayMs;

const signatureBytes = 32;
const lowercaseHexSignature = /^[0-9a-f]{64}$/;
// Unix seconds, no sign, no leading zeros, no fraction: the header is signed verbatim, so one spelling only
const unixSecondsHeader = /^(0|[1-9][0-9]{0,11})$/;

export type ShopSecret = { secret: string; rotatedOutAt?: Date | null };

export type TimestampCheck =
  | { ok: true; timestampS: number }
  | { ok: false; code: "timestamp_out_of_range" | "malformed_timestamp" };

function computeDigest(secret: string, timestamp: number | string, rawBody: string | Uint8Array): Buffer {
  return createHmac("sha256", secret).update(`${timestamp}.`).update(rawBody).digest();
}

/** Lowercase hex HMAC-SHA256 of `${timestamp}.${rawBody}`; the same for inbound events and outbound decisions. */
export function signPayload(secret: string, timestampSeconds: number | string, rawBody: string | Uint8Array): string {
  return computeDigest(secret, timestampSeconds, rawBody).toString("hex");
}

/** The three headers a sender puts on a signed POST; the timestamp is taken from the caller's clock. */
export function getSignedHeaders(
  shopId: string,
  secret: string,
  now: Date,
  rawBody: string | Uint8Array,
): Record<string, string> {
  const timestampS = Math.floor(now.getTime() / 1000);
  return {
    [webhookHeaders.shopId]: shopId,
    [webhookHeaders.timestamp]: String(timestampS),
    [webhookHeaders.signature]: signPayload(secret, timestampS, rawBody),
  };
}

/**
 * True when the signature matches any of the secrets. Every secret is compared, each with
 * timingSafeEqual on 32 bytes, whatever the input, so timing reveals neither which byte differed
 * nor which secret matched.
 */
export function verifySignature(
  secrets: readonly string[],
  timestamp: number | string,
  rawBody: string | Uint8Array,
  signatureHex: string,
): boolean {
  const isWellFormed = lowercaseHexSignature.test(signatureHex);
  // A malformed signature is still compared (against zeros) so the work done does not depend on it
  const provided = isWellFormed ? Buffer.from(signatureHex, "hex") : Buffer.alloc(signatureBytes);
  let isMatch = false;
  for (const secret of secrets) {
    // timingSafeEqual first so it runs for every secret, even after a match
    isMatch = timingSafeEqual(computeDigest(secret, timestamp, rawBody), provided) || isMatch;
  }
  return isWellFormed && isMatch;
}

/** The current secret plus any rotated out at most 24 h ago (exactly 24 h still works). */
export function getActiveSecrets(shopSecrets: readonly ShopSecret[], now: Date): string[] {
  return shopSecrets
    .filter(
      ({ rotatedOutAt }) => !rotatedOutAt || now.getTime() <= rotatedOutAt.getTime() + secretRotationGraceMs,
    )
    .map(({ secret }) => secret);
}

/** Refuses a timestamp more than toleranceS from now, either way; exactly toleranceS off is accepted. */
export function checkTimestamp(timestampHeader: string, now: Date, toleranceS = timestampToleranceS): TimestampCheck {
  if (!unixSecondsHeader.test(timestampHeader)) return { ok: false, code: "malformed_timestamp" };
  const timestampS = Number(timestampHeader);
  const offsetMs = Math.abs(now.getTime() - timestampS * 1000);
  if (offsetMs > toleranceS * 1000) return { ok: false, code: "timestamp_out_of_range" };
  return { ok: true, timestampS };
}
