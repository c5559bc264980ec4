// The production server, in place of `next start`: one node:http server on one port where Next answers
// every page and route except the platforms' event POSTs, which scripts/platform-events.mjs answers
// first with the route's own code (docs/decisions/0003-node-http-fast-path.md: Next's per-request path cost more than the handler).
//   node scripts/serve.mjs [--port 3000] [--hostname 0.0.0.0]   (NEXT_DIST_DIR picks the build, as for next build)
import http from "node:http";
import { parseArgs } from "node:util";
import { announceClientAddressHeader, parseTrustedProxies, stampClientAddress } from "./client-address.mjs";
import { createFastRoutesListener } from "./fast-routes.mjs";
import { createPlatformEventsListener } from "./platform-events.mjs";

const { values: options } = parseArgs({ options: { port: { type: "string", short: "p" }, hostname: { type: "string", short: "H" } } });
const port = Number(options.port ?? process.env.PORT ?? 3000);
// Every request carries the client's address in a header stamped below (before Next reads any request)
announceClientAddressHeader();
// As `next start` does; set before Next and React load, since they pick their builds by it
process.env.NODE_ENV ||= "production";
const { default: next } = await import("next");

const app = next({ dev: false, hostname: options.hostname ?? "localhost", port });
const handleWithNext = app.getRequestHandler();
await app.prepare();
// In production Next prepares its inner server, and so runs instrumentation.ts register() (which publishes
// the receiver), only on the first request; do it now. Internal API: if it changes, that first request
// goes through Next as every event would before the receiver exists, and the warning below says so.
await (await app.server?.getServer?.())?.prepare?.();
const getReceiver = () => globalThis.deskPlatformReceiver;
if (getReceiver()) console.log("[serve] platform events and decisions answered by node:http, everything else by Next");
else console.warn("[serve] instrumentation published no platform receiver: platform events go through Next");

// Per-address sign-in limits key on the socket's peer, or on X-Forwarded-For only when that peer is one of
// these (read after prepare(), which loads .env.local)
const trustedProxies = parseTrustedProxies(process.env.TRUSTED_PROXIES);
if (trustedProxies.invalid.length > 0) {
  console.error(`[serve] TRUSTED_PROXIES has entries that are not an IP address or CIDR range: ${trustedProxies.invalid.join(", ")}`);
  process.exit(1);
}

const fallback = (request, response) =>
  handleWithNext(request, response).catch((error) => {
    console.error("[serve] Next's handler failed:", error);
    if (!response.headersSent) response.writeHead(500).end();
    else response.destroy();
  });
const listener = createPlatformEventsListener({ getReceiver, fallback: createFastRoutesListener({ getRoutes: () => globalThis.deskFastRoutes, fallback }) });
const server = http.createServer((request, response) => {
  stampClientAddress(request, trustedProxies);
  listener(request, response);
});
// An idle keep-alive connection stays open longer than a client or proxy keeps one (nginx: 60 s), so the server never
// closes a connection just as the other side sends on it (which the client sees as a reset, not an answer)
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
await new Promise((resolve, reject) => {
  server.once("error", reject);
  // No hostname: every interface, as `next start` listens
  server.listen(port, options.hostname, resolve);
});
console.log(`[serve] ready on http://${options.hostname ?? "localhost"}:${port}`);

let isStopping = false;
async function stop() {
  if (isStopping) return;
  isStopping = true;
  server.close();
  server.closeIdleConnections();
  // Open event streams never end on their own, so Next's close gets a moment and the process then goes
  const grace = new Promise((resolve) => setTimeout(resolve, 1_000).unref());
  await Promise.race([app.close().catch((error) => console.error("[serve] Next's close failed:", error)), grace]);
  process.exit(0);
}
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, stop);
