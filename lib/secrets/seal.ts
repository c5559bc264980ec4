import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

// Secrets at rest (docs/security.md "Secrets at rest"): platform app secrets, tokens and webhook secrets are stored
// as self-describing text, sealed with AES-256-GCM under a 32-byte key:
//   sealed:v1:<keyId>:<iv base64>:<tag base64>:<ciphertext base64>
// The key id names the key (a hash of it, never the key), so values sealed under an old and a new key can be told
// apart during a rotation. The additional data binds a value to its column ("purpose") and to its header, so a value
// moved to another column, or a header edited to another key id, fails to open like a tampered one.
// No I/O here: where the key comes from is db/secrets-key.ts.

export const sealedPrefix = "sealed:";
const version = "v1";
const keyBytes = 32;
const ivBytes = 12;
const tagBytes = 16;
const hexKey = /^[0-9a-fA-F]{64}$/;
const base64Key = /^[A-Za-z0-9+/_-]+={0,2}$/;
const keyIdPattern = /^[0-9a-f]{8}$/;

export type SecretsKey = { id: string; bytes: Buffer };
/** `current` seals; every key in `keys` (current included) opens what it sealed. */
export type Keyring = { current: SecretsKey; keys: ReadonlyMap<string, SecretsKey> };

export type SealedSecretProblem = "not_sealed" | "malformed" | "unknown_key" | "tampered";

export class SealedSecretError extends Error {
  constructor(
    readonly problem: SealedSecretProblem,
    message: string,
  ) {
    super(message);
    this.name = "SealedSecretError";
  }
}

export class SecretsKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SecretsKeyError";
  }
}

/** A key as written in SECRETS_KEY or the key file: 64 hex digits, or base64 (standard or url-safe) of 32 bytes. */
export function parseSecretsKey(text: string): Buffer {
  const trimmed = text.trim();
  if (hexKey.test(trimmed)) return Buffer.from(trimmed, "hex");
  if (base64Key.test(trimmed)) {
    const bytes = Buffer.from(trimmed.replace(/-/g, "+").replace(/_/g, "/"), "base64");
    if (bytes.length === keyBytes) return bytes;
  }
  throw new SecretsKeyError(`A secrets key is 32 bytes written as 64 hex digits or as base64 (got ${trimmed.length} characters)`);
}

/** The key's id: the first 4 bytes of a SHA-256 of it, in hex (reveals nothing usable about the key). */
export function getSecretsKeyId(bytes: Buffer): string {
  return createHash("sha256").update("shouhoutai secrets key id\0").update(bytes).digest("hex").slice(0, 8);
}

export function toSecretsKey(bytes: Buffer): SecretsKey {
  if (bytes.length !== keyBytes) throw new SecretsKeyError(`A secrets key is ${keyBytes} bytes, not ${bytes.length}`);
  return { id: getSecretsKeyId(bytes), bytes: Buffer.from(bytes) };
}

/** A keyring sealing with `current` and opening with it and any of `openers` (an interrupted rotation's other key). */
export function createKeyring(current: SecretsKey, openers: readonly SecretsKey[] = []): Keyring {
  const keys = new Map<string, SecretsKey>();
  for (const key of openers) keys.set(key.id, key);
  keys.set(current.id, current);
  return { current, keys };
}

export function isSealed(value: string): boolean {
  return value.startsWith(sealedPrefix);
}

function getHeader(keyId: string): string {
  return `${sealedPrefix}${version}:${keyId}`;
}

function getAdditionalData(header: string, purpose: string): Buffer {
  return Buffer.from(`${header}\0${purpose}`, "utf8");
}

/** Seals `plaintext` for `purpose` (the column it is stored in) under the keyring's current key. */
export function sealSecret(keyring: Keyring, purpose: string, plaintext: string, iv: Buffer = randomBytes(ivBytes)): string {
  if (iv.length !== ivBytes) throw new Error(`An AES-GCM nonce here is ${ivBytes} bytes`);
  const header = getHeader(keyring.current.id);
  const cipher = createCipheriv("aes-256-gcm", keyring.current.bytes, iv, { authTagLength: tagBytes });
  cipher.setAAD(getAdditionalData(header, purpose));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return `${header}:${iv.toString("base64")}:${cipher.getAuthTag().toString("base64")}:${ciphertext.toString("base64")}`;
}

type SealedParts = { header: string; keyId: string; iv: Buffer; tag: Buffer; ciphertext: Buffer };

function parseSealed(text: string): SealedParts {
  if (!isSealed(text)) throw new SealedSecretError("not_sealed", "The stored value is not sealed");
  const parts = text.split(":");
  const [, partVersion, keyId, iv, tag, ciphertext] = parts;
  if (parts.length !== 6 || partVersion !== version || !keyIdPattern.test(keyId)) throw new SealedSecretError("malformed", "The sealed value's header is not sealed:v1:<keyId>");
  const decoded = [iv, tag, ciphertext].map((part) => Buffer.from(part, "base64"));
  // base64 decoding skips what it does not understand: a round trip catches an edited field
  if ([iv, tag, ciphertext].some((part, index) => decoded[index].toString("base64") !== part)) throw new SealedSecretError("malformed", "The sealed value has a field that is not base64");
  if (decoded[0].length !== ivBytes || decoded[1].length !== tagBytes) throw new SealedSecretError("malformed", "The sealed value's nonce or tag has the wrong length");
  return { header: getHeader(keyId), keyId, iv: decoded[0], tag: decoded[1], ciphertext: decoded[2] };
}

/** The key id a sealed value names, or null for a value that is not sealed text. */
export function getSealedKeyId(text: string): string | null {
  try {
    return parseSealed(text).keyId;
  } catch {
    return null;
  }
}

/** Opens a value `sealSecret` made for the same purpose; throws SealedSecretError when it cannot be trusted. */
export function openSecret(keyring: Keyring, purpose: string, text: string): string {
  const parts = parseSealed(text);
  const key = keyring.keys.get(parts.keyId);
  if (!key) throw new SealedSecretError("unknown_key", `The value was sealed under key ${parts.keyId}, which is not configured`);
  const decipher = createDecipheriv("aes-256-gcm", key.bytes, parts.iv, { authTagLength: tagBytes });
  decipher.setAAD(getAdditionalData(parts.header, purpose));
  decipher.setAuthTag(parts.tag);
  try {
    return Buffer.concat([decipher.update(parts.ciphertext), decipher.final()]).toString("utf8");
  } catch {
    throw new SealedSecretError("tampered", `The value sealed under key ${parts.keyId} fails its authentication tag (changed, or not for ${purpose})`);
  }
}
