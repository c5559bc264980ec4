import fs from "node:fs";
import { isPostgresDb, transact, type Db } from "@/db/client";
import { createPrivateFileOnce, isFileDatabase } from "@/db/data-files";
import { allRaw, runRaw } from "@/db/raw";
import { attachKeyring, getKeyring, planSecretRewrite, storedSecretsSql, withOldBytesErased, type StoredSecretRows } from "@/db/secrets";
import { getPendingKeyFile, getSecretsKeyFile, newSecretsKeyText, readEnvKey, readKeyFile, type SecretsEnv } from "@/db/secrets-key";
import { createKeyring, getSealedKeyId, isSealed, openSecret, SecretsKeyError, sealSecret, type Keyring, type SecretsKey } from "@/lib/secrets/seal";

// `npm run secrets:rotate` (scripts/secrets-rotate.ts; docs/security.md "Secrets at rest"): every stored secret is
// re-sealed under a new key in one transaction, on SQLite or PostgreSQL alike. A running desk keeps its keys in
// memory: it is stopped meanwhile, or (several instances on PostgreSQL) given both keys first, in the order
// docs/security.md "Rotating with several instances" gives.
// - Key file (no SECRETS_KEY): the new key is written first to .secrets-key.new (0600), then the transaction, then
//   the new file is renamed over .secrets-key. Stopped between the commit and the rename, the desk still opens
//   everything (it reads .secrets-key.new too) and the next rotation picks the same new key up again.
// - SECRETS_KEY: the new key is given as SECRETS_KEY_NEW; afterwards the desk is started with SECRETS_KEY set to it.
//   A key file left from before SECRETS_KEY was set is deleted: nothing is sealed under it any more.
// The key files are those beside `keyFileDatabase`: the SQLite file, or on PostgreSQL the path the desk's instances
// on this machine load their key file beside (DATABASE_PATH, data/desk.db by default).

export type RotationResult = { source: "file" | "env"; fromKeyIds: string[]; toKeyId: string; resealed: number };

function getNewKey(keyFileDatabase: string, env: SecretsEnv): { key: SecretsKey; source: "file" | "env" } {
  if (env.SECRETS_KEY_NEW?.trim()) return { key: readEnvKey("SECRETS_KEY_NEW", env.SECRETS_KEY_NEW), source: "env" };
  if (env.SECRETS_KEY?.trim()) throw new SecretsKeyError("SECRETS_KEY is set: give the new key as SECRETS_KEY_NEW");
  if (!isFileDatabase(keyFileDatabase)) throw new SecretsKeyError("An in-memory database has no key file to rotate");
  const pendingFile = getPendingKeyFile(keyFileDatabase);
  createPrivateFileOnce(pendingFile, `${newSecretsKeyText()}\n`);
  return { key: readKeyFile(pendingFile)!, source: "file" };
}

/**
 * Re-seals every stored value not yet under `to`'s current key, opening each with `from` (a clear one is sealed too), in
 * one transaction: a value that does not open stops the whole rotation and nothing changes. On PostgreSQL the rows are
 * locked as they are read, so an instance's write to one (a token refreshed) waits for the commit instead of being
 * overwritten by the value read before it; on SQLite no bytes of the old values are left in the files.
 */
export async function resealStoredSecrets(db: Db, from: Keyring, to: Keyring): Promise<number> {
  const reseal = () =>
    transact(db, async (tx) => {
      const lock = isPostgresDb(db) ? " for update" : "";
      const rows: StoredSecretRows = {
        apps: await allRaw<StoredSecretRows["apps"][number]>(tx, storedSecretsSql.selectApps + lock),
        webhookSecrets: await allRaw<StoredSecretRows["webhookSecrets"][number]>(tx, storedSecretsSql.selectWebhookSecrets + lock),
      };
      // A value already under the new key (written by an instance holding it, or by an interrupted rotation) stays
      const plan = planSecretRewrite(rows, (purpose, value) => {
        if (!isSealed(value)) return sealSecret(to, purpose, value);
        return getSealedKeyId(value) === to.current.id ? value : sealSecret(to, purpose, openSecret(from, purpose, value));
      });
      for (const write of plan.writes) await runRaw(tx, write.text, write.params);
      return plan.changed;
    });
  return isPostgresDb(db) ? reseal() : withOldBytesErased(db.$client, reseal);
}

/** Re-seals every stored secret of `db` (opened with its usual keys) under a new key, then retires the old. */
export async function rotateSecretsKey(db: Db, keyFileDatabase: string, env: SecretsEnv = process.env): Promise<RotationResult> {
  const current = getKeyring(db);
  const { key, source } = getNewKey(keyFileDatabase, env);
  // SECRETS_KEY=<new>,<old> with SECRETS_KEY_NEW=<new> is the last step of a rotation with several instances
  if (source === "env" && key.id === current.current.id && current.keys.size === 1) throw new SecretsKeyError("SECRETS_KEY_NEW is the key in use: give a new one");
  // Everything the old ring opens, plus the new key itself (values an interrupted rotation already sealed under it)
  const from = createKeyring(current.current, [...current.keys.values(), key]);
  const to = createKeyring(key);
  const resealed = await resealStoredSecrets(db, from, to);
  if (isFileDatabase(keyFileDatabase)) {
    const keyFile = getSecretsKeyFile(keyFileDatabase);
    const pendingFile = getPendingKeyFile(keyFileDatabase);
    if (source === "file") fs.renameSync(pendingFile, keyFile);
    else for (const file of [keyFile, pendingFile]) fs.rmSync(file, { force: true });
  }
  attachKeyring(db, to);
  return { source, fromKeyIds: [...from.keys.keys()].filter((id) => id !== key.id), toKeyId: key.id, resealed };
}
