import { expect, test, type APIRequestContext } from "@playwright/test";
import { eq } from "drizzle-orm";
import { openDb } from "@/db/client";
import { getPlatformAppForShop } from "@/db/queries/platforms";
import { shopPlatformEndpoints } from "@/db/schema-webhooks";
import type { Platform } from "@/lib/domain";
import { e2eDatabasePath } from "../playwright.config";
import { baseURL, createTestShop, logins, signInApi, unique } from "./helpers";

// No SSRF by an owner (docs/security.md "Outbound calls"): the built server refuses, at save time, a decision
// endpoint or a platform apiBaseUrl / tmcUrl the outbound guard would never call: 422 invalid_body naming the
// field, nothing stored.
//
// This server runs in production mode WITH ALLOW_LOCAL_ENDPOINTS=1, because other specs point shops at fakes on
// 127.0.0.1. That flag opens loopback (127.0.0.0/8, ::1, localhost) and plain http towards it, and nothing else.
// So every kind below is refused here as it would be on a real desk; 127.0.0.1 and [::1] themselves are opened by
// the flag, and their refusal without it is proven by the route tests
// (app/api/settings/shops/[shopId]/outbound-refusal.test.ts). 0.0.0.0 and [::] also reach this machine and stay
// refused. Plain http to anything but loopback is refused in production whatever the flag.

const db = openDb(e2eDatabasePath);

const refusedKinds: [kind: string, url: string, reason: "address" | "scheme"][] = [
  ["metadata", "https://169.254.169.254/latest/meta-data/", "address"],
  ["metadata over plain http", "http://169.254.169.254/latest/meta-data/", "scheme"],
  ["link-local", "https://169.254.1.1/", "address"],
  ["IPv6 metadata", "https://[fd00:ec2::254]/", "address"],
  ["IPv6 link-local", "https://[fe80::1]/", "address"],
  ["private 10/8", "https://10.0.0.8/decisions", "address"],
  ["private 172.16/12", "https://172.16.5.4/decisions", "address"],
  ["private 192.168/16", "https://192.168.1.10/decisions", "address"],
  ["IPv6 unique-local", "https://[fd12::1]/decisions", "address"],
  ["CGNAT", "https://100.64.0.1/decisions", "address"],
  ["unspecified (this machine)", "https://0.0.0.0:3100/", "address"],
  ["IPv6 unspecified (this machine)", "https://[::]:3100/", "address"],
  ["IPv4-mapped IPv6 metadata", "https://[::ffff:169.254.169.254]/", "address"],
  ["IPv4-mapped IPv6 private", "https://[::ffff:10.0.0.1]/", "address"],
  ["decimal-encoded metadata", "https://2852039166/latest/meta-data/", "address"],
  ["decimal-encoded private", "https://167772161/decisions", "address"],
  ["hex-encoded metadata", "https://0xa9fea9fe/", "address"],
  ["octal-encoded private", "https://012.0.0.1/", "address"],
  ["plain http in production", "http://open.example.com/decisions", "scheme"],
];

const createOwnShop = (platform: Platform) => createTestShop(`e2e 出站 ${platform} ${unique().slice(-6)}`, { platform });

async function signedInOwner(playwright: { request: { newContext: (options: { baseURL: string }) => Promise<APIRequestContext> } }) {
  const owner = await playwright.request.newContext({ baseURL });
  await signInApi(owner, logins.owner);
  return owner;
}

async function expectRefused(response: Awaited<ReturnType<APIRequestContext["put"]>>, path: string, reason: string) {
  expect(response.status()).toBe(422);
  const body = (await response.json()) as { error: { code: string; issues: { message: string }[] } };
  expect(body.error.code).toBe("invalid_body");
  expect(body.error.issues).toEqual([expect.objectContaining({ path, code: "outbound_refused", reason })]);
  expect(body.error.issues[0].message).toMatch(/^目标地址不允许：/);
}

test("every refused kind of decision endpoint answers 422 and is not stored; a loopback fake (opened by the flag) is", async ({ playwright }) => {
  const owner = await signedInOwner(playwright);
  const shopId = await createOwnShop("tmall");
  const endpointPath = `/api/settings/shops/${shopId}/endpoint`;
  const endpointOf = async (id: string) => (await db.select({ url: shopPlatformEndpoints.url }).from(shopPlatformEndpoints).where(eq(shopPlatformEndpoints.shopId, id)))[0]?.url ?? null;
  for (const [kind, url, reason] of refusedKinds) {
    await test.step(kind, async () => {
      await expectRefused(await owner.put(endpointPath, { data: { url }, headers: { origin: baseURL } }), "url", reason);
    });
  }
  expect(await endpointOf(shopId)).toBeNull();

  // The control: the same route saves what the flag opens, so the 422s above are the guard's and not a broken route
  const local = await owner.put(endpointPath, { data: { url: "http://127.0.0.1:9/decisions" }, headers: { origin: baseURL } });
  expect(local.status()).toBe(200);
  expect(await endpointOf(shopId)).toBe("http://127.0.0.1:9/decisions");
  await owner.dispose();
});

test("every refused kind of platform apiBaseUrl answers 422 and no app is stored", async ({ playwright }) => {
  const owner = await signedInOwner(playwright);
  const shopId = await createOwnShop("douyin");
  const appPath = `/api/settings/shops/${shopId}/platform-app`;
  const app = { protocol: "douyin_push", appKey: "7123456789012345678", appSecret: `e2e-douyin-secret-${unique()}`, platformShopId: unique().slice(0, 12) };
  for (const [kind, url, reason] of refusedKinds) {
    await test.step(kind, async () => {
      await expectRefused(await owner.put(appPath, { data: { ...app, apiBaseUrl: url }, headers: { origin: baseURL } }), "apiBaseUrl", reason);
    });
  }
  expect(await getPlatformAppForShop(db, shopId)).toBeNull();

  const local = await owner.put(appPath, { data: { ...app, apiBaseUrl: "http://127.0.0.1:9" }, headers: { origin: baseURL } });
  expect(local.status()).toBe(200);
  expect((await getPlatformAppForShop(db, shopId))?.apiBaseUrl).toBe("http://127.0.0.1:9");
  await owner.dispose();
});

test("a Taobao TMC URL to a private address or over plain ws to another host answers 422", async ({ playwright }) => {
  const owner = await signedInOwner(playwright);
  const shopId = await createOwnShop("taobao");
  const appPath = `/api/settings/shops/${shopId}/platform-app`;
  const app = { protocol: "taobao_tmc", appKey: "12497914", appSecret: `e2e-taobao-secret-${unique()}`, platformShopId: `e2e_nick_${unique()}`, consumerEnabled: false };
  await expectRefused(await owner.put(appPath, { data: { ...app, tmcUrl: "wss://10.0.0.1/" }, headers: { origin: baseURL } }), "tmcUrl", "address");
  await expectRefused(await owner.put(appPath, { data: { ...app, tmcUrl: "wss://[::ffff:a9fe:a9fe]/" }, headers: { origin: baseURL } }), "tmcUrl", "address");
  await expectRefused(await owner.put(appPath, { data: { ...app, tmcUrl: "ws://tmc.example.com/" }, headers: { origin: baseURL } }), "tmcUrl", "scheme");
  expect(await getPlatformAppForShop(db, shopId)).toBeNull();
  await owner.dispose();
});
