import { describe, expect, it } from "vitest";
import {
  createKeyring,
  getSealedKeyId,
  getSecretsKeyId,
  isSealed,
  openSecret,
  parseSecretsKey,
  SealedSecretError,
  sealSecret,
  SecretsKeyError,
  toSecretsKey,
  type SealedSecretProblem,
} from "@/lib/secrets/seal";

// Our own sealed-text format: no public known-answer vector exists for it. The vector below was computed apart from
// this code, with Python's `cryptography` package (AESGCM(key).encrypt(iv, plaintext, aad), the key id as
// hashlib.sha256(b"shouhoutai secrets key id\0" + key).hexdigest()[:8], aad = header + "\0" + purpose).
const vector = {
  keyHex: "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
  keyBase64: "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
  keyId: "0e487035",
  iv: Buffer.from("000102030405060708090a0b", "hex"),
  purpose: "shop_webhook_secrets.secret",
  plaintext: "whsec_测试-0001",
  sealed: "sealed:v1:0e487035:AAECAwQFBgcICQoL:qlLxI5076c7tsMeleVi7yw==:MGqlfqa6JK4GqTgenNlIXbI=",
};

const key = toSecretsKey(Buffer.from(vector.keyHex, "hex"));
const otherKey = toSecretsKey(Buffer.alloc(32, 7));
const keyring = createKeyring(key);

function problemOf(action: () => unknown): SealedSecretProblem | "none" {
  try {
    action();
    return "none";
  } catch (error) {
    if (error instanceof SealedSecretError) return error.problem;
    throw error;
  }
}

describe("parseSecretsKey", () => {
  it.each([
    ["64 hex digits", vector.keyHex, vector.keyHex],
    ["upper-case hex with a newline", `${vector.keyHex.toUpperCase()}\n`, vector.keyHex],
    ["base64", vector.keyBase64, vector.keyHex],
    ["url-safe base64 without padding", vector.keyBase64.replace(/=+$/, ""), vector.keyHex],
  ])("reads %s", (_name, text, expectedHex) => {
    expect(parseSecretsKey(text).toString("hex")).toBe(expectedHex);
  });

  it.each([
    ["too short hex", vector.keyHex.slice(2)],
    ["16 bytes of base64", Buffer.alloc(16, 1).toString("base64")],
    ["48 bytes of base64", Buffer.alloc(48, 1).toString("base64")],
    ["a passphrase", "correct horse battery staple"],
    ["empty", ""],
  ])("refuses %s", (_name, text) => {
    expect(() => parseSecretsKey(text)).toThrow(SecretsKeyError);
  });
});

describe("sealSecret / openSecret", () => {
  it("matches the independently computed vector, both ways", () => {
    expect(getSecretsKeyId(key.bytes)).toBe(vector.keyId);
    expect(sealSecret(keyring, vector.purpose, vector.plaintext, vector.iv)).toBe(vector.sealed);
    expect(openSecret(keyring, vector.purpose, vector.sealed)).toBe(vector.plaintext);
  });

  it.each([
    ["a webhook secret", "whsec_0123456789abcdef0123456789abcdef0123456789abcdef"],
    ["an empty string", ""],
    ["Chinese text and colons", "令牌:a:b:c"],
    ["a long token", "x".repeat(4096)],
  ])("round-trips %s, with a fresh nonce each time", (_name, plaintext) => {
    const first = sealSecret(keyring, "platform_apps.app_secret", plaintext);
    const second = sealSecret(keyring, "platform_apps.app_secret", plaintext);
    expect(first).not.toBe(second);
    expect(first).toMatch(/^sealed:v1:0e487035:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]*$/);
    expect(plaintext === "" || !first.includes(plaintext)).toBe(true);
    expect(isSealed(first)).toBe(true);
    expect(getSealedKeyId(first)).toBe(key.id);
    expect(openSecret(keyring, "platform_apps.app_secret", first)).toBe(plaintext);
    expect(openSecret(keyring, "platform_apps.app_secret", second)).toBe(plaintext);
  });

  const [, , keyId, iv, tag, ciphertext] = vector.sealed.split(":");
  const flipFirstChar = (text: string) => (text[0] === "A" ? "B" : "A") + text.slice(1);
  it.each<[string, string, SealedSecretProblem]>([
    ["a changed ciphertext byte", `sealed:v1:${keyId}:${iv}:${tag}:${flipFirstChar(ciphertext)}`, "tampered"],
    ["a changed tag", `sealed:v1:${keyId}:${iv}:${flipFirstChar(tag)}:${ciphertext}`, "tampered"],
    ["a changed nonce", `sealed:v1:${keyId}:${flipFirstChar(iv)}:${tag}:${ciphertext}`, "tampered"],
    ["a truncated ciphertext", `sealed:v1:${keyId}:${iv}:${tag}:${Buffer.from(ciphertext, "base64").subarray(1).toString("base64")}`, "tampered"],
    ["a header naming another key", `sealed:v1:${otherKey.id}:${iv}:${tag}:${ciphertext}`, "unknown_key"],
    ["a short tag", `sealed:v1:${keyId}:${iv}:${Buffer.alloc(8).toString("base64")}:${ciphertext}`, "malformed"],
    ["a field that is not base64", `sealed:v1:${keyId}:${iv}:${tag}:!!`, "malformed"],
    ["another version", vector.sealed.replace("sealed:v1:", "sealed:v2:"), "malformed"],
    ["a missing field", `sealed:v1:${keyId}:${iv}:${tag}`, "malformed"],
    ["clear text", vector.plaintext, "not_sealed"],
  ])("refuses %s", (_name, text, problem) => {
    expect(problemOf(() => openSecret(keyring, vector.purpose, text))).toBe(problem);
  });

  it("refuses a value moved to another column (the purpose is authenticated)", () => {
    expect(problemOf(() => openSecret(keyring, "platform_apps.app_secret", vector.sealed))).toBe("tampered");
  });

  it("refuses the wrong key even when it claims the right key id", () => {
    const impostor = { id: key.id, bytes: otherKey.bytes };
    expect(problemOf(() => openSecret(createKeyring(impostor), vector.purpose, vector.sealed))).toBe("tampered");
    expect(problemOf(() => openSecret(createKeyring(otherKey), vector.purpose, vector.sealed))).toBe("unknown_key");
  });

  it("opens values of every key on the ring and seals under the current one", () => {
    const rotated = createKeyring(otherKey, [key]);
    expect(openSecret(rotated, vector.purpose, vector.sealed)).toBe(vector.plaintext);
    const resealed = sealSecret(rotated, vector.purpose, vector.plaintext);
    expect(getSealedKeyId(resealed)).toBe(otherKey.id);
    expect(problemOf(() => openSecret(keyring, vector.purpose, resealed))).toBe("unknown_key");
  });
});
