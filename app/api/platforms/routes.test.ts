import { describe, expect, it, vi } from "vitest";
import { appUrl, expectApiError, expectNothingChanged, setUpRouteDesk } from "@/app/_server/test-support";
import { webhookHeaders } from "@/lib/webhook/signature";

vi.mock("server-only", () => ({}));

// The platforms' receivers sign instead of holding a session. Their rules are tested on the handlers beside them
// (handle-event.test.ts, handle-push.test.ts); here the routes themselves: an unsigned call is refused and stores nothing.
const { POST: postEvent } = await import("@/app/api/platforms/[platform]/events/route");
const { POST: postDouyin } = await import("@/app/api/platforms/douyin/push/route");
const { GET: checkWechatUrl, POST: postWechat } = await import("@/app/api/platforms/wechat/push/route");
const { GET: getOpenApi } = await import("@/app/api/openapi.json/route");

const desk = setUpRouteDesk();
const post = (path: string, body: string) => new Request(`${appUrl}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body });

describe("the platform receivers", () => {
  it("POST /api/platforms/:platform/events: 404 for an unknown platform, 401 bad_signature unsigned; nothing stored", async () => {
    await expectApiError(await expectNothingChanged(desk.db, () => postEvent(post("/api/platforms/jd/events", "{}"), { params: Promise.resolve({ platform: "jd" }) })), 404, "not_found");
    const unsigned = post("/api/platforms/tmall/events", "{}");
    unsigned.headers.set(webhookHeaders.timestamp, String(Math.floor(Date.now() / 1000)));
    unsigned.headers.set(webhookHeaders.shopId, desk.shops.tmall);
    const response = await expectNothingChanged(desk.db, () => postEvent(unsigned, { params: Promise.resolve({ platform: "tmall" }) }));
    await expectApiError(response, 401, "bad_signature");
  });

  it("POST /api/platforms/douyin/push: 401 for an unsigned push, nothing stored", async () => {
    const response = await expectNothingChanged(desk.db, () => postDouyin(post("/api/platforms/douyin/push", "[]")));
    expect(response.status).toBe(401);
  });

  it("GET and POST /api/platforms/wechat/push: 401 unsigned, nothing stored", async () => {
    expect((await checkWechatUrl(new Request(`${appUrl}/api/platforms/wechat/push?echostr=hello&signature=x&timestamp=1&nonce=2`))).status).toBe(401);
    const response = await expectNothingChanged(desk.db, () => postWechat(post("/api/platforms/wechat/push?signature=x&timestamp=1&nonce=2", "{}")));
    expect(response.status).toBe(401);
  });
});

describe("GET /api/openapi.json", () => {
  it("is public and names the server it was asked on", async () => {
    const response = getOpenApi(new Request("https://desk.example.com/api/openapi.json"));
    expect(response.status).toBe(200);
    const document = (await response.json()) as { openapi: string; servers: { url: string }[] };
    expect(document.openapi).toMatch(/^3\./);
    expect(JSON.stringify(document.servers)).toContain("https://desk.example.com");
  });
});
