import fs from "node:fs";
import type Database from "better-sqlite3";
import { createPrivateFileOnce, isFileDatabase } from "@/db/data-files";
import { attachKeyring, getKeyring, resealStoredSecrets } from "@/db/secrets";
import { getPendingKeyFile, getSecretsKeyFile, newSecretsKeyText, readEnvKey, readKeyFile, type SecretsEnv } from "@/db/secrets-key";
import { createKeyring, SecretsKeyError, type SecretsKey } from "@/lib/secrets/seal";

// `npm run secrets:rotate` (scripts/secrets-rotate.ts; docs/security.md "Secrets at rest"): every stored secret is
// re-sealed under a new key in one transaction. The desk is stopped meanwhile (a running desk keeps the old key).
// - Key file (no SECRETS_KEY): the new key is written first to .secrets-key.new (0600), then the transaction, then
//   the new file is renamed over .secrets-key. Stopped between the commit and the rename, the desk still opens
//   everything (it reads .secrets-key.new too) and the next rotation picks the same new key up again.
// - SECRETS_KEY: the new key is given as SECRETS_KEY_NEW; afterwards the desk is started with SECRETS_KEY set to it.
//   A key file left from before SECRETS_KEY was set is deleted: nothing is sealed under it any more.

export type RotationResult = { source: "file" | "env"; fromKeyIds: string[]; toKeyId: string; resealed: number };

function getNewKey(databaseFile: string, env: SecretsEnv): { key: SecretsKey; source: "file" | "env" } {
  if (env.SECRETS_KEY_NEW?.trim()) return { key: readEnvKey("SECRETS_KEY_NEW", env.SECRETS_KEY_NEW), source: "env" };
  if (env.SECRETS_KEY?.trim()) throw new SecretsKeyError("SECRETS_KEY is set: give the new key as SECRETS_KEY_NEW");
  if (!isFileDatabase(databaseFile)) throw new SecretsKeyError("An in-memory database has no key file to rotate");
  const pendingFile = getPendingKeyFile(databaseFile);
  createPrivateFileOnce(pendingFile, `${newSecretsKeyText()}\n`);
  return { key: readKeyFile(pendingFile)!, source: "file" };
}

/** Re-seals every stored secret of `db` (opened by openDb on `databaseFile`) under a new key, then retires the old. */
export function rotateSecretsKey(db: { $client: Database.Database }, databaseFile: string, env: SecretsEnv = process.env): RotationResult {
  const current = getKeyring(db);
  const { key, source } = getNewKey(databaseFile, env);
  if (source === "env" && key.id === current.current.id) throw new SecretsKeyError("SECRETS_KEY_NEW is the key in use: give a new one");
  // Everything the old ring opens, plus the new key itself (values an interrupted rotation already sealed under it)
  const from = createKeyring(current.current, [...current.keys.values(), key]);
  const to = createKeyring(key);
  const resealed = resealStoredSecrets(db, from, to);
  if (isFileDatabase(databaseFile)) {
    const keyFile = getSecretsKeyFile(databaseFile);
    const pendingFile = getPendingKeyFile(databaseFile);
    if (source === "file") fs.renameSync(pendingFile, keyFile);
    else for (const file of [keyFile, pendingFile]) fs.rmSync(file, { force: true });
  }
  attachKeyring(db, to);
  return { source, fromKeyIds: [...from.keys.keys()].filter((id) => id !== key.id), toKeyId: key.id, resealed };
}
