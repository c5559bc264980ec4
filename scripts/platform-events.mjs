// POST /api/platforms/{platform}/events answered straight from node:http (docs/decisions/0003-node-http-fast-path.md): Next's request path
// cost more per event (~2.7 ms) than the handler itself (~1.8 ms). The answer comes from the receiver
// instrumentation.ts publishes, i.e. the route's own code, so the public contract stays the route's.
import { Buffer } from "node:buffer";
import { readNodeBodyWithin } from "./read-node-body.mjs";

const eventsPath = /^\/api\/platforms\/([a-z]+)\/events$/;

/** The platform in an exact events path (a query string allowed), or null: anything else stays Next's. */
function matchPlatform(url, platforms) {
  const queryAt = url.indexOf("?");
  const match = eventsPath.exec(queryAt === -1 ? url : url.slice(0, queryAt));
  return match && platforms.includes(match[1]) ? match[1] : null;
}

/** The receiver's answer, with the security headers Next would have added to the route's (receiver.answerHeaders). */
function writeAnswer(response, receiver, { status, body }, headers = {}) {
  const payload = JSON.stringify(body);
  response.writeHead(status, { ...receiver.answerHeaders, "content-type": "application/json", "cache-control": "no-store", "content-length": Buffer.byteLength(payload), ...headers });
  response.end(payload);
}

async function answerEvent(receiver, platform, request, response) {
  const body = await readNodeBodyWithin(request, receiver.maxBodyBytes);
  if (body === undefined) return;
  const getHeader = (name) => {
    const value = request.headers[name.toLowerCase()];
    return Array.isArray(value) ? value.join(", ") : value;
  };
  const answer = await receiver.receive(platform, getHeader, body);
  // The rest of an over-limit body is never read, so the connection cannot carry another request
  writeAnswer(response, receiver, answer, body === null ? { connection: "close" } : {});
}

/**
 * A node:http request listener: platform event POSTs go to the receiver `getReceiver()` returns, everything
 * else (and those too while no receiver is published) to `fallback`, Next's own handler.
 */
export function createPlatformEventsListener({ getReceiver, fallback, logError = console.error }) {
  return (request, response) => {
    const receiver = request.method === "POST" ? getReceiver() : undefined;
    const platform = receiver ? matchPlatform(request.url ?? "", receiver.platforms) : null;
    if (!platform) return fallback(request, response);
    answerEvent(receiver, platform, request, response).catch((error) => {
      logError("[platform events] receipt failed:", error);
      if (response.headersSent) response.destroy();
      else writeAnswer(response, receiver, receiver.internalError, { connection: "close" });
    });
  };
}
