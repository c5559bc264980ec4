import type Database from "better-sqlite3";
import { isSealed, openSecret, sealSecret, type Keyring } from "@/lib/secrets/seal";

// Every secret the desk stores is sealed (lib/secrets/seal.ts; docs/security.md "Secrets at rest"): the queries
// seal on write and open on read through the keyring openDb attached to the connection. This module also walks
// every stored secret at once, for the upgrade that seals clear values left by older versions (run by openDb) and
// for a key rotation (scripts/secrets-rotate.ts).

/** The stored secrets, each sealed for its own column (the purpose is authenticated with the value). */
export const secretPurposes = {
  appSecret: "platform_apps.app_secret",
  accessToken: "platform_apps.access_token",
  refreshToken: "platform_apps.refresh_token",
  wechatToken: "platform_apps.settings.wechatToken",
  wechatAesKey: "platform_apps.settings.wechatAesKey",
  webhookSecret: "shop_webhook_secrets.secret",
} as const;

export type SecretPurpose = (typeof secretPurposes)[keyof typeof secretPurposes];

// On globalThis: Next bundles this module more than once (route handlers, pages), and every copy must find the
// keyring of the one connection db/client.ts keeps on globalThis
const globalForKeyrings = globalThis as unknown as { deskKeyrings?: WeakMap<object, Keyring> };
const keyrings = (globalForKeyrings.deskKeyrings ??= new WeakMap<object, Keyring>());

/** Done by openDb: the keyring this connection seals and opens with. */
export function attachKeyring(db: object, keyring: Keyring): void {
  keyrings.set(db, keyring);
}

export function getKeyring(db: object): Keyring {
  const keyring = keyrings.get(db);
  if (!keyring) throw new Error("This database connection has no secrets keyring: open it with openDb");
  return keyring;
}

export function sealStored(db: object, purpose: SecretPurpose, value: string): string {
  return sealSecret(getKeyring(db), purpose, value);
}

export function sealStoredOrNull(db: object, purpose: SecretPurpose, value: string | null | undefined): string | null {
  return value === null || value === undefined ? null : sealStored(db, purpose, value);
}

// Opened values by column and sealed text, per keyring: every event received opens its shop's webhook secrets, and the
// same sealed text always opens to the same value (an edited one is another text and is opened, so checked, afresh).
// The process holds the key anyway, so keeping a few opened secrets in memory exposes nothing more.
const openedByKeyring = new WeakMap<Keyring, Map<string, string>>();
const maxOpenedKept = 1024;

/** Opens a stored value; a clear or tampered one throws (every write seals, and the upgrade sealed older values). */
export function openStored(db: object, purpose: SecretPurpose, value: string): string {
  const keyring = getKeyring(db);
  let opened = openedByKeyring.get(keyring);
  if (!opened) openedByKeyring.set(keyring, (opened = new Map()));
  const cacheKey = `${purpose}\0${value}`;
  const known = opened.get(cacheKey);
  if (known !== undefined) return known;
  const clear = openSecret(keyring, purpose, value);
  if (opened.size >= maxOpenedKept) opened.delete(opened.keys().next().value!);
  opened.set(cacheKey, clear);
  return clear;
}

export function openStoredOrNull(db: object, purpose: SecretPurpose, value: string | null | undefined): string | null {
  return value === null || value === undefined ? null : openStored(db, purpose, value);
}

export type SecretRewrite = (purpose: SecretPurpose, value: string) => string;
/** The rows that hold secrets, as the statements below select them (settings: text on SQLite, jsonb parsed on PostgreSQL). */
export type StoredSecretRows = {
  apps: { shop_id: string; app_secret: string; access_token: string | null; refresh_token: string | null; settings: string | Record<string, unknown> }[];
  webhookSecrets: { id: number; secret: string }[];
};
type Write = { text: string; params: (string | number | null)[] };

/** Both engines' spelling (docs/postgres.md#writing-queries-for-both-engines): the walk reads and writes these only. */
export const storedSecretsSql = {
  selectApps: "select shop_id, app_secret, access_token, refresh_token, settings from platform_apps order by shop_id",
  selectWebhookSecrets: "select id, secret from shop_webhook_secrets order by id",
  updateApp: "update platform_apps set app_secret = ?, access_token = ?, refresh_token = ?, settings = ? where shop_id = ?",
  updateWebhookSecret: "update shop_webhook_secrets set secret = ? where id = ?",
} as const;

const settingsSecrets = [
  ["wechatToken", secretPurposes.wechatToken],
  ["wechatAesKey", secretPurposes.wechatAesKey],
] as const;

/** Every stored secret passed through `rewrite`: the writes for the rows that changed, and how many values did. */
export function planSecretRewrite(rows: StoredSecretRows, rewrite: SecretRewrite): { changed: number; writes: Write[] } {
  let changed = 0;
  const next = (purpose: SecretPurpose, value: string | null): string | null => {
    if (value === null) return null;
    const rewritten = rewrite(purpose, value);
    if (rewritten !== value) changed++;
    return rewritten;
  };
  const writes: Write[] = [];
  for (const app of rows.apps) {
    const before = changed;
    const appSecret = next(secretPurposes.appSecret, app.app_secret);
    const accessToken = next(secretPurposes.accessToken, app.access_token);
    const refreshToken = next(secretPurposes.refreshToken, app.refresh_token);
    const settings = (typeof app.settings === "string" ? JSON.parse(app.settings) : { ...app.settings }) as Record<string, unknown>;
    for (const [field, purpose] of settingsSecrets) {
      const value = settings[field];
      if (typeof value === "string") settings[field] = next(purpose, value);
    }
    if (changed !== before) writes.push({ text: storedSecretsSql.updateApp, params: [appSecret, accessToken, refreshToken, JSON.stringify(settings), app.shop_id] });
  }
  for (const row of rows.webhookSecrets) {
    const secret = next(secretPurposes.webhookSecret, row.secret);
    if (secret !== row.secret) writes.push({ text: storedSecretsSql.updateWebhookSecret, params: [secret, row.id] });
  }
  return { changed, writes };
}

/** SQLite: secure_delete on (the old values' bytes are zeroed in the pages, not left in free space); returns its undo. */
function turnOnSecureDelete(client: Database.Database): () => void {
  const wasSecureDelete = client.pragma("secure_delete", { simple: true }) as number;
  client.pragma("secure_delete = ON");
  return () => client.pragma(`secure_delete = ${wasSecureDelete === 2 ? "FAST" : wasSecureDelete ? "ON" : "OFF"}`);
}

/** SQLite, after rewriting: the WAL checkpointed and truncated, so no copy of the old values is left in either file. */
function checkpointAfterRewrite(client: Database.Database, changed: number): void {
  if (changed > 0 && !client.memory) client.pragma("wal_checkpoint(TRUNCATE)");
}

/** SQLite: runs `rewrite` (which rewrites stored secrets and says how many) leaving no bytes of the old values in the files. */
export async function withOldBytesErased(client: Database.Database, rewrite: () => Promise<number>): Promise<number> {
  const restore = turnOnSecureDelete(client);
  try {
    const changed = await rewrite();
    checkpointAfterRewrite(client, changed);
    return changed;
  } finally {
    restore();
  }
}

/**
 * The one-time upgrade openDb runs after the migrations (synchronously, on SQLite only): clear values (stored before
 * secrets were sealed) are sealed under the current key in one immediate transaction, leaving no bytes of them in
 * the files; values already sealed are left as they are. Returns how many were sealed.
 */
export function sealClearSecrets(db: { $client: Database.Database }): number {
  const keyring = getKeyring(db);
  const client = db.$client;
  const rewrite: SecretRewrite = (purpose, value) => (isSealed(value) ? value : sealSecret(keyring, purpose, value));
  const restore = turnOnSecureDelete(client);
  try {
    const changed = client
      .transaction(() => {
        const rows = { apps: client.prepare(storedSecretsSql.selectApps).all(), webhookSecrets: client.prepare(storedSecretsSql.selectWebhookSecrets).all() } as StoredSecretRows;
        const plan = planSecretRewrite(rows, rewrite);
        for (const write of plan.writes) client.prepare(write.text).run(...write.params);
        return plan.changed;
      })
      .immediate();
    checkpointAfterRewrite(client, changed);
    return changed;
  } finally {
    restore();
  }
}
