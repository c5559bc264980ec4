// API routes answered straight from node:http with the route's own handler (app/_server/fast-routes.ts,
// docs/decisions/0011-decisions-on-the-fast-path.md). The node request becomes the Request Next would have built
// (same URL, headers and streamed body, so the route's byte cap still reads it), and the route's Response is
// written back with the security headers Next would have added.
import { Buffer } from "node:buffer";
import http from "node:http";
import { readNodeBodyWithin } from "./read-node-body.mjs";
const { Headers, ReadableStream, Request } = globalThis;

function findRoute(routes, method, url) {
  const queryAt = url.indexOf("?");
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  for (const route of routes) {
    if (route.method !== method) continue;
    const match = route.pattern.exec(path);
    if (!match) continue;
    try {
      return { route, params: Object.fromEntries(route.paramNames.map((name, index) => [name, decodeURIComponent(match[index + 1])])) };
    } catch {
      // A malformed %-escape: Next answers it as it would any bad path
      return null;
    }
  }
  return null;
}

/**
 * The node request's body as a web stream that stops reading when the route stops: once the route's cap cancels
 * it, no further byte is taken off the socket (node's Readable.toWeb throws on data arriving after a cancel).
 */
function bodyStream(request) {
  let isDone = false;
  const onData = (controller) => (chunk) => {
    if (isDone) return;
    controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    if (controller.desiredSize !== null && controller.desiredSize <= 0) request.pause();
  };
  return new ReadableStream({
    start(controller) {
      request.on("data", onData(controller));
      request.once("end", () => {
        if (isDone) return;
        isDone = true;
        controller.close();
      });
      request.once("error", (error) => {
        if (isDone) return;
        isDone = true;
        controller.error(error);
      });
    },
    pull() {
      request.resume();
    },
    cancel() {
      isDone = true;
      request.pause();
    },
  });
}

function toWebRequest(request) {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else headers.set(name, value);
  }
  const hasBody = request.method !== "GET" && request.method !== "HEAD";
  return new Request(`http://${request.headers.host ?? "localhost"}${request.url}`, {
    method: request.method,
    headers,
    ...(hasBody ? { body: bodyStream(request), duplex: "half" } : {}),
  });
}

async function answer(published, { route, params }, request, response) {
  const answered = await route.handler(toWebRequest(request), { params: Promise.resolve(params) });
  const body = Buffer.from(await answered.arrayBuffer());
  const headers = { ...published.answerHeaders };
  answered.headers.forEach((value, name) => {
    if (name !== "set-cookie") headers[name] = value;
  });
  const cookies = answered.headers.getSetCookie();
  if (cookies.length > 0) headers["set-cookie"] = cookies;
  headers["content-length"] = body.length;
  response.writeHead(answered.status, headers);
  response.end(body);
}

function writeJson(response, headers, { status, body }) {
  const payload = JSON.stringify(body);
  response.writeHead(status, { ...headers, "content-type": "application/json", "cache-control": "no-store", "content-length": Buffer.byteLength(payload), connection: "close" });
  response.end(payload);
}

/**
 * A request with a body to a page path (not /api/): Next reads such a POST itself as a possible Server Action, and
 * past its cap (next.config.ts) answers a 500 error page, not a 413.
 */
function isPageRequestWithBody(request) {
  if (request.method === "GET" || request.method === "HEAD" || (request.url ?? "").startsWith("/api/")) return false;
  const length = request.headers["content-length"];
  return (length !== undefined && length.trim() !== "0") || request.headers["transfer-encoding"] !== undefined;
}

/** The request Next gets in place of one whose body was read here: the same head, and the bytes read as its body. */
function replayRequest(request, bytes) {
  const replay = new http.IncomingMessage(request.socket);
  for (const key of ["httpVersionMajor", "httpVersionMinor", "httpVersion", "method", "url", "rawHeaders", "trailers", "rawTrailers"]) replay[key] = request[key];
  // The bytes are whole now: they are framed by their length, as app/_server/read-body.ts capRequestBody does
  const headers = { ...request.headers, "content-length": String(bytes.length) };
  delete headers["transfer-encoding"];
  replay.headers = headers;
  replay.complete = true;
  if (bytes.length > 0) replay.push(bytes);
  replay.push(null);
  return replay;
}

/**
 * The page request's body read here within the Server Actions cap, counted as it arrives: past the cap (or declared
 * past it) 413 and the connection closes, nothing more read; within it Next gets the request over the bytes read.
 */
async function answerPageRequest(published, request, response, fallback) {
  const bytes = await readNodeBodyWithin(request, published.pageBodyMaxBytes);
  if (bytes === undefined) return response.destroy();
  if (bytes === null) return writeJson(response, published.answerHeaders, published.pageBodyTooLarge);
  return fallback(replayRequest(request, bytes), response);
}

/**
 * A node:http listener: a request one of `getRoutes()`'s routes matches is answered here; a page request with a body
 * is read here within the Server Actions cap (413 past it) before going to `fallback`, as is anything else.
 */
export function createFastRoutesListener({ getRoutes, fallback, logError = console.error }) {
  const fail = (published, response, error) => {
    logError("[fast routes] the route failed:", error);
    if (response.headersSent) return response.destroy();
    writeJson(response, published.answerHeaders, published.internalError);
  };
  return (request, response) => {
    const published = getRoutes();
    if (published && isPageRequestWithBody(request)) return void answerPageRequest(published, request, response, fallback).catch((error) => fail(published, response, error));
    const match = published ? findRoute(published.routes, request.method ?? "", request.url ?? "") : null;
    if (!match) return fallback(request, response);
    answer(published, match, request, response).catch((error) => fail(published, response, error));
  };
}
