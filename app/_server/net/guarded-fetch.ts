import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { Readable } from "node:stream";
import WebSocket from "ws";
import {
  checkOutboundUrl,
  classifyAddress,
  getOutboundPolicy,
  isAddressAllowed,
  isRedirectStatus,
  outboundRefusalText,
  type OutboundPolicy,
  type OutboundRefusal,
  type OutboundUse,
} from "@/lib/net/outbound-url";

// The one outbound guard (docs/security.md "Outbound calls"): every call the desk makes to an address an owner can
// set (the decision endpoint, a platform's API base URL, the TMC WebSocket) goes through here. It checks the URL
// (lib/net/outbound-url.ts), resolves the host once and refuses when ANY address is refused, then connects only to
// the addresses it checked (a pinned `lookup`, so a DNS answer that changes between check and connect is never
// used), and follows no redirect: a 3xx redirect is itself a refusal.

/** A refused call. Its message is a fixed Chinese sentence: nothing about the socket, port or address is in it. */
export class OutboundRefusedError extends Error {
  constructor(readonly reason: OutboundRefusal) {
    super(outboundRefusalText[reason]);
    this.name = "OutboundRefusedError";
  }
}

export type ResolvedAddress = { address: string; family: number };
/** All addresses a host name resolves to (dns.lookup, the resolver sockets use). */
export type Resolve = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolve: Resolve = (hostname) => dns.promises.lookup(hostname, { all: true, verbatim: true });

export type OutboundDeps = {
  resolve: Resolve;
  /** Read at each call: NODE_ENV and ALLOW_LOCAL_ENDPOINTS (lib/net/outbound-url.ts getOutboundPolicy). */
  getPolicy: () => OutboundPolicy;
};

export const defaultOutboundDeps: OutboundDeps = { resolve: systemResolve, getPolicy: () => getOutboundPolicy(process.env) };

export type OutboundTarget = { url: URL; addresses: ResolvedAddress[] };

const familyOf = (address: string) => (address.includes(":") ? 6 : 4);

/** Waits for `promise` unless `signal` aborts first (dns.lookup itself cannot be aborted). */
function raceSignal<T>(promise: Promise<T>, signal: AbortSignal | null | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/**
 * The checked addresses to connect to for `raw`, or an OutboundRefusedError. A name that does not resolve
 * rejects with the resolver's own error (ENOTFOUND), as a connection would.
 */
export async function resolveOutboundTarget(raw: string, use: OutboundUse, deps: OutboundDeps = defaultOutboundDeps, signal?: AbortSignal | null): Promise<OutboundTarget> {
  const policy = deps.getPolicy();
  const checked = checkOutboundUrl(raw, use, policy);
  if (!checked.ok) throw new OutboundRefusedError(checked.reason);
  const addresses = classifyAddress(checked.hostname) ? [{ address: checked.hostname, family: familyOf(checked.hostname) }] : await raceSignal(deps.resolve(checked.hostname), signal);
  if (addresses.length === 0) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${checked.hostname}`), { code: "ENOTFOUND" });
  // One refused address refuses the host: a connection may go to any of them
  const isEveryAllowed = addresses.every(({ address }) => isAddressAllowed(classifyAddress(address) ?? "reserved", policy));
  if (!isEveryAllowed) throw new OutboundRefusedError("address");
  return { url: checked.url, addresses };
}

/** A socket `lookup` that answers only the checked addresses, whatever name it is asked about. */
export function createPinnedLookup(addresses: readonly ResolvedAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const family = typeof options === "object" ? options.family : undefined;
    const wanted = family === 4 || family === 6 ? addresses.filter((entry) => entry.family === family) : addresses;
    if (wanted.length === 0) {
      callback(Object.assign(new Error("No checked address of that family"), { code: "ENOTFOUND" }), "", 0);
      return;
    }
    if (typeof options === "object" && options.all) callback(null, wanted.map(({ address, family: found }) => ({ address, family: found })));
    else callback(null, wanted[0].address, wanted[0].family);
  };
}

export type TransportRequest = { url: URL; method: string; headers: Record<string, string>; body: Uint8Array | null; signal: AbortSignal | null; lookup: LookupFunction };
/** Sends one request over a socket opened through `lookup`; answers the response as fetch would. */
export type Transport = (request: TransportRequest) => Promise<Response>;

// Sockets of these agents were all opened through a pinned lookup, so a kept-alive one is to a checked address
const agents = { "http:": new http.Agent({ keepAlive: true }), "https:": new https.Agent({ keepAlive: true }) };

const nullBodyStatuses = new Set([101, 204, 205, 304]);

export const nodeTransport: Transport = ({ url, method, headers, body, signal, lookup }) =>
  new Promise<Response>((resolve, reject) => {
    const client = url.protocol === "https:" ? https : http;
    const request = client.request(url, { method, headers, lookup, signal: signal ?? undefined, agent: agents[url.protocol as "http:" | "https:"] }, (incoming) => {
      const responseHeaders = new Headers();
      for (const [name, value] of Object.entries(incoming.headers)) {
        for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) responseHeaders.append(name, one);
      }
      const status = incoming.statusCode ?? 502;
      const hasBody = !nullBodyStatuses.has(status) && method !== "HEAD";
      if (!hasBody) incoming.resume();
      resolve(new Response(hasBody ? (Readable.toWeb(incoming) as ReadableStream<Uint8Array>) : null, { status, statusText: incoming.statusMessage, headers: responseHeaders }));
    });
    request.on("error", reject);
    request.end(body ?? undefined);
  });

function toBytes(body: RequestInit["body"]): Uint8Array | null {
  if (body === undefined || body === null) return null;
  if (typeof body === "string") return new TextEncoder().encode(body);
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (body instanceof URLSearchParams) return new TextEncoder().encode(body.toString());
  throw new TypeError("The outbound guard sends string, URLSearchParams or byte bodies only");
}

export type GuardedFetchDeps = OutboundDeps & { transport: Transport };

/**
 * fetch through the guard: the same answers (a Response; TypeError "fetch failed" when no connection is made;
 * the signal's reason when it aborts), plus OutboundRefusedError for a refused URL, address or redirect.
 * `init.redirect` is ignored: no redirect is ever followed.
 */
export function createGuardedFetch(overrides: Partial<GuardedFetchDeps> = {}): typeof fetch {
  const deps: GuardedFetchDeps = { ...defaultOutboundDeps, transport: nodeTransport, ...overrides };
  const guardedFetch = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    if (typeof input !== "string" && !(input instanceof URL)) throw new TypeError("The outbound guard takes a URL, not a Request");
    const signal = init.signal ?? null;
    const headers = Object.fromEntries(new Headers(init.headers).entries());
    headers["user-agent"] ??= "shouhoutai";
    headers.accept ??= "*/*";
    const body = toBytes(init.body);
    if (body) headers["content-length"] = String(body.byteLength);
    let response: Response;
    try {
      const target = await resolveOutboundTarget(String(input), "http", deps, signal);
      response = await deps.transport({ url: target.url, method: init.method ?? "GET", headers, body, signal, lookup: createPinnedLookup(target.addresses) });
    } catch (error) {
      if (error instanceof OutboundRefusedError) throw error;
      if (signal?.aborted) throw signal.reason;
      // As fetch words it: the socket's own words (address, port) stay in `cause`, out of any recorded error
      throw new TypeError("fetch failed", { cause: error });
    }
    if (isRedirectStatus(response.status)) {
      await response.body?.cancel().catch(() => undefined);
      throw new OutboundRefusedError("redirect");
    }
    return response;
  };
  return guardedFetch as typeof fetch;
}

/** The desk's fetch for every outbound call (the outbox's and the platform client's default deps). */
export const guardedFetch = createGuardedFetch();

/**
 * A WebSocket through the guard: the URL and every resolved address checked, the socket pinned to them, no
 * redirect followed. Rejects with OutboundRefusedError for a refused target.
 */
export async function openGuardedWebSocket(raw: string, options: WebSocket.ClientOptions, deps: OutboundDeps = defaultOutboundDeps): Promise<WebSocket> {
  const target = await resolveOutboundTarget(raw, "ws", deps);
  const guarded: WebSocket.ClientOptions & { lookup: LookupFunction } = { ...options, followRedirects: false, lookup: createPinnedLookup(target.addresses) };
  return new WebSocket(target.url, guarded);
}
