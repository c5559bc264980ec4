import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createGuardedFetch } from "@/app/_server/net/guarded-fetch";
import { maxPlatformAnswerBytes, readResponseWithin, ResponseTooLargeError } from "@/app/_server/net/read-response";
import { seedDueDecision } from "@/app/_server/net/due-decision.fixture";
import { deliverDueDecisions, type SenderDeps } from "@/app/_server/outbox-sender";
import { performCall, type ClientDeps } from "@/app/_server/platforms/client";
import { runAnswerCalls } from "@/app/_server/platforms/run-calls";
import { type Db } from "@/db/client";
import { setShopEndpoint } from "@/db/queries/webhooks";
import type { OutboundPolicy } from "@/lib/net/outbound-url";
import type { PlatformCall } from "@/lib/platforms/types";
import { contractBodyLimit } from "@/lib/webhook/answer-refusal";

// Every answer to an outbound call is read within a cap (docs/security.md, "Outbound calls"): against a real
// local server that sends more than the cap, the read stops there, the connection is let go, and the error is a
// transport one.

const now = new Date("2026-11-20T02:00:00.000Z");
const productionLocal: OutboundPolicy = { allowLocal: true, isProduction: true };
const guardedFetch = createGuardedFetch({ getPolicy: () => productionLocal });
const chunk = Buffer.alloc(64 * 1024, 0x61);

type Served = { url: string; connectionClosed: Promise<void> };
const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

/** A server on 127.0.0.1 answering every request with `answer`; `connectionClosed` settles when the client lets go. */
async function serve(answer: (response: http.ServerResponse) => void): Promise<Served> {
  let onClosed = () => {};
  const connectionClosed = new Promise<void>((resolve) => (onClosed = resolve));
  const server = http.createServer((request, response) => {
    request.resume();
    response.socket?.once("close", onClosed);
    answer(response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(() => server.close());
  closers.push(() => server.closeAllConnections());
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/router/rest`, connectionClosed };
}

/** Chunked bytes for as long as the client reads: without a cap, a read never ends. */
function sendForever(response: http.ServerResponse, status = 200) {
  response.writeHead(status, { "content-type": "application/json" });
  const pump = () => {
    while (!response.destroyed && response.write(chunk));
    if (!response.destroyed) response.once("drain", pump);
  };
  pump();
}

/** A finished, valid JSON answer of about `bytes`, chunked with no Content-Length. */
function sendJsonOf(bytes: number) {
  return (response: http.ServerResponse) => {
    response.writeHead(200, { "content-type": "application/json" });
    response.write('{"pad":"');
    for (let sent = 0; sent < bytes; sent += chunk.byteLength) response.write(chunk);
    response.end('"}');
  };
}

/** A response whose body counts what its reader pulled. */
async function countingFetch(url: string) {
  const response = await guardedFetch(url);
  let pulled = 0;
  const counter = new TransformStream<Uint8Array, Uint8Array>({
    transform(bytes, controller) {
      pulled += bytes.byteLength;
      controller.enqueue(bytes);
    },
  });
  return { response: new Response(response.body!.pipeThrough(counter), { headers: response.headers }), pulled: () => pulled };
}

describe("readResponseWithin", () => {
  it("stops an endless chunked answer at the cap, throws ResponseTooLargeError and lets the connection go", async () => {
    const served = await serve((response) => sendForever(response));
    const cap = 1024 * 1024;
    const { response, pulled } = await countingFetch(served.url);
    await expect(readResponseWithin(response, cap)).rejects.toBeInstanceOf(ResponseTooLargeError);
    // The cap, the chunk that crossed it, and what the stream had queued: never much past the cap
    expect(pulled()).toBeGreaterThan(cap);
    expect(pulled()).toBeLessThanOrEqual(cap + 4 * chunk.byteLength);
    await served.connectionClosed;
  });

  it("refuses a declared Content-Length over the cap before reading a byte", async () => {
    const served = await serve((response) => {
      response.writeHead(200, { "content-length": String(8 * 1024 * 1024) });
      // The rest never comes: waiting for it would hang the read
      response.write("{");
    });
    const { response, pulled } = await countingFetch(served.url);
    await expect(readResponseWithin(response, 1024)).rejects.toThrow(ResponseTooLargeError);
    expect(pulled()).toBeLessThanOrEqual(1);
    await served.connectionClosed;
  });

  it("reads an answer of exactly the cap whole", async () => {
    const served = await serve((response) => response.end(Buffer.alloc(4096, 0x62)));
    const bytes = await readResponseWithin(await guardedFetch(served.url), 4096);
    expect(bytes.byteLength).toBe(4096);
  });
});

describe("performCall reads a platform's answer within maxPlatformAnswerBytes", () => {
  const deps: ClientDeps = { fetch: guardedFetch, now: () => now, timeoutMs: 20_000 };
  const call = (url: string): PlatformCall => ({ method: "POST", url, headers: { "content-type": "application/json" }, body: "{}" });

  it("a valid JSON answer just past the cap is refused, not parsed", async () => {
    const served = await serve(sendJsonOf(maxPlatformAnswerBytes));
    await expect(performCall(deps, call(served.url))).rejects.toBeInstanceOf(ResponseTooLargeError);
  });

  it("an answer that never ends is cut at the cap, well before the call's timeout", async () => {
    const served = await serve((response) => sendForever(response));
    const error = await performCall(deps, call(served.url)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect((error as ResponseTooLargeError).maxBytes).toBe(maxPlatformAnswerBytes);
    await served.connectionClosed;
  });

  it("a large answer under the cap still parses", async () => {
    const served = await serve(sendJsonOf(maxPlatformAnswerBytes - 2 * chunk.byteLength));
    const answer = (await performCall(deps, call(served.url))) as { pad: string };
    expect(answer.pad.length).toBeGreaterThan(maxPlatformAnswerBytes - 3 * chunk.byteLength);
  });

  it("an answer over the cap is a transient failure, like a network error, never the platform's refusal", async () => {
    const served = await serve((response) => sendForever(response));
    const outcome = await runAnswerCalls(deps, [call(served.url)], () => null);
    expect(outcome).toMatchObject({ ok: false, refused: false });
    expect(outcome.ok ? "" : "error" in outcome ? outcome.error : "").toMatch(/^ResponseTooLargeError: /);
  });
});

describe("the outbox reads a decision endpoint's refusal within contractBodyLimit", () => {
  let db: Db;
  let shopId: string;

  beforeEach(async () => {
    ({ db, shopId } = await seedDueDecision(now));
  });

  it("a 422 whose body never ends: the read stops at the cap and the status alone refuses", async () => {
    expect(contractBodyLimit).toBeLessThan(chunk.byteLength * 4);
    const served = await serve((response) => sendForever(response, 422));
    await setShopEndpoint(db, shopId, served.url, now);
    const deps: SenderDeps = { fetch: guardedFetch, random: () => 0, now: () => now, timeoutMs: 20_000 };
    expect(await deliverDueDecisions(db, deps)).toEqual({ delivered: 0, retrying: 0, refused: 1, dead: 0 });
    await served.connectionClosed;
  });
});
