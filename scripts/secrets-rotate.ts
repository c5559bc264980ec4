// `npm run secrets:rotate`: re-seals every stored secret (platform app secrets and tokens, WeChat Token and
// EncodingAESKey, webhook secrets) under a new key, in one transaction (db/secrets-rotation.ts), on the database the
// desk uses: DATABASE_URL's PostgreSQL when set, else the SQLite file. A running desk keeps its keys in memory: stop
// it first, or with several instances follow docs/security.md "Rotating with several instances".
//   npm run secrets:rotate                                  key file: a new data/.secrets-key is generated
//   SECRETS_KEY=<old> SECRETS_KEY_NEW=<new> npm run secrets:rotate   then start the desk with SECRETS_KEY=<new>
import { closeDb, getDatabasePath, openDb, openPostgresDb } from "@/db/client";
import { getDialect } from "@/db/dialect";
import { rotateSecretsKey } from "@/db/secrets-rotation";

// The key files sit beside the SQLite file; on PostgreSQL, where this machine's instances look for theirs
const keyFileDatabase = getDatabasePath();
const isPostgres = getDialect() === "postgres";
const where = isPostgres ? "PostgreSQL (DATABASE_URL)" : keyFileDatabase;
try {
  const db = isPostgres ? await openPostgresDb(process.env.DATABASE_URL!, { maxConnections: 1 }) : openDb(keyFileDatabase);
  try {
    const result = await rotateSecretsKey(db, keyFileDatabase, process.env);
    console.log(`[secrets] ${where}: ${result.resealed} secret(s) re-sealed under key ${result.toKeyId} (was ${result.fromKeyIds.join(", ") || "none"})`);
    if (result.source === "env") console.log("[secrets] now start the desk with SECRETS_KEY set to the value of SECRETS_KEY_NEW");
    else console.log(`[secrets] the key file beside ${keyFileDatabase} now holds the new key; start the desk as usual${isPostgres ? " (instances on other machines need the same file, or SECRETS_KEY)" : ""}`);
  } finally {
    await closeDb(db);
  }
} catch (error) {
  console.error("[secrets] rotation failed (the stored secrets are as they were):", error instanceof Error ? error.message : error);
  process.exit(1);
}
