import { apiError } from "@/lib/api-error";
import { isDeclaredLengthOver } from "@/lib/body-limits";

// The one way a route reads a request body (docs/security.md, "Request bodies"): chunk by chunk from
// request.body, counting, and stopping the moment the count passes the cap, so nothing past the cap and
// the chunk that crossed it is ever held. The caps are in lib/body-limits.ts.

export type BodyRead =
  | { ok: true; bytes: Uint8Array<ArrayBuffer> }
  /** Over the cap: declared so by Content-Length, or counted while reading. */
  | { ok: false; reason: "too_large"; maxBytes: number }
  /** The stream failed (the client went away) or was already read. */
  | { ok: false; reason: "unreadable" };

/**
 * Reads the body up to maxBytes (maxBytes exactly is accepted). On the first byte over it, or on a declared
 * Content-Length over it before anything is read, the stream is cancelled: in Next that lets go of the
 * request without touching the connection, so the 413 can still be written (with Connection: close).
 */
export async function readBodyWithin(request: Request, maxBytes: number): Promise<BodyRead> {
  if (request.body && !isDeclaredLengthOver(request.headers.get("content-length"), maxBytes) && (request.bodyUsed || request.body.locked)) {
    return { ok: false, reason: "unreadable" };
  }
  try {
    const read = await readStreamWithin(request.body, request.headers.get("content-length"), maxBytes);
    return read.ok ? read : { ok: false, reason: "too_large", maxBytes };
  } catch {
    return { ok: false, reason: "unreadable" };
  }
}

/**
 * The counting read under every capped body, a request's here and an outbound answer's
 * (app/_server/net/read-response.ts): a declared length over maxBytes is refused before a byte is read, the first
 * chunk over it stops the read, and either way the stream is cancelled. A stream that fails is cancelled and its
 * error thrown.
 */
export async function readStreamWithin(
  body: ReadableStream<Uint8Array> | null,
  declaredLength: string | null,
  maxBytes: number,
): Promise<{ ok: true; bytes: Uint8Array<ArrayBuffer> } | { ok: false }> {
  if (isDeclaredLengthOver(declaredLength, maxBytes)) {
    await cancelQuietly(body);
    return { ok: false };
  }
  if (!body) return { ok: true, bytes: new Uint8Array() };
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        return { ok: false };
      }
      chunks.push(value);
    }
  } catch (error) {
    await reader.cancel().catch(() => undefined);
    throw error;
  }
  return { ok: true, bytes: concat(chunks, total) };
}

/** The body as text, as request.text() decodes it (UTF-8, bad bytes replaced, a leading BOM dropped). */
export function decodeBody(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}

/**
 * For an answer given while the body is unread or partly read: the server closes the connection after it,
 * instead of reading the rest of the body to keep the connection for another request.
 */
export function closingConnection(response: Response): Response {
  response.headers.set("connection", "close");
  return response;
}

/** A request carries a body when it declares a length above zero or is sent chunked. */
export function hasBody(request: Request): boolean {
  const length = request.headers.get("content-length");
  return (length !== null && length.trim() !== "0") || request.headers.has("transfer-encoding");
}

/** The typed answer (payload_too_large 413, or invalid_body 422) to a body that could not be read, connection closing. */
export function answerUnreadBody(read: Exclude<BodyRead, { ok: true }>): Response {
  const response =
    read.reason === "too_large"
      ? apiError("payload_too_large", `The body is over ${read.maxBytes} bytes`, { maxBytes: read.maxBytes })
      : apiError("invalid_body", "The body could not be read");
  return closingConnection(response);
}

/**
 * The body read within maxBytes, handed on as a new Request over the bytes read (same URL, method, headers,
 * signal), so request.json() / formData() after it work on what was read and cannot read further.
 */
export async function capRequestBody(request: Request, maxBytes: number): Promise<{ request: Request } | { error: Response }> {
  // A GET or HEAD body is never read by anything (Next hands routes none)
  if (request.method === "GET" || request.method === "HEAD" || !request.body) return { request };
  const read = await readBodyWithin(request, maxBytes);
  if (!read.ok) return { error: answerUnreadBody(read) };
  const headers = new Headers(request.headers);
  // The bytes are whole now: the new Request frames them itself
  headers.delete("transfer-encoding");
  headers.set("content-length", String(read.bytes.byteLength));
  return { request: new Request(request.url, { method: request.method, headers, body: read.bytes, signal: request.signal }) };
}

async function cancelQuietly(body: ReadableStream<Uint8Array> | null): Promise<void> {
  if (!body || body.locked) return;
  await body.cancel().catch(() => undefined);
}

function concat(chunks: Uint8Array[], total: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
