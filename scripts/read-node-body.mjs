// The capped reader for the bodies scripts/serve.mjs reads itself, in front of Next (docs/security.md, "Request
// bodies"): the platform events (scripts/platform-events.mjs) and page POSTs (scripts/fast-routes.mjs). It is the
// node-stream twin of readBodyWithin in app/_server/read-body.ts, which reads web streams inside Next.
import { Buffer } from "node:buffer";

/**
 * The body, reading no further than maxBytes (maxBytes exactly is accepted): null past it (a declared length counts
 * before a byte is read; otherwise bytes are counted as they arrive and reading stops at the chunk that crossed),
 * undefined when the client went away first.
 */
export function readNodeBodyWithin(request, maxBytes) {
  const declared = request.headers["content-length"];
  if (declared !== undefined && Number(declared) > maxBytes) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const chunks = [];
    let total = 0;
    const onData = (chunk) => {
      total += chunk.length;
      if (total <= maxBytes) {
        chunks.push(chunk);
        return;
      }
      request.off("data", onData);
      request.pause();
      resolve(null);
    };
    request.on("data", onData);
    request.once("end", () => resolve(Buffer.concat(chunks, total)));
    request.once("close", () => resolve(undefined));
    request.on("error", reject);
  });
}
