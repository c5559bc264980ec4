import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type Db } from "@/db/client";
import { openTestDbForTest } from "@/db/test-db";
import { createMerchant, createShop, createUser } from "@/db/factories";
import { getPlatformAppForShop } from "@/db/queries/platforms";
import { getScope, type Scope } from "@/db/queries/users";
import { shopPlatformEndpoints } from "@/db/schema-webhooks";
import { zhCNMessages as zh } from "@/lib/i18n/messages/merged";

// The settings routes themselves (endpoint, platform app) against an in-memory desk: the session and the
// translations are stand-ins; the outbound check is the real one with the system resolver, so only IP literals
// and localhost (which /etc/hosts answers) are used.

vi.mock("server-only", () => ({}));
vi.mock("@/app/_server/scope", () => ({ getSessionScope: async () => session.scope }));
vi.mock("next-intl/server", () => ({
  getTranslations: async (namespace: "outboundGuard") => (key: keyof typeof zh.outboundGuard) => zh[namespace][key],
}));

const session: { scope: Scope | null } = { scope: null };
const { PUT: putEndpoint } = await import("@/app/api/settings/shops/[shopId]/endpoint/route");
const { PUT: putPlatformApp } = await import("@/app/api/settings/shops/[shopId]/platform-app/route");

let db: Db;
let tmallShop: string;
let taobaoShop: string;

beforeEach(async () => {
  db = await openTestDbForTest();
  (globalThis as unknown as { deskDb?: Db }).deskDb = db;
  const merchant = await createMerchant(db, "A");
  tmallShop = await createShop(db, { merchantId: merchant, platform: "tmall", name: "A 天猫店" });
  taobaoShop = await createShop(db, { merchantId: merchant, platform: "taobao", name: "A 淘宝店" });
  session.scope = await getScope(db, await createUser(db, { merchantId: merchant, name: "老板", email: "o@a.test", role: "owner" }));
  vi.stubEnv("NODE_ENV", "production");
  vi.stubEnv("ALLOW_LOCAL_ENDPOINTS", "");
});

afterEach(() => {
  vi.unstubAllEnvs();
  (globalThis as unknown as { deskDb?: Db }).deskDb = undefined;
});

function put(handler: typeof putEndpoint, shopId: string, body: unknown) {
  const request = new Request(`http://localhost:3000/api/settings/shops/${shopId}/x`, { method: "PUT", headers: { "content-type": "application/json", origin: "http://localhost:3000" }, body: JSON.stringify(body) });
  return handler(request, { params: Promise.resolve({ shopId }) });
}

const taobaoApp = (urls: { apiBaseUrl?: string; tmcUrl?: string }) => ({ protocol: "taobao_tmc", appKey: "12497914", appSecret: "unit-secret-taobao", platformShopId: "demo_shop", consumerEnabled: true, ...urls });

const endpointOf = async (shopId: string) => (await db.select({ url: shopPlatformEndpoints.url }).from(shopPlatformEndpoints).where(eq(shopPlatformEndpoints.shopId, shopId)))[0]?.url ?? null;

describe("PUT …/endpoint refuses a decision endpoint the outbound guard would refuse", () => {
  it.each([
    ["loopback", "https://127.0.0.1/decisions", "address"],
    ["localhost", "https://localhost:4010/decisions", "address"],
    ["metadata", "https://169.254.169.254/latest/meta-data/", "address"],
    ["link-local", "https://169.254.1.1/", "address"],
    ["private 10/8", "https://10.0.0.8/decisions", "address"],
    ["private 172.16/12", "https://172.16.5.4/decisions", "address"],
    ["private 192.168/16", "https://192.168.1.10/decisions", "address"],
    ["CGNAT", "https://100.64.0.1/", "address"],
    ["IPv6 loopback", "https://[::1]/decisions", "address"],
    ["IPv6 unspecified", "https://[::]/", "address"],
    ["IPv6 unique-local", "https://[fd12::1]/", "address"],
    ["IPv6 metadata", "https://[fd00:ec2::254]/", "address"],
    ["IPv4-mapped", "https://[::ffff:127.0.0.1]/", "address"],
    ["decimal IPv4", "https://2130706433/decisions", "address"],
    ["hex IPv4", "https://0x7f.1/decisions", "address"],
    ["octal IPv4", "https://017700000001/decisions", "address"],
    ["unspecified", "https://0.0.0.0/", "address"],
    ["plain http in production", "http://open.example.com/decisions", "scheme"],
  ])("%s: 422 invalid_body naming url, nothing stored", async (_label, url, reason) => {
    const response = await put(putEndpoint, tmallShop, { url });
    expect(response.status).toBe(422);
    const body = await response.json();
    expect(body.error.code).toBe("invalid_body");
    expect(body.error.issues).toEqual([{ path: "url", code: "outbound_refused", reason, message: zh.outboundGuard[reason as "address" | "scheme"] }]);
    expect(await endpointOf(tmallShop)).toBeNull();
  });

  it("a public https endpoint is saved", async () => {
    const response = await put(putEndpoint, tmallShop, { url: "https://93.184.215.14/decisions" });
    expect(response.status).toBe(200);
    expect(await endpointOf(tmallShop)).toBe("https://93.184.215.14/decisions");
  });

  it("with ALLOW_LOCAL_ENDPOINTS=1 a loopback endpoint (plain http too) is saved, a private one still refused", async () => {
    vi.stubEnv("ALLOW_LOCAL_ENDPOINTS", "1");
    expect((await put(putEndpoint, tmallShop, { url: "http://127.0.0.1:4010/decisions" })).status).toBe(200);
    expect(await endpointOf(tmallShop)).toBe("http://127.0.0.1:4010/decisions");
    expect((await put(putEndpoint, tmallShop, { url: "https://10.0.0.8/decisions" })).status).toBe(422);
    expect((await put(putEndpoint, tmallShop, { url: "http://2852039166/" })).status).toBe(422);
  });
});

describe("PUT …/platform-app refuses an apiBaseUrl or tmcUrl the outbound guard would refuse", () => {
  it.each([
    ["apiBaseUrl loopback", { apiBaseUrl: "https://127.0.0.1:8443/router/rest" }, [{ path: "apiBaseUrl", reason: "address" }]],
    ["apiBaseUrl metadata", { apiBaseUrl: "https://169.254.169.254/router/rest" }, [{ path: "apiBaseUrl", reason: "address" }]],
    ["apiBaseUrl decimal private", { apiBaseUrl: "https://167772161/router/rest" }, [{ path: "apiBaseUrl", reason: "address" }]],
    ["apiBaseUrl plain http", { apiBaseUrl: "http://eco.taobao.com/router/rest" }, [{ path: "apiBaseUrl", reason: "scheme" }]],
    ["tmcUrl IPv6 loopback", { tmcUrl: "wss://[::1]/" }, [{ path: "tmcUrl", reason: "address" }]],
    ["tmcUrl plain ws to another host", { tmcUrl: "ws://tmc.example.com/" }, [{ path: "tmcUrl", reason: "scheme" }]],
    [
      "both",
      { apiBaseUrl: "https://192.168.1.1/router/rest", tmcUrl: "wss://10.0.0.1/" },
      [
        { path: "apiBaseUrl", reason: "address" },
        { path: "tmcUrl", reason: "address" },
      ],
    ],
  ])("%s: 422 with typed issues, nothing stored", async (_label, urls, expected) => {
    const response = await put(putPlatformApp, taobaoShop, taobaoApp(urls));
    expect(response.status).toBe(422);
    const body = await response.json();
    expect(body.error.code).toBe("invalid_body");
    expect(body.error.issues.map(({ path, code, reason }: { path: string; code: string; reason: string }) => ({ path, code, reason }))).toEqual(expected.map((issue) => ({ ...issue, code: "outbound_refused" })));
    expect(await getPlatformAppForShop(db, taobaoShop)).toBeNull();
  });

  it("the platforms' own addresses (the defaults, and Taobao's plain-ws TMC) are saved", async () => {
    const response = await put(putPlatformApp, taobaoShop, taobaoApp({ tmcUrl: "ws://mc.api.taobao.com/" }));
    expect(response.status).toBe(200);
    expect(await getPlatformAppForShop(db, taobaoShop)).toMatchObject({ apiBaseUrl: "https://eco.taobao.com/router/rest", settings: { tmcUrl: "ws://mc.api.taobao.com/" } });
  });
});
