import { eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { addPendingRequest, callRoute, expectApiError, expectNothingChanged, setUpRouteDesk, type Member } from "@/app/_server/test-support";
import { createShop } from "@/db/factories";
import { platformApps } from "@/db/schema-platforms";
import { outbox, shopPlatformEndpoints, shopWebhookSecrets } from "@/db/schema-webhooks";
import type { PlatformAppView } from "@/lib/platforms/connection";
import type { RotatedSecret } from "@/lib/webhook/settings-types";

vi.mock("server-only", () => ({}));

// The owner's platform-connection settings: every route is owner-only, and a shop outside the owner's merchant
// answers 404 like a missing one (app/api/settings/owner-shop.ts).
const { GET: getSettings } = await import("@/app/api/settings/webhooks/route");
const { POST: retryDelivery } = await import("@/app/api/settings/deliveries/[id]/retry/route");
const { POST: rotateSecret } = await import("@/app/api/settings/shops/[shopId]/secret/route");
const { PUT: putEndpoint } = await import("@/app/api/settings/shops/[shopId]/endpoint/route");
const { GET: getPlatformApp, PUT: putPlatformApp } = await import("@/app/api/settings/shops/[shopId]/platform-app/route");
const { POST: refreshToken } = await import("@/app/api/settings/shops/[shopId]/platform-app/refresh/route");
const { POST: decide } = await import("@/app/api/requests/[id]/decision/route");

const desk = setUpRouteDesk();

const douyinApp = { protocol: "douyin_push", appKey: "7012345678", appSecret: "unit-secret-douyin", platformShopId: "4463798", accessToken: "unit-token-douyin-1234" };

type ShopRoute = (request: Request, context: { params: Promise<{ shopId: string }> }) => Promise<Response>;
const shopCalls: [string, ShopRoute, "GET" | "POST" | "PUT", unknown][] = [
  ["POST secret", rotateSecret, "POST", undefined],
  ["PUT endpoint", putEndpoint, "PUT", { url: "https://93.184.215.14/decisions" }],
  ["GET platform-app", getPlatformApp, "GET", undefined],
  ["PUT platform-app", putPlatformApp, "PUT", douyinApp],
  ["POST platform-app/refresh", refreshToken, "POST", undefined],
];
const callShop = (route: ShopRoute, method: "GET" | "POST" | "PUT", json: unknown, as: Member | null, shopId: string) => callRoute(route, { as, method, params: { shopId }, json });

describe("every shop settings route", () => {
  it.each(shopCalls)("%s: 401 without a session, 403 for an agent, 400 for a bad shop id, 404 for another merchant's shop; nothing changes", async (_label, route, method, json) => {
    await expectApiError(await expectNothingChanged(desk.db, () => callShop(route, method, json, null, desk.shops.douyin)), 401, "unauthenticated");
    await expectApiError(await expectNothingChanged(desk.db, () => callShop(route, method, json, desk.agent, desk.shops.douyin)), 403, "forbidden");
    await expectApiError(await expectNothingChanged(desk.db, () => callShop(route, method, json, desk.owner, "douyin")), 400, "invalid_id");
    await expectApiError(await expectNothingChanged(desk.db, () => callShop(route, method, json, desk.owner, desk.other.shop)), 404, "not_found");
  });
});

describe("GET /api/settings/webhooks", () => {
  it("401 without a session, 403 for an agent", async () => {
    await expectApiError(await callRoute(getSettings, { as: null }), 401, "unauthenticated");
    await expectApiError(await callRoute(getSettings, { as: desk.agent }), 403, "forbidden");
  });

  it("answers the owner's connections, events and deliveries, none of another merchant's", async () => {
    const response = await callRoute(getSettings, { as: desk.owner });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { connections: { shopId: string }[]; events: unknown[]; deliveries: unknown[] };
    expect(body.connections.map((connection) => connection.shopId).sort()).toEqual([desk.shops.douyin, desk.shops.tmall].sort());
    expect(Array.isArray(body.events) && Array.isArray(body.deliveries)).toBe(true);
  });
});

describe("POST /api/settings/deliveries/:id/retry", () => {
  /** A decision whose delivery gave up (dead letter). */
  async function deadDelivery(as: Member, shopId: string): Promise<number> {
    const { requestId } = await addPendingRequest(desk.db, shopId);
    expect((await callRoute(decide, { as, method: "POST", params: { id: requestId }, json: { decision: "approve" } })).status).toBe(200);
    const [row] = await desk.db.update(outbox).set({ status: "dead", attempts: 8 }).where(eq(outbox.requestId, requestId)).returning({ id: outbox.id });
    return row.id;
  }

  it("401 without a session, 403 for an agent, 400 for an id that is no number; the delivery stays dead", async () => {
    const id = await deadDelivery(desk.agent, desk.shops.tmall);
    await expectApiError(await expectNothingChanged(desk.db, () => callRoute(retryDelivery, { as: null, method: "POST", params: { id: String(id) } })), 401, "unauthenticated");
    await expectApiError(await expectNothingChanged(desk.db, () => callRoute(retryDelivery, { as: desk.agent, method: "POST", params: { id: String(id) } })), 403, "forbidden");
    await expectApiError(await callRoute(retryDelivery, { as: desk.owner, method: "POST", params: { id: "first" } }), 400, "invalid_id");
  });

  it("404 for another merchant's delivery, which stays dead", async () => {
    const id = await deadDelivery(desk.other.owner, desk.other.shop);
    await expectApiError(await expectNothingChanged(desk.db, () => callRoute(retryDelivery, { as: desk.owner, method: "POST", params: { id: String(id) } })), 404, "not_found");
  });

  it("starts a fresh series of attempts for the owner's dead delivery; a second retry finds nothing dead (404)", async () => {
    const id = await deadDelivery(desk.agent, desk.shops.tmall);
    const response = await callRoute(retryDelivery, { as: desk.owner, method: "POST", params: { id: String(id) } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ id, status: "pending" });
    expect((await desk.db.select({ status: outbox.status, attempts: outbox.attempts }).from(outbox).where(eq(outbox.id, id)))[0]).toEqual({ status: "pending", attempts: 0 });
    await expectApiError(await callRoute(retryDelivery, { as: desk.owner, method: "POST", params: { id: String(id) } }), 404, "not_found");
  });
});

describe("POST /api/settings/shops/:shopId/secret", () => {
  it("answers the new secret once in clear and stores it sealed", async () => {
    const response = await callRoute(rotateSecret, { as: desk.owner, method: "POST", params: { shopId: desk.shops.tmall } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as RotatedSecret;
    expect(body.secret).toMatch(/^whsec_[0-9a-f]{48}$/);
    expect(body.maskedSecret).toBe(`••••${body.secret.slice(-4)}`);
    const stored = await desk.db.select({ secret: shopWebhookSecrets.secret }).from(shopWebhookSecrets).where(eq(shopWebhookSecrets.shopId, desk.shops.tmall));
    expect(stored).toHaveLength(1);
    expect(stored[0].secret).not.toContain(body.secret);
  });
});

describe("PUT /api/settings/shops/:shopId/endpoint", () => {
  it("422 invalid_body for a URL that is no http(s) URL, and nothing is stored", async () => {
    const response = await expectNothingChanged(desk.db, () => callRoute(putEndpoint, { as: desk.owner, method: "PUT", params: { shopId: desk.shops.tmall }, json: { url: "ftp://files.example.com/" } }));
    await expectApiError(response, 422, "invalid_body");
  });

  it("saves a public https endpoint", async () => {
    const response = await callRoute(putEndpoint, { as: desk.owner, method: "PUT", params: { shopId: desk.shops.tmall }, json: { url: "https://93.184.215.14/decisions" } });
    expect(response.status).toBe(200);
    expect(await desk.db.select({ url: shopPlatformEndpoints.url }).from(shopPlatformEndpoints).where(eq(shopPlatformEndpoints.shopId, desk.shops.tmall))).toEqual([
      { url: "https://93.184.215.14/decisions" },
    ]);
  });
});

describe("GET and PUT /api/settings/shops/:shopId/platform-app", () => {
  const put = (shopId: string, json: unknown) => callRoute(putPlatformApp, { as: desk.owner, method: "PUT", params: { shopId }, json });
  const appsOf = (shopId: string) => desk.db.select().from(platformApps).where(eq(platformApps.shopId, shopId));

  it.each([
    ["an app key that is not digits", { ...douyinApp, appKey: "abc" }],
    ["an unknown protocol", { ...douyinApp, protocol: "jd_push" }],
  ])("422 invalid_body for %s, and nothing is stored", async (_label, json) => {
    await expectApiError(await expectNothingChanged(desk.db, () => put(desk.shops.douyin, json)), 422, "invalid_body");
  });

  it("422 invalid_body naming the field when the protocol is not the shop platform's, or the first save has no secret", async () => {
    const wrongProtocol = await expectNothingChanged(desk.db, () => put(desk.shops.tmall, douyinApp));
    expect((await expectApiError(wrongProtocol, 422, "invalid_body")).issues).toEqual([{ path: "protocol", message: expect.any(String) }]);
    const noSecret = await expectNothingChanged(desk.db, () => put(desk.shops.douyin, { ...douyinApp, appSecret: "" }));
    expect((await expectApiError(noSecret, 422, "invalid_body")).issues).toEqual([{ path: "appSecret", message: expect.any(String) }]);
  });

  it("saves the app and answers it with its secrets masked; another shop connecting the same platform shop is 409 conflict", async () => {
    const empty = await callRoute(getPlatformApp, { as: desk.owner, params: { shopId: desk.shops.douyin } });
    expect(await empty.json()).toEqual({ app: null });

    const saved = await put(desk.shops.douyin, douyinApp);
    expect(saved.status).toBe(200);
    const { app } = (await saved.json()) as { app: PlatformAppView };
    expect(app).toMatchObject({ shopId: desk.shops.douyin, protocol: "douyin_push", appKey: "7012345678", platformShopId: "4463798", secrets: { appSecret: "••••uyin" } });
    expect(JSON.stringify(app)).not.toContain("unit-secret-douyin");
    expect(await appsOf(desk.shops.douyin)).toHaveLength(1);

    const read = (await (await callRoute(getPlatformApp, { as: desk.owner, params: { shopId: desk.shops.douyin } })).json()) as { app: PlatformAppView };
    expect(read.app.secrets.accessToken).toBe("••••1234");

    const secondShop = await createShop(desk.db, { merchantId: desk.merchantId, platform: "douyin", name: "A 抖音二店" });
    const taken = await expectNothingChanged(desk.db, () => put(secondShop, douyinApp));
    await expectApiError(taken, 409, "conflict");
    expect(await appsOf(secondShop)).toEqual([]);
  });
});
