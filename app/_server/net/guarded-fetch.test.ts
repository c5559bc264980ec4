import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { WebSocketServer } from "ws";
import {
  createGuardedFetch,
  createPinnedLookup,
  openGuardedWebSocket,
  OutboundRefusedError,
  resolveOutboundTarget,
  type OutboundDeps,
  type ResolvedAddress,
  type Transport,
  type TransportRequest,
} from "@/app/_server/net/guarded-fetch";
import type { OutboundPolicy } from "@/lib/net/outbound-url";

// The guard with an injected resolver. No test here sends a packet anywhere but 127.0.0.1: public and private
// addresses only ever reach an injected transport, which records what it was asked and answers itself.

const production: OutboundPolicy = { allowLocal: false, isProduction: true };
const productionLocal: OutboundPolicy = { allowLocal: true, isProduction: true };
const development: OutboundPolicy = { allowLocal: false, isProduction: false };
const developmentLocal: OutboundPolicy = { allowLocal: true, isProduction: false };

const v4 = (address: string): ResolvedAddress => ({ address, family: 4 });
const v6 = (address: string): ResolvedAddress => ({ address, family: 6 });

/** A resolver from a fixed table; counts its calls. */
function fakeResolver(table: Record<string, ResolvedAddress[]>) {
  const calls: string[] = [];
  const resolve = async (hostname: string) => {
    calls.push(hostname);
    const found = table[hostname];
    if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
    return found;
  };
  return { resolve, calls };
}

/** Answers every request with `answer`; records each request and the address its pinned lookup gives. */
function recordingTransport(answer: (request: TransportRequest) => Response = () => new Response("ok", { status: 200 })) {
  const requests: { url: string; method: string; headers: Record<string, string>; body: string | null; pinned: unknown }[] = [];
  const transport: Transport = async (request) => {
    const pinned = await new Promise((resolve, reject) => request.lookup("any-name.example", { all: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))));
    requests.push({ url: request.url.href, method: request.method, headers: request.headers, body: request.body ? new TextDecoder().decode(request.body) : null, pinned });
    return answer(request);
  };
  return { transport, requests };
}

const table = {
  "open.example.test": [v4("93.184.215.14")],
  "dual.example.test": [v6("2400:3200::1"), v4("93.184.215.14")],
  "internal.example.test": [v4("127.0.0.1")],
  "metadata.example.test": [v4("169.254.169.254")],
  "mixed.example.test": [v4("93.184.215.14"), v4("10.0.0.5")],
  "mixed6.example.test": [v6("2400:3200::1"), v6("fd12::1")],
  "mapped.example.test": [v6("::ffff:192.168.1.1")],
  "empty.example.test": [],
  localhost: [v6("::1"), v4("127.0.0.1")],
};

function guardWith(policy: OutboundPolicy, answer?: (request: TransportRequest) => Response) {
  const resolver = fakeResolver(table);
  const recorded = recordingTransport(answer);
  const fetch = createGuardedFetch({ resolve: resolver.resolve, getPolicy: () => policy, transport: recorded.transport });
  return { fetch, resolverCalls: resolver.calls, requests: recorded.requests };
}

async function refusalOf(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(OutboundRefusedError);
  return { reason: (error as OutboundRefusedError).reason, message: (error as OutboundRefusedError).message };
}

describe("the guard with an injected resolver and transport", () => {
  it.each([
    ["a name resolving to 127.0.0.1", "https://internal.example.test/decisions"],
    ["a name resolving to the metadata address", "https://metadata.example.test/latest/meta-data/"],
    ["a name with one private address among public ones", "https://mixed.example.test/decisions"],
    ["a name with one unique-local IPv6 address among public ones", "https://mixed6.example.test/decisions"],
    ["a name resolving to an IPv4-mapped private address", "https://mapped.example.test/decisions"],
  ])("%s is refused before any connection, with the fixed sentence", async (_label, url) => {
    const guard = guardWith(production);
    expect(await refusalOf(guard.fetch(url, { method: "POST", body: "{}" }))).toEqual({ reason: "address", message: "目标地址不允许：内网/本机地址" });
    expect(guard.requests).toEqual([]);
    expect(guard.resolverCalls).toHaveLength(1);
  });

  it("a public address is called, pinned to the address that was checked", async () => {
    const guard = guardWith(production);
    const response = await guard.fetch("https://open.example.test/decisions?x=1", { method: "POST", headers: { "content-type": "application/json", "Idempotency-Key": "dec_1" }, body: '{"a":1}' });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("ok");
    expect(guard.resolverCalls).toEqual(["open.example.test"]);
    expect(guard.requests).toEqual([
      {
        url: "https://open.example.test/decisions?x=1",
        method: "POST",
        headers: { "content-type": "application/json", "idempotency-key": "dec_1", "user-agent": "shouhoutai", accept: "*/*", "content-length": "7" },
        body: '{"a":1}',
        pinned: [{ address: "93.184.215.14", family: 4 }],
      },
    ]);
  });

  it("every checked address of a dual-stack name is offered to the socket, and only those", async () => {
    const guard = guardWith(production);
    await guard.fetch("https://dual.example.test/");
    expect(guard.requests[0].pinned).toEqual([v6("2400:3200::1"), v4("93.184.215.14")]);
  });

  it("an IP literal is checked as it is written, without asking DNS", async () => {
    const guard = guardWith(production);
    await guard.fetch("https://8.8.8.8/x");
    expect(await refusalOf(guard.fetch("https://10.0.0.1/x"))).toMatchObject({ reason: "address" });
    expect(await refusalOf(guard.fetch("https://2852039166/x"))).toMatchObject({ reason: "address" });
    expect(await refusalOf(guard.fetch("https://[::ffff:127.0.0.1]/x"))).toMatchObject({ reason: "address" });
    expect(guard.resolverCalls).toEqual([]);
    expect(guard.requests.map((request) => request.pinned)).toEqual([[v4("8.8.8.8")]]);
  });

  it("plain http is refused in production before DNS; outside production it is allowed to a public address", async () => {
    const inProduction = guardWith(production);
    expect(await refusalOf(inProduction.fetch("http://open.example.test/"))).toEqual({ reason: "scheme", message: "目标地址不允许：生产环境只接受 https/wss 地址" });
    expect(inProduction.resolverCalls).toEqual([]);
    const inDevelopment = guardWith(development);
    expect((await inDevelopment.fetch("http://open.example.test/")).status).toBe(200);
    expect(await refusalOf(inDevelopment.fetch("http://internal.example.test/"))).toMatchObject({ reason: "address" });
  });

  it("a redirect is refused, never followed: a 302 to a private address reaches no second request", async () => {
    const guard = guardWith(production, () => new Response(null, { status: 302, headers: { location: "https://10.0.0.1/admin" } }));
    expect(await refusalOf(guard.fetch("https://open.example.test/decisions", { method: "POST", body: "{}", redirect: "follow" }))).toEqual({ reason: "redirect", message: "目标地址不允许：不跟随重定向" });
    expect(guard.requests.map((request) => request.url)).toEqual(["https://open.example.test/decisions"]);
  });

  it.each([301, 303, 307, 308])("%i is refused as a redirect too", async (status) => {
    const guard = guardWith(production, () => new Response(null, { status, headers: { location: "https://open.example.test/elsewhere" } }));
    expect(await refusalOf(guard.fetch("https://open.example.test/"))).toMatchObject({ reason: "redirect" });
  });

  it("a name that does not resolve fails as fetch does, without the resolver's words", async () => {
    const guard = guardWith(production);
    for (const url of ["https://unknown.example.test/", "https://empty.example.test/"]) {
      const error = await guard.fetch(url).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toBe("fetch failed");
    }
  });

  it("ALLOW_LOCAL_ENDPOINTS opens loopback names and literals, and nothing else", async () => {
    const guard = guardWith(productionLocal);
    expect((await guard.fetch("https://internal.example.test/decisions")).status).toBe(200);
    expect((await guard.fetch("http://127.0.0.1:4010/decisions")).status).toBe(200);
    expect((await guard.fetch("http://localhost:4010/decisions")).status).toBe(200);
    // In production plain http goes only to a loopback literal or localhost, decided before DNS
    expect(await refusalOf(guard.fetch("http://internal.example.test:4010/decisions"))).toMatchObject({ reason: "scheme" });
    expect((await guardWith(developmentLocal).fetch("http://internal.example.test:4010/decisions")).status).toBe(200);
    expect(await refusalOf(guard.fetch("https://metadata.example.test/"))).toMatchObject({ reason: "address" });
    expect(await refusalOf(guard.fetch("https://mixed.example.test/"))).toMatchObject({ reason: "address" });
    expect(await refusalOf(guard.fetch("http://open.example.test/"))).toMatchObject({ reason: "scheme" });
  });
});

describe("resolveOutboundTarget and the pinned lookup", () => {
  it("answers the checked addresses for any name, by family when one is asked", async () => {
    const deps: OutboundDeps = { resolve: fakeResolver(table).resolve, getPolicy: () => production };
    const target = await resolveOutboundTarget("wss://dual.example.test/tmc", "ws", deps);
    expect(target.addresses).toEqual([v6("2400:3200::1"), v4("93.184.215.14")]);
    const lookup = createPinnedLookup(target.addresses);
    const ask = (options: { all?: boolean; family?: number }) =>
      new Promise((resolve) => lookup("rebound.example.test", options, (error, address, family) => resolve(error ? (error as NodeJS.ErrnoException).code : [address, family])));
    expect(await ask({})).toEqual(["2400:3200::1", 6]);
    expect(await ask({ family: 4 })).toEqual(["93.184.215.14", 4]);
    expect(await ask({ all: true, family: 4 })).toEqual([[v4("93.184.215.14")], undefined]);
    expect(await ask({ all: true })).toEqual([[v6("2400:3200::1"), v4("93.184.215.14")], undefined]);
    expect(await ask({ family: 6 })).toEqual(["2400:3200::1", 6]);
    expect(await ask({ all: true, family: 6 })).toEqual([[v6("2400:3200::1")], undefined]);
    const onlyV4 = createPinnedLookup([v4("93.184.215.14")]);
    expect(await new Promise((resolve) => onlyV4("x", { family: 6 }, (error) => resolve((error as NodeJS.ErrnoException).code)))).toBe("ENOTFOUND");
  });
});

// ---- The real transport, against servers on 127.0.0.1 only

const servers: { close: () => void }[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

async function listen(handler: http.RequestListener) {
  const server = http.createServer(handler);
  let connections = 0;
  server.on("connection", () => connections++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push({ close: () => server.close() });
  return { port: (server.address() as AddressInfo).port, connections: () => connections };
}

const loopbackName = "desk-fake.example.test";
const localDeps = (policy: OutboundPolicy) => ({ resolve: fakeResolver({ [loopbackName]: [v4("127.0.0.1")] }).resolve, getPolicy: () => policy });

describe("the real transport (servers on 127.0.0.1)", () => {
  it("connects to the checked address, not to what DNS would say now: a name only the injected resolver knows reaches the local server", async () => {
    const seen: { host?: string; body: string; length?: string }[] = [];
    const server = await listen((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        seen.push({ host: request.headers.host, body: Buffer.concat(chunks).toString("utf8"), length: request.headers["content-length"] });
        response.writeHead(422, { "content-type": "application/json" }).end('{"error":"nope"}');
      });
    });
    const fetch = createGuardedFetch(localDeps(developmentLocal));
    const response = await fetch(`http://${loopbackName}:${server.port}/decisions`, { method: "POST", body: "签名的决定" });
    expect(response.status).toBe(422);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(await response.json()).toEqual({ error: "nope" });
    expect(seen).toEqual([{ host: `${loopbackName}:${server.port}`, body: "签名的决定", length: String(Buffer.byteLength("签名的决定")) }]);
  });

  it("without ALLOW_LOCAL_ENDPOINTS the same call never opens a connection", async () => {
    const server = await listen((_request, response) => response.end("should not be reached"));
    const fetch = createGuardedFetch(localDeps(development));
    for (const url of [`http://${loopbackName}:${server.port}/`, `http://127.0.0.1:${server.port}/`, `http://[::ffff:127.0.0.1]:${server.port}/`, `http://2130706433:${server.port}/`]) {
      expect(await refusalOf(fetch(url))).toMatchObject({ reason: "address" });
    }
    expect(server.connections()).toBe(0);
  });

  it("a redirect from the server is refused and its target never called", async () => {
    const target = await listen((_request, response) => response.end("secret"));
    const server = await listen((_request, response) => response.writeHead(307, { location: `http://127.0.0.1:${target.port}/` }).end());
    const fetch = createGuardedFetch(localDeps(productionLocal));
    expect(await refusalOf(fetch(`http://127.0.0.1:${server.port}/`, { method: "POST", body: "{}" }))).toMatchObject({ reason: "redirect" });
    expect(target.connections()).toBe(0);
  });

  it("a closed port fails as fetch does, and the port is not in the message", async () => {
    const closed = await listen(() => undefined);
    servers.pop()?.close();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const error = await createGuardedFetch(localDeps(productionLocal))(`http://127.0.0.1:${closed.port}/`).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe("fetch failed");
    expect(String(error)).not.toContain(String(closed.port));
  });

  it("a timeout rejects with the signal's reason, as fetch does", async () => {
    const server = await listen(() => undefined);
    const error = await createGuardedFetch(localDeps(productionLocal))(`http://127.0.0.1:${server.port}/`, { signal: AbortSignal.timeout(100) }).catch((caught: unknown) => caught);
    expect((error as Error).name).toBe("TimeoutError");
  });

  it("a 204 answers an empty body", async () => {
    const server = await listen((_request, response) => response.writeHead(204).end());
    const response = await createGuardedFetch(localDeps(productionLocal))(`http://127.0.0.1:${server.port}/`);
    expect(response.status).toBe(204);
    expect(await response.text()).toBe("");
  });
});

describe("the guarded WebSocket (TMC)", () => {
  it("connects pinned to the checked loopback address under ALLOW_LOCAL_ENDPOINTS; refused without, with no connection made", async () => {
    const wss = new WebSocketServer({ port: 0, host: "127.0.0.1" });
    servers.push({ close: () => wss.close() });
    await new Promise<void>((resolve) => wss.once("listening", resolve));
    const hosts: (string | undefined)[] = [];
    wss.on("connection", (socket, request) => {
      hosts.push(request.headers.host);
      socket.close();
    });
    const port = (wss.address() as AddressInfo).port;
    const socket = await openGuardedWebSocket(`ws://${loopbackName}:${port}/`, {}, localDeps(developmentLocal));
    await new Promise((resolve) => socket.once("close", resolve));
    expect(hosts).toEqual([`${loopbackName}:${port}`]);

    await expect(openGuardedWebSocket(`ws://${loopbackName}:${port}/`, {}, localDeps(development))).rejects.toMatchObject({ reason: "address" });
    await expect(openGuardedWebSocket(`ws://127.0.0.1:${port}/`, {}, localDeps(production))).rejects.toMatchObject({ reason: "scheme" });
    await expect(openGuardedWebSocket(`wss://127.0.0.1:${port}/`, {}, localDeps(production))).rejects.toMatchObject({ reason: "address" });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(hosts).toHaveLength(1);
  });

  it("the default policy reads ALLOW_LOCAL_ENDPOINTS at each call", async () => {
    vi.stubEnv("ALLOW_LOCAL_ENDPOINTS", "");
    await expect(resolveOutboundTarget("ws://127.0.0.1:1/", "ws")).rejects.toMatchObject({ reason: "address" });
    vi.stubEnv("ALLOW_LOCAL_ENDPOINTS", "1");
    await expect(resolveOutboundTarget("ws://127.0.0.1:1/", "ws")).resolves.toMatchObject({ addresses: [v4("127.0.0.1")] });
    vi.unstubAllEnvs();
  });
});
