import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { createPlatformReceiver, type PlatformReceiver } from "@/app/_server/platform-receiver";
import { handleWebhookPost } from "@/app/api/platforms/[platform]/events/handle-event";
import { openDb, type Db } from "@/db/client";
import { createMerchant, createShop } from "@/db/factories";
import { rotateShopSecret } from "@/db/queries/webhooks";
import { maxWebhookBodyBytes } from "@/lib/webhook/events";
import { getSignedHeaders } from "@/lib/webhook/signature";
import { apiSecurityHeaders } from "@/lib/security-headers";
import { createPlatformEventsListener } from "./platform-events.mjs";

const now = new Date("2026-11-20T02:05:00.000Z");
const secret = "local-demo-secret-test";
const eventsPath = "/api/platforms/tmall/events";

let db: Db;
let tmall: string;
let receiver: PlatformReceiver | undefined;
let fallbackCalls: string[];
let loggedErrors: unknown[];
let server: http.Server;
let baseUrl: string;

beforeEach(async () => {
  db = openDb(":memory:");
  const merchant = await createMerchant(db, "A");
  tmall = await createShop(db, { merchantId: merchant, platform: "tmall", name: "A 天猫店" });
  await rotateShopSecret(db, tmall, secret, new Date(0));
  receiver = createPlatformReceiver(() => db, () => now);
  fallbackCalls = [];
  loggedErrors = [];
  // Stands in for Next's handler: answers 299 so a test sees which side took the request
  const fallback: http.RequestListener = (request, response) => {
    fallbackCalls.push(`${request.method} ${request.url}`);
    request.resume();
    response.writeHead(299).end("next");
  };
  server = http.createServer(createPlatformEventsListener({ getReceiver: () => receiver, fallback, logError: (...values) => loggedErrors.push(values) }));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function createdEvent(id: string) {
  return {
    id,
    type: "request.created",
    occurredAt: "2026-11-20T02:00:00.000Z",
    data: {
      requestId: "7301500100200300401",
      kind: "refund_only",
      order: {
        orderId: "3723456789012345678",
        category: "apparel",
        title: "羊毛围巾 灰色",
        amountFen: 8900,
        completedAt: "2026-11-10T10:00:00+08:00",
        supportedKinds: ["refund_only"],
        priorRefund: "none",
      },
      buyer: { id: "2200123456789", nick: "买家小王" },
      reasonCode: "quality_issue",
      evidence: [],
      amountFen: 8900,
    },
  };
}

function post(path: string, rawBody: string, headers: Record<string, string> = {}, method = "POST") {
  const signed = getSignedHeaders(tmall, secret, now, rawBody);
  return fetch(`${baseUrl}${path}`, { method, body: method === "GET" ? undefined : rawBody, headers: { "content-type": "application/json", ...signed, ...headers } });
}

async function countEvents() {
  const [row] = await db.select({ events: sql<number>`(select count(*) from webhook_events)` }).from(sql`(select 1)`);
  return row.events;
}

/** Sends `bytes` of a chunked body without ending it; resolves with the answer, or "no answer" after 2 s. */
function postChunkedWithoutEnd(bytes: number): Promise<{ status?: number; connection?: string; body: string } | "no answer"> {
  return new Promise((resolve) => {
    const request = http.request(`${baseUrl}${eventsPath}`, { method: "POST", headers: { "transfer-encoding": "chunked" } }, (response) => {
      let body = "";
      response.on("data", (chunk) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode, connection: response.headers.connection, body }));
    });
    request.on("error", () => resolve("no answer"));
    request.write("x".repeat(bytes));
    setTimeout(() => {
      request.destroy();
      resolve("no answer");
    }, 2_000).unref();
  });
}

describe("the node:http layer takes", () => {
  it("a signed event: 200 and stored; the same again: 200 duplicate; Next never sees them", async () => {
    const rawBody = JSON.stringify(createdEvent("evt_1"));
    const first = await post(eventsPath, rawBody);
    expect(first.status).toBe(200);
    expect(first.headers.get("cache-control")).toBe("no-store");
    expect(first.headers.get("content-type")).toBe("application/json");
    expect(await first.json()).toEqual({ received: true, duplicate: false });
    expect(await countEvents()).toBe(1);
    const again = await post(`${eventsPath}?attempt=2`, rawBody);
    expect(await again.json()).toEqual({ received: true, duplicate: true });
    expect(await countEvents()).toBe(1);
    expect(fallbackCalls).toEqual([]);
  });

  it.each([
    ["a bad signature", { "X-Signature": "00" }, JSON.stringify(createdEvent("evt_1"))],
    ["a timestamp 301 s old", { "X-Timestamp": String(now.getTime() / 1000 - 301) }, JSON.stringify(createdEvent("evt_1"))],
    ["a schema error", {}, JSON.stringify({ ...createdEvent("evt_1"), data: { ...createdEvent("evt_1").data, amountFen: -1 } })],
    ["not JSON", {}, "{nope"],
  ])("%s: the same status and body as the Next route's handler", async (_label, headers, rawBody) => {
    const viaNode = await post(eventsPath, rawBody, headers);
    const signed = getSignedHeaders(tmall, secret, now, rawBody);
    const viaRoute = await handleWebhookPost(db, new Request(`${baseUrl}${eventsPath}`, { method: "POST", body: rawBody, headers: { ...signed, ...headers } }), "tmall", now);
    expect(viaNode.status).toBe(viaRoute.status);
    expect(viaNode.status).toBeGreaterThanOrEqual(400);
    expect(await viaNode.json()).toEqual(await viaRoute.json());
    expect(await countEvents()).toBe(0);
  });

  it("every platform the contract knows", async () => {
    for (const platform of receiver!.platforms) expect((await post(`/api/platforms/${platform}/events`, "{}")).status).not.toBe(299);
    expect(fallbackCalls).toEqual([]);
  });
});

describe("Next keeps", () => {
  it.each([
    ["GET", eventsPath],
    ["PUT", eventsPath],
    ["POST", `${eventsPath}/`],
    ["POST", "/api/platforms/jd/events"],
    ["POST", "/api/platforms/TMALL/events"],
    ["POST", "/api/platforms/tmall/events/extra"],
    ["POST", "/api/platforms/tmall"],
    ["POST", `/prefix${eventsPath}`],
    ["POST", "/api/requests"],
    // The platforms' own pushes are Next's routes, which read within the same 256 KiB (app/_server/read-body.ts)
    ["POST", "/api/platforms/douyin/push"],
    ["POST", "/api/platforms/wechat/push"],
  ])("%s %s", async (method, path) => {
    const response = await post(path, "{}", {}, method);
    expect(response.status).toBe(299);
    expect(fallbackCalls).toEqual([`${method} ${path}`]);
  });

  it("the events POST itself while no receiver is published (instrumentation has not run)", async () => {
    receiver = undefined;
    expect((await post(eventsPath, JSON.stringify(createdEvent("evt_1")))).status).toBe(299);
    expect(fallbackCalls).toEqual([`POST ${eventsPath}`]);
  });
});

describe("the body cap", () => {
  it("a declared length over 256 KiB: 413 before the body is read, and the connection closes", async () => {
    const rawBody = "x".repeat(maxWebhookBodyBytes + 1);
    const response = await post(eventsPath, rawBody);
    expect(response.status).toBe(413);
    expect(response.headers.get("connection")).toBe("close");
    expect((await response.json()).error.code).toBe("payload_too_large");
  });

  it("a chunked body past 256 KiB: 413 while the client is still sending", async () => {
    const answer = await postChunkedWithoutEnd(maxWebhookBodyBytes + 1);
    expect(answer).toMatchObject({ status: 413, connection: "close" });
    expect(answer !== "no answer" && JSON.parse(answer.body).error.code).toBe("payload_too_large");
  });

  it("exactly 256 KiB is read and judged (unsigned: 401, not 413)", async () => {
    const response = await post(eventsPath, "x".repeat(maxWebhookBodyBytes), { "X-Signature": "00" });
    expect(response.status).toBe(401);
  });
});

describe("the security headers", () => {
  function expectSecurityHeaders(response: Response) {
    for (const [name, value] of Object.entries(apiSecurityHeaders)) expect(response.headers.get(name), name).toBe(value);
  }

  it.each([
    ["a stored event", {}, () => JSON.stringify(createdEvent("evt_h")), 200],
    ["a bad signature", { "X-Signature": "00" }, () => JSON.stringify(createdEvent("evt_h")), 401],
    ["a body over the cap", {}, () => "x".repeat(maxWebhookBodyBytes + 1), 413],
  ])("on %s, as Next puts them on the route's answers", async (_label, headers, makeBody, status) => {
    const response = await post(eventsPath, makeBody(), headers);
    expect(response.status).toBe(status);
    expectSecurityHeaders(response);
  });

  it("on the 500 of a throw", async () => {
    receiver = { ...receiver!, receive: () => Promise.reject(new Error("disk full")) };
    const response = await post(eventsPath, JSON.stringify(createdEvent("evt_h")));
    expect(response.status).toBe(500);
    expectSecurityHeaders(response);
  });
});

describe("a throw", () => {
  it("answers 500 with the typed error body and is logged", async () => {
    receiver = { ...receiver!, receive: () => Promise.reject(new Error("disk full")) };
    const response = await post(eventsPath, JSON.stringify(createdEvent("evt_1")));
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: { code: "internal_error", message: expect.any(String) } });
    expect(loggedErrors).toHaveLength(1);
  });
});
