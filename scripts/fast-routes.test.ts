import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { addPendingRequest, callRoute, setUpRouteDesk, type Member } from "@/app/_server/test-support";
import { bodyLimits } from "@/lib/body-limits";
import { apiSecurityHeaders } from "@/lib/security-headers";
import { createFastRoutesListener } from "./fast-routes.mjs";

vi.mock("server-only", () => ({}));

// The decision route answered by node:http in front of Next (docs/decisions/0011-decisions-on-the-fast-path.md):
// the same answers as the route called the way Next calls it, the API's security headers, everything else to Next.

const { fastRoutes } = await import("@/app/_server/fast-routes");
const { POST: postDecision } = await import("@/app/api/requests/[id]/decision/route");
const desk = setUpRouteDesk();

let server: http.Server;
let baseUrl: string;
const fallbackCalls: string[] = [];
/** The body each request handed to the stand-in for Next carried, as Next would read it, with its framing headers. */
const fallbackBodies: { body: string; contentLength?: string; transferEncoding?: string }[] = [];
const loggedErrors: unknown[] = [];
let routes = fastRoutes;

beforeAll(async () => {
  // Stands in for Next: answers 299 so a test sees which side took the request
  const fallback: http.RequestListener = (request, response) => {
    fallbackCalls.push(`${request.method} ${request.url}`);
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      fallbackBodies.push({ body: Buffer.concat(chunks).toString("latin1"), contentLength: request.headers["content-length"], transferEncoding: request.headers["transfer-encoding"] });
      response.writeHead(299).end("next");
    });
  };
  server = http.createServer(createFastRoutesListener({ getRoutes: () => routes, fallback, logError: (...values: unknown[]) => loggedErrors.push(values) }));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const decide = (id: string, options: { as?: Member | null; body?: string; origin?: string } = {}) =>
  fetch(`${baseUrl}/api/requests/${id}/decision`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      origin: options.origin ?? baseUrl,
      ...(options.as === null ? {} : { cookie: (options.as ?? desk.agent).cookie }),
    },
    body: options.body ?? JSON.stringify({ decision: "approve" }),
  });

describe("decisions on the node:http fast path", () => {
  it("decides a card with the route's own answer, and the API's security headers", async () => {
    const { requestId } = await addPendingRequest(desk.db, desk.shops.tmall);
    const response = await decide(requestId);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { card: { id: string; status: string; decidedBy: { id: string } } };
    expect(body.card).toMatchObject({ id: requestId, status: "approved", decidedBy: { id: desk.agent.id } });
    for (const [name, value] of Object.entries(apiSecurityHeaders)) expect(response.headers.get(name)).toBe(value);
    expect(fallbackCalls).toEqual([]);
  });

  it("answers what the route answers through Next: the loser of a race, no session, another origin, another merchant's card", async () => {
    const { requestId } = await addPendingRequest(desk.db, desk.shops.tmall);
    expect((await decide(requestId)).status).toBe(200);
    const viaNext = await callRoute(postDecision, { as: desk.owner, method: "POST", params: { id: requestId }, json: { decision: "approve" } });
    const viaFastPath = await decide(requestId, { as: desk.owner });
    expect(viaFastPath.status).toBe(viaNext.status);
    expect(((await viaFastPath.json()) as { error: { code: string } }).error.code).toBe(((await viaNext.json()) as { error: { code: string } }).error.code);
    expect(viaFastPath.status).toBe(409);

    const fresh = await addPendingRequest(desk.db, desk.shops.tmall);
    const badBody = await decide(fresh.requestId, { body: JSON.stringify({ decision: "reject" }) });
    expect([badBody.status, ((await badBody.json()) as { error: { code: string } }).error.code]).toEqual([422, "invalid_body"]);
    expect(((await (await decide(fresh.requestId, { as: null })).json()) as { error: { code: string } }).error.code).toBe("unauthenticated");
    const crossOrigin = await decide(fresh.requestId, { origin: "https://evil.example" });
    expect(crossOrigin.status).toBe(403);
    const other = await addPendingRequest(desk.db, desk.other.shop);
    expect((await decide(other.requestId)).status).toBe(404);
    expect((await decide("not-an-id")).status).toBe(400);
  });

  it("reads the body through the route's cap: past it 413 and the connection closes", async () => {
    const { requestId } = await addPendingRequest(desk.db, desk.shops.tmall);
    const response = await decide(requestId, { body: JSON.stringify({ decision: "approve", message: "x".repeat(bodyLimits.json + 10) }) });
    expect(response.status).toBe(413);
    expect(response.headers.get("connection")).toBe("close");
  });

  it("leaves every other request to Next: another method, another path, a path with more after it", async () => {
    fallbackCalls.length = 0;
    expect((await fetch(`${baseUrl}/api/requests/req_1/decision`)).status).toBe(299);
    expect((await fetch(`${baseUrl}/api/requests/req_1/undo`, { method: "POST", body: "{}" })).status).toBe(299);
    expect((await fetch(`${baseUrl}/api/requests/req_1/decision/x`, { method: "POST", body: "{}" })).status).toBe(299);
    expect(fallbackCalls).toEqual(["GET /api/requests/req_1/decision", "POST /api/requests/req_1/undo", "POST /api/requests/req_1/decision/x"]);
  });

  it("a page POST declaring more than the Server Actions cap is refused 413 before Next reads it; a smaller one goes to Next", async () => {
    fallbackCalls.length = 0;
    fallbackBodies.length = 0;
    const tooLarge = await fetch(`${baseUrl}/login`, { method: "POST", headers: { "content-type": "multipart/form-data; boundary=x" }, body: "x".repeat(bodyLimits.serverAction + 1) });
    expect(tooLarge.status).toBe(413);
    expect(((await tooLarge.json()) as { error: { code: string } }).error.code).toBe("payload_too_large");
    expect(tooLarge.headers.get("connection")).toBe("close");
    expect((await fetch(`${baseUrl}/login`, { method: "POST", body: "x".repeat(bodyLimits.serverAction) })).status).toBe(299);
    expect(fallbackBodies).toEqual([{ body: "x".repeat(bodyLimits.serverAction), contentLength: String(bodyLimits.serverAction), transferEncoding: undefined }]);
    // An API route's own cap answers for it, not this one
    expect((await fetch(`${baseUrl}/api/other`, { method: "POST", body: "x".repeat(bodyLimits.serverAction + 1) })).status).toBe(299);
    expect(fallbackCalls).toEqual(["POST /login", "POST /api/other"]);
  });

  it("a chunked page body is counted as it arrives: past the cap 413 and the connection closes, nothing reaching Next; within it Next gets every byte", async () => {
    fallbackCalls.length = 0;
    fallbackBodies.length = 0;
    const chunked = (chunks: string[]) => ({
      method: "POST",
      duplex: "half",
      body: new ReadableStream<Uint8Array>({
        start(controller) {
          for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
          controller.close();
        },
      }),
    });
    const half = "y".repeat(bodyLimits.serverAction / 2);
    const tooLarge = await fetch(`${baseUrl}/inbox`, chunked([half, half, "z"]) as RequestInit);
    expect(tooLarge.status).toBe(413);
    expect(((await tooLarge.json()) as { error: { code: string } }).error.code).toBe("payload_too_large");
    expect(tooLarge.headers.get("connection")).toBe("close");
    expect(fallbackCalls).toEqual([]);

    const withinCap = await fetch(`${baseUrl}/inbox?x=1`, { ...chunked([half, half]), method: "PUT" } as RequestInit);
    expect(withinCap.status).toBe(299);
    expect(fallbackCalls).toEqual(["PUT /inbox?x=1"]);
    expect(fallbackBodies).toEqual([{ body: half + half, contentLength: String(bodyLimits.serverAction), transferEncoding: undefined }]);
  });

  it("a route that throws answers 500 in the API's error shape and is logged", async () => {
    routes = { ...fastRoutes, routes: [{ ...fastRoutes.routes[0], handler: async () => Promise.reject(new Error("boom")) }] };
    try {
      const response = await decide("req_anything");
      expect(response.status).toBe(500);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("internal_error");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(loggedErrors).toHaveLength(1);
    } finally {
      routes = fastRoutes;
    }
  });
});
