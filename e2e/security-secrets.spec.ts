import fs from "node:fs";
import path from "node:path";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { getSignedHeaders } from "@/lib/webhook/signature";
import { e2eDatabasePath } from "../playwright.config";
import { baseURL, createTestShop, logins, signIn, signInApi, unique } from "./helpers";

// Secrets at rest (docs/security.md): a new webhook secret is shown once, with a copy button; every settings answer
// afterwards shows it (and every platform credential) masked; none of them is anywhere in the database's bytes.
// Each test makes its own shops, so no other test's secrets change.
const headers = { origin: baseURL };

/** The database file and its WAL as bytes, as anyone who can read the files would see them. */
function readDatabaseBytes(): Buffer {
  return Buffer.concat(["", "-wal"].map((suffix) => (fs.existsSync(`${e2eDatabasePath}${suffix}`) ? fs.readFileSync(`${e2eDatabasePath}${suffix}`) : Buffer.alloc(0))));
}

/** Every settings answer the owner can read for these shops, as text. */
async function readSettingsAnswers(owner: APIRequestContext, shopIds: string[]): Promise<string> {
  const answers = [await owner.get("/api/settings/webhooks")];
  for (const shopId of shopIds) answers.push(await owner.get(`/api/settings/shops/${shopId}/platform-app`));
  for (const answer of answers) expect(answer.status()).toBe(200);
  return (await Promise.all(answers.map((answer) => answer.text()))).join("\n");
}

test("a new webhook secret is shown once with a copy button, then masked on the page and in every answer, and never stored in clear", async ({ page, context, playwright }) => {
  const shopName = `e2e 密钥 ${unique().slice(-6)}`;
  const shopId = await createTestShop(shopName, { platform: "tmall" });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });
  await signIn(page, logins.owner);
  await page.goto("/settings");
  const card = page.locator(`article[aria-labelledby="connection-${shopId}"]`);
  await expect(card.getByText("尚未生成密钥")).toBeVisible();
  await card.getByRole("button", { name: "轮换密钥" }).click();
  await page.getByRole("button", { name: "确认轮换" }).click();

  const dialog = page.getByRole("dialog", { name: `${shopName} 的新 Webhook 密钥` });
  await expect(dialog.getByTestId("secret-shown-once")).toHaveText("只显示一次");
  const secret = (await dialog.getByTestId("new-webhook-secret").textContent()) ?? "";
  expect(secret).toMatch(/^whsec_[0-9a-f]{48}$/);
  await dialog.getByRole("button", { name: "复制" }).click();
  await expect(dialog.getByRole("button", { name: "复制" })).toContainText("已复制");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
  await dialog.getByRole("button", { name: "我已保存" }).click();
  await expect(dialog).toHaveCount(0);
  const masked = `••••${secret.slice(-4)}`;
  await expect(card.getByTestId("webhook-secret")).toHaveText(masked);
  expect(await page.content()).not.toContain(secret);
  await page.reload();
  await expect(card.getByTestId("webhook-secret")).toHaveText(masked);
  expect(await page.content()).not.toContain(secret);

  const owner = await playwright.request.newContext({ baseURL });
  await signInApi(owner, logins.owner);
  const listed = (await (await owner.get("/api/settings/webhooks")).json()) as { connections: { shopId: string; maskedSecret: string | null }[] };
  expect(listed.connections.find((connection) => connection.shopId === shopId)?.maskedSecret).toBe(masked);
  expect(await readSettingsAnswers(owner, [])).not.toContain(secret);

  // The sealed secret still verifies the platform's signature
  const event = { id: `evt_e2e_sealed_${unique()}`, type: "request.cancelled", occurredAt: new Date().toISOString(), data: { requestId: `9${unique()}`.slice(0, 19) } };
  const rawBody = JSON.stringify(event);
  const signed = await owner.post("/api/platforms/tmall/events", { headers: { "content-type": "application/json", ...getSignedHeaders(shopId, secret, new Date(), rawBody) }, data: rawBody });
  expect(signed.status()).toBe(200);
  const forged = await owner.post("/api/platforms/tmall/events", { headers: { "content-type": "application/json", ...getSignedHeaders(shopId, `${secret}x`, new Date(), rawBody) }, data: rawBody });
  expect(forged.status()).toBe(401);
  await owner.dispose();

  expect(readDatabaseBytes().includes(Buffer.from(secret))).toBe(false);
});

test("platform credentials and rotated secrets are masked in every settings answer after the one that made them, and not in the database bytes", async ({ playwright }) => {
  const suffix = unique();
  const tmall = await createTestShop(`e2e 密钥轮换 ${suffix.slice(-6)}`, { platform: "tmall" });
  const douyin = await createTestShop(`e2e 抖店密钥 ${suffix.slice(-6)}`, { platform: "douyin" });
  const wechat = await createTestShop(`e2e 小店密钥 ${suffix.slice(-6)}`, { platform: "wechat" });
  const clear = {
    douyinAppSecret: `e2e-douyin-app-secret-${suffix}`,
    douyinAccess: `e2e-douyin-access-${suffix}`,
    douyinRefresh: `e2e-douyin-refresh-${suffix}`,
    wechatAppSecret: `e2e-wechat-app-secret-${suffix}`,
    wechatToken: `e2eToken${suffix}`.slice(0, 32),
    wechatAesKey: `e2eAesKey${suffix}abcdefghijklmnopqrstuvwxyz0123456789`.slice(0, 43),
    wechatAccess: `e2e-wechat-access-${suffix}`,
  };
  const owner = await playwright.request.newContext({ baseURL });
  await signInApi(owner, logins.owner);

  const rotated: string[] = [];
  for (let round = 0; round < 2; round++) {
    const answer = await owner.post(`/api/settings/shops/${tmall}/secret`, { headers });
    expect(answer.status()).toBe(200);
    const body = (await answer.json()) as { secret: string; maskedSecret: string };
    // The one answer that carries it in clear
    expect(body.maskedSecret).toBe(`••••${body.secret.slice(-4)}`);
    rotated.push(body.secret);
  }
  const savedDouyin = await owner.put(`/api/settings/shops/${douyin}/platform-app`, {
    headers,
    data: { protocol: "douyin_push", appKey: "7123456789012345678", appSecret: clear.douyinAppSecret, platformShopId: suffix.slice(0, 12), accessToken: clear.douyinAccess, refreshToken: clear.douyinRefresh },
  });
  const savedWechat = await owner.put(`/api/settings/shops/${wechat}/platform-app`, {
    headers,
    data: { protocol: "wechat_ec", appId: `wx${suffix.slice(-16).padStart(16, "0")}`, appSecret: clear.wechatAppSecret, token: clear.wechatToken, encodingAesKey: clear.wechatAesKey, accessToken: clear.wechatAccess },
  });
  expect([savedDouyin.status(), savedWechat.status()]).toEqual([200, 200]);
  const saveAnswers = `${await savedDouyin.text()}${await savedWechat.text()}`;
  const stored = (await savedWechat.json()) as { app: { secrets: Record<string, string | null> } };
  expect(stored.app.secrets).toEqual({
    appSecret: `••••${clear.wechatAppSecret.slice(-4)}`,
    accessToken: `••••${clear.wechatAccess.slice(-4)}`,
    refreshToken: null,
    wechatToken: `••••${clear.wechatToken.slice(-4)}`,
    wechatAesKey: `••••${clear.wechatAesKey.slice(-4)}`,
  });

  const answers = `${saveAnswers}\n${await readSettingsAnswers(owner, [tmall, douyin, wechat])}`;
  const listed = (await (await owner.get("/api/settings/webhooks")).json()) as { connections: { shopId: string; maskedSecret: string | null; previousSecretsValidUntil: string[] }[] };
  expect(listed.connections.find((connection) => connection.shopId === tmall)).toMatchObject({ maskedSecret: `••••${rotated[1].slice(-4)}`, previousSecretsValidUntil: [expect.any(String)] });
  await owner.dispose();

  const bytes = readDatabaseBytes();
  for (const value of [...rotated, ...Object.values(clear)]) {
    expect(answers, "a settings answer").not.toContain(value);
    expect(bytes.includes(Buffer.from(value)), "the database bytes").toBe(false);
  }
});

test("the data directory is 0700, the database and the key file 0600", () => {
  const dir = path.dirname(e2eDatabasePath);
  const mode = (entry: string) => fs.statSync(entry).mode & 0o777;
  expect(mode(dir)).toBe(0o700);
  expect(mode(e2eDatabasePath)).toBe(0o600);
  expect(mode(path.join(dir, ".secrets-key"))).toBe(0o600);
  if (fs.existsSync(`${e2eDatabasePath}-wal`)) expect(mode(`${e2eDatabasePath}-wal`)).toBe(0o600);
});
