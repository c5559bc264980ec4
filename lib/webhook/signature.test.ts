import * as crypto from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  checkTimestamp,
  getActiveSecrets,
  getSignedHeaders,
  signPayload,
  verifySignature,
} from "@/lib/webhook/signature";

// Wraps the real timingSafeEqual so tests can count the constant-time comparisons
vi.mock("node:crypto", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:crypto")>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

const secret = "whsec_local_demo";
const oldSecret = "whsec_old";
const timestamp = "1795140130";
const rawBody = '{"id":"evt_1"}';
// printf '%s' '1795140130.{"id":"evt_1"}' | openssl dgst -sha256 -hmac 'whsec_local_demo'
const goodSignature = "d3df8f89e58c776597f1808def0ddad60281a7f019c69ff80cf4600f48ff29fe";
const oldSignature = "2796d86aa835f26c97120ab945998cd828020f66ef1719934dd11a7c7ce149a9";

afterEach(() => {
  vi.mocked(crypto.timingSafeEqual).mockClear();
});

function flipLastHexDigit(hex: string): string {
  return hex.slice(0, -1) + (hex.endsWith("0") ? "1" : "0");
}

describe("signPayload", () => {
  it("matches openssl's HMAC-SHA256 of `${timestamp}.${body}` in lowercase hex", () => {
    expect(signPayload(secret, timestamp, rawBody)).toBe(goodSignature);
    expect(signPayload(secret, Number(timestamp), rawBody)).toBe(goodSignature);
  });

  it("signs bytes the same as their UTF-8 string", () => {
    const body = '{"nick":"买家小王"}';
    expect(signPayload(secret, timestamp, new TextEncoder().encode(body))).toBe(signPayload(secret, timestamp, body));
  });
});

describe("getSignedHeaders", () => {
  it("uses whole seconds of the given clock and signs with them", () => {
    const headers = getSignedHeaders("shop_1", secret, new Date(1795140130_999), rawBody);
    expect(headers).toEqual({ "X-Shop-Id": "shop_1", "X-Timestamp": timestamp, "X-Signature": goodSignature });
  });
});

describe("verifySignature", () => {
  it.each([
    ["the current secret's signature", [secret], goodSignature, true],
    ["the old secret's signature while both are active", [secret, oldSecret], oldSignature, true],
    ["the old secret's signature once it has expired", [secret], oldSignature, false],
    ["no active secret (unknown shop)", [], goodSignature, false],
    ["last hex digit changed", [secret], flipLastHexDigit(goodSignature), false],
    ["first hex digit changed", [secret], "0" + goodSignature.slice(1), false],
    ["uppercase hex (the contract is lowercase)", [secret], goodSignature.toUpperCase(), false],
    ["too short", [secret], goodSignature.slice(0, 63), false],
    ["too long", [secret], goodSignature + "0", false],
    ["empty", [secret], "", false],
    ["non-hex of the right length", [secret], "z".repeat(64), false],
    ["valid prefix then non-hex", [secret], goodSignature.slice(0, 62) + "zz", false],
    ["sha256= prefix", [secret], `sha256=${goodSignature}`, false],
    ["base64 of the right digest", [secret], Buffer.from(goodSignature, "hex").toString("base64"), false],
  ])("%s → %s", (_label, secrets, signature, expected) => {
    expect(verifySignature(secrets, timestamp, rawBody, signature)).toBe(expected);
  });

  it.each([
    ["another body", timestamp, '{"id":"evt_2"}'],
    ["another timestamp", "1795140131", rawBody],
    ["body with a trailing newline", timestamp, rawBody + "\n"],
  ])("refuses a good signature over %s", (_label, otherTimestamp, otherBody) => {
    expect(verifySignature([secret], otherTimestamp, otherBody, goodSignature)).toBe(false);
  });

  it.each([
    ["a match on the first secret", goodSignature],
    ["a match on the last secret", oldSignature],
    ["no match", flipLastHexDigit(goodSignature)],
    ["a wrong length", "abc"],
    ["non-hex input", "z".repeat(64)],
  ])("compares in constant time against every secret on %s", (_label, signature) => {
    const secrets = [secret, "whsec_other", oldSecret];
    expect(() => verifySignature(secrets, timestamp, rawBody, signature)).not.toThrow();
    const calls = vi.mocked(crypto.timingSafeEqual).mock.calls;
    expect(calls).toHaveLength(secrets.length);
    for (const [expected, provided] of calls) {
      expect([expected.byteLength, provided.byteLength]).toEqual([32, 32]);
    }
  });
});

describe("getActiveSecrets", () => {
  const rotatedOutAt = new Date("2026-11-20T02:00:00.000Z");
  const shopSecrets = [{ secret }, { secret: oldSecret, rotatedOutAt }];

  it.each([
    ["right after rotation", 0, [secret, oldSecret]],
    ["23 h 59 min later", 24 * 3600_000 - 60_000, [secret, oldSecret]],
    ["exactly 24 h later", 24 * 3600_000, [secret, oldSecret]],
    ["24 h and 1 ms later", 24 * 3600_000 + 1, [secret]],
    ["a week later", 7 * 24 * 3600_000, [secret]],
  ])("%s", (_label, elapsedMs, expected) => {
    expect(getActiveSecrets(shopSecrets, new Date(rotatedOutAt.getTime() + elapsedMs))).toEqual(expected);
  });

  it("treats a null rotatedOutAt as the current secret", () => {
    expect(getActiveSecrets([{ secret, rotatedOutAt: null }], rotatedOutAt)).toEqual([secret]);
  });
});

describe("checkTimestamp", () => {
  const now = new Date(1795140130_000);

  it.each([
    ["same second", "1795140130", { ok: true, timestampS: 1795140130 }],
    ["exactly 300 s in the past", "1795139830", { ok: true, timestampS: 1795139830 }],
    ["exactly 300 s in the future", "1795140430", { ok: true, timestampS: 1795140430 }],
    ["301 s in the past", "1795139829", { ok: false, code: "timestamp_out_of_range" }],
    ["301 s in the future", "1795140431", { ok: false, code: "timestamp_out_of_range" }],
    ["Unix epoch", "0", { ok: false, code: "timestamp_out_of_range" }],
    ["milliseconds instead of seconds", "1795140130000", { ok: false, code: "malformed_timestamp" }],
    ["empty", "", { ok: false, code: "malformed_timestamp" }],
    ["negative", "-1795140130", { ok: false, code: "malformed_timestamp" }],
    ["leading plus", "+1795140130", { ok: false, code: "malformed_timestamp" }],
    ["leading zero", "01795140130", { ok: false, code: "malformed_timestamp" }],
    ["fraction", "1795140130.5", { ok: false, code: "malformed_timestamp" }],
    ["exponent", "1.79514013e9", { ok: false, code: "malformed_timestamp" }],
    ["whitespace", " 1795140130", { ok: false, code: "malformed_timestamp" }],
    ["ISO date", "2026-11-20T02:02:10Z", { ok: false, code: "malformed_timestamp" }],
    ["hex", "0x6aff0b22", { ok: false, code: "malformed_timestamp" }],
  ])("%s", (_label, header, expected) => {
    expect(checkTimestamp(header, now)).toEqual(expected);
  });

  it.each([
    ["300.001 s in the past, by the server's milliseconds", 1795140430_001, { ok: false, code: "timestamp_out_of_range" }],
    ["299.999 s in the future", 1795139830_001, { ok: true, timestampS: 1795140130 }],
  ])("%s", (_label, nowMs, expected) => {
    expect(checkTimestamp("1795140130", new Date(nowMs))).toEqual(expected);
  });

  it("takes a custom tolerance", () => {
    expect(checkTimestamp("1795140070", now, 60)).toEqual({ ok: true, timestampS: 1795140070 });
    expect(checkTimestamp("1795140069", now, 60)).toEqual({ ok: false, code: "timestamp_out_of_range" });
  });
});
