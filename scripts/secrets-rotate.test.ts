import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDb } from "@/db/client";
import { createMerchant, createShop } from "@/db/factories";
import { getVerifyingSecrets, rotateShopSecret } from "@/db/queries/webhooks";
import { getSecretsKeyFile } from "@/db/secrets-key";
import { getSealedKeyId } from "@/lib/secrets/seal";

// `npm run secrets:rotate` as the owner runs it (the script, on the database DATABASE_PATH names); what the rotation
// does in detail is db/secrets-key.test.ts's.

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "desk-rotate-"));
const file = path.join(dir, "data", "desk.db");
const secret = "whsec_script_rotation_0123456789abcdef";

function runRotate(env: Record<string, string> = {}) {
  const { SECRETS_KEY: _key, SECRETS_KEY_NEW: _newKey, ...inherited } = process.env;
  return spawnSync(path.join("node_modules", ".bin", "tsx"), ["scripts/secrets-rotate.ts"], { env: { ...inherited, DATABASE_PATH: file, ...env }, encoding: "utf8", timeout: 60_000 });
}

const rawSecret = () => {
  const db = openDb(file);
  const value = db.$client.prepare("select secret from shop_webhook_secrets").pluck().get() as string;
  db.$client.close();
  return value;
};

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("npm run secrets:rotate", () => {
  it("re-seals the stored secrets under a new key file and says so; a bad SECRETS_KEY fails and changes nothing", async () => {
    const db = openDb(file);
    const shopId = await createShop(db, { merchantId: await createMerchant(db, "A"), platform: "tmall", name: "A 天猫" });
    await rotateShopSecret(db, shopId, secret, new Date("2026-11-20T02:00:00.000Z"));
    db.$client.close();
    const keyBefore = fs.readFileSync(getSecretsKeyFile(file), "utf8");
    const sealedBefore = rawSecret();

    const rotated = runRotate();
    expect(rotated.status).toBe(0);
    const newKeyId = getSealedKeyId(rawSecret());
    expect(newKeyId).not.toBe(getSealedKeyId(sealedBefore));
    expect(rotated.stdout).toContain(`1 secret(s) re-sealed under key ${newKeyId} (was ${getSealedKeyId(sealedBefore)})`);
    expect(fs.readFileSync(getSecretsKeyFile(file), "utf8")).not.toBe(keyBefore);

    const refused = runRotate({ SECRETS_KEY: "not-a-key" });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain("SECRETS_KEY: A secrets key is 32 bytes");
    expect(refused.stderr).not.toContain("not-a-key");
    expect(getSealedKeyId(rawSecret())).toBe(newKeyId);

    const reopened = openDb(file);
    expect(await getVerifyingSecrets(reopened, shopId, new Date())).toEqual([secret]);
    reopened.$client.close();
  }, 120_000);
});
