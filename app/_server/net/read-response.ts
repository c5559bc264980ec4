import { readStreamWithin } from "@/app/_server/read-body";

// The one way the desk reads an answer to its own outbound calls (docs/security.md, "Outbound calls"): chunk by
// chunk, counting, and stopping the moment the count passes the cap, so an endpoint an owner set cannot make
// the server hold more than the cap and the one chunk that crossed it.

const mebibyte = 1024 * 1024;

/**
 * The most of a platform API answer that is read (performCall). The largest real ones are far below it: a TMC
 * consume of 100 refund messages, an order or after-sale detail, a reject-reasons list, all tens to a few
 * hundred kB.
 */
export const maxPlatformAnswerBytes = 4 * mebibyte;

/** An answer over the cap: a transport failure (retried like a network error), never the platform's "no". */
export class ResponseTooLargeError extends Error {
  override name = "ResponseTooLargeError";
  constructor(readonly maxBytes: number) {
    super(`The answer is over ${maxBytes} bytes: it was not read further`);
  }
}

/**
 * The whole body if it is at most maxBytes. A declared Content-Length over it is refused before a byte is read;
 * otherwise the first chunk over it stops the read. Either way the body is cancelled (the connection let go)
 * and ResponseTooLargeError thrown. A body that fails mid-way rejects as the stream does (a transport error).
 */
export async function readResponseWithin(response: Response, maxBytes: number): Promise<Uint8Array<ArrayBuffer>> {
  const read = await readStreamWithin(response.body, response.headers.get("content-length"), maxBytes);
  if (!read.ok) throw new ResponseTooLargeError(maxBytes);
  return read.bytes;
}

/** The body as UTF-8 text (as response.text() decodes it), read within maxBytes. */
export async function readResponseTextWithin(response: Response, maxBytes: number): Promise<string> {
  return new TextDecoder().decode(await readResponseWithin(response, maxBytes));
}
