import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { createPrivateFileOnce, isFileDatabase, narrowPrivateFile, privateDirMode } from "@/db/data-files";
import { createKeyring, parseSecretsKey, SecretsKeyError, toSecretsKey, type Keyring, type SecretsKey } from "@/lib/secrets/seal";

// Where the key that seals stored secrets comes from (docs/security.md "Secrets at rest"):
// - SECRETS_KEY (32 bytes, hex or base64) when set (during a rotation on several instances, two: new,old);
// - otherwise a key file beside the database, data/.secrets-key (0600), generated on first start like .auth-secret;
// - an in-memory database (tests) without SECRETS_KEY gets one random key per process: its data dies with it.
// A key file left as .secrets-key.new (a rotation stopped between its commit and its rename, scripts/secrets-rotate.ts)
// opens what it sealed, as does a key file beside the database while SECRETS_KEY is set (a move to SECRETS_KEY).

export const secretsKeyFileName = ".secrets-key";
export const pendingKeySuffix = ".new";

/** SECRETS_KEY and, for a rotation, SECRETS_KEY_NEW (process.env by default). */
export type SecretsEnv = { readonly [name: string]: string | undefined };

let memoryKey: SecretsKey | null = null;

export function getSecretsKeyFile(databaseFile: string): string {
  return path.join(path.dirname(databaseFile), secretsKeyFileName);
}

export function getPendingKeyFile(databaseFile: string): string {
  return `${getSecretsKeyFile(databaseFile)}${pendingKeySuffix}`;
}

export function newSecretsKeyText(): string {
  return crypto.randomBytes(32).toString("base64");
}

/** The key in `file`, or null when there is none; a file that holds no key is an error worth stopping for. */
export function readKeyFile(file: string): SecretsKey | null {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  narrowPrivateFile(file);
  try {
    return toSecretsKey(parseSecretsKey(text));
  } catch (error) {
    throw new SecretsKeyError(`${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** A key given in the environment; the error names the variable, never its value. */
export function readEnvKey(name: "SECRETS_KEY" | "SECRETS_KEY_NEW", value: string): SecretsKey {
  try {
    return toSecretsKey(parseSecretsKey(value));
  } catch (error) {
    throw new SecretsKeyError(`${name}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * SECRETS_KEY: one key, or several separated by commas while a rotation runs on several instances (docs/security.md
 * "Rotating with several instances"): the first seals, every one opens.
 */
function readEnvKeys(value: string): SecretsKey[] {
  return value.split(",").map((part) => readEnvKey("SECRETS_KEY", part));
}

function readOrCreateKeyFile(file: string): SecretsKey {
  const existing = readKeyFile(file);
  if (existing) return existing;
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: privateDirMode });
  createPrivateFileOnce(file, `${newSecretsKeyText()}\n`);
  // Whoever won the race wrote the whole key: read it back
  return readKeyFile(file)!;
}

/** The keyring of the database at `databaseFile` (creating its key file on first start when SECRETS_KEY is unset). */
export function loadKeyring(databaseFile: string, env: SecretsEnv = process.env): Keyring {
  const [fromEnv, ...envOpeners] = env.SECRETS_KEY?.trim() ? readEnvKeys(env.SECRETS_KEY) : [];
  if (!isFileDatabase(databaseFile)) {
    if (fromEnv) return createKeyring(fromEnv, envOpeners);
    memoryKey ??= toSecretsKey(crypto.randomBytes(32));
    return createKeyring(memoryKey);
  }
  const keyFile = getSecretsKeyFile(databaseFile);
  const pending = readKeyFile(getPendingKeyFile(databaseFile));
  const openers = pending ? [pending] : [];
  if (fromEnv) {
    const fileKey = readKeyFile(keyFile);
    return createKeyring(fromEnv, [...envOpeners, ...(fileKey ? [fileKey] : []), ...openers]);
  }
  return createKeyring(readOrCreateKeyFile(keyFile), openers);
}
