// `npm run secrets:rotate`: re-seals every stored secret (platform app secrets and tokens, WeChat Token and
// EncodingAESKey, webhook secrets) under a new key, in one transaction (db/secrets-rotation.ts). Stop the desk first:
// a running desk keeps the old key in memory. docs/security.md "Secrets at rest" has the steps.
//   npm run secrets:rotate                                  key file: a new data/.secrets-key is generated
//   SECRETS_KEY=<old> SECRETS_KEY_NEW=<new> npm run secrets:rotate   then start the desk with SECRETS_KEY=<new>
import { getDatabasePath, openDb } from "@/db/client";
import { rotateSecretsKey } from "@/db/secrets-rotation";

const file = getDatabasePath();
try {
  const db = openDb(file);
  const result = rotateSecretsKey(db, file, process.env);
  db.$client.close();
  console.log(`[secrets] ${file}: ${result.resealed} secret(s) re-sealed under key ${result.toKeyId} (was ${result.fromKeyIds.join(", ") || "none"})`);
  if (result.source === "env") console.log("[secrets] now start the desk with SECRETS_KEY set to the value of SECRETS_KEY_NEW");
  else console.log("[secrets] the key file beside the database now holds the new key; start the desk as usual");
} catch (error) {
  console.error("[secrets] rotation failed (the stored secrets are as they were):", error instanceof Error ? error.message : error);
  process.exit(1);
}
