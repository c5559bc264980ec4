// For tests of routes that read a body: a chunked body (no Content-Length) that counts what was pulled from it.

export type CountingBody = { stream: ReadableStream<Uint8Array>; seen: { pulled: number; cancelled: boolean } };

/** `chunks` chunks of `chunkBytes` bytes, pulled only as the reader asks (as Next's request body); an error in place of chunk `failAt`. */
export function countingBody(chunks: number, chunkBytes: number, options: { failAt?: number; fill?: number } = {}): CountingBody {
  const seen = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (options.failAt !== undefined && seen.pulled === options.failAt) {
          controller.error(new Error("client went away"));
          return;
        }
        if (seen.pulled === chunks) {
          controller.close();
          return;
        }
        seen.pulled += 1;
        controller.enqueue(new Uint8Array(chunkBytes).fill(options.fill ?? 0x61));
      },
      cancel() {
        seen.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, seen };
}

/** A POST of a streamed body, as Next hands a route a chunked request. */
export function postStream(url: string, stream: ReadableStream<Uint8Array>, headers: Record<string, string> = {}): Request {
  return new Request(url, { method: "POST", body: stream, headers, duplex: "half" } as RequestInit);
}
