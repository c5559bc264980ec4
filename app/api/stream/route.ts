import { withScope } from "@/app/_server/api";
import { getLiveHub } from "@/app/_server/live-hub";
import { getPresenceTracker } from "@/app/_server/presence";
import { getStreamGuard } from "@/app/_server/stream-guard";
import { getAuth } from "@/db/auth";
import { getDb } from "@/db/client";
import { listLiveEventsSince, type LiveEvent } from "@/db/queries/live";
import { apiError } from "@/lib/api-error";

export const dynamic = "force-dynamic";

const heartbeatMs = 15_000;
const replayBatch = 1_000;
const encoder = new TextEncoder();

// One event goes to every open stream of its shop: encoded once, not once per stream
const encoded = new WeakMap<LiveEvent, Uint8Array>();

function formatEvent(event: LiveEvent): Uint8Array {
  let chunk = encoded.get(event);
  if (!chunk) {
    chunk = encoder.encode(`id: ${event.id}\nevent: ${event.action}\ndata: ${JSON.stringify(event)}\n\n`);
    encoded.set(event, chunk);
  }
  return chunk;
}

/**
 * Server-Sent Events of the shops this user may see. Resume: the browser sends Last-Event-ID on
 * reconnect (or ?since= on a first connect) and gets every event after it before the live ones.
 * It ends with its session, and when the user's shops change (app/_server/stream-guard.ts). While open, the user
 * counts as online in the presence table (app/_server/presence.ts), written before the first byte is sent.
 */
export const GET = withScope(async (request, { scope }) => {
  const resumeHeader = request.headers.get("last-event-id") ?? new URL(request.url).searchParams.get("since");
  const resumeFrom = resumeHeader === null || resumeHeader === "" ? null : Number(resumeHeader);
  if (resumeFrom !== null && (!Number.isSafeInteger(resumeFrom) || resumeFrom < 0)) {
    return apiError("invalid_query", "Last-Event-ID must be a non-negative integer", { issues: [{ path: "since", message: "Not an event id" }] });
  }
  // The guard follows the stream by its session (signed out → closed); withScope checked it already
  const session = await getAuth().api.getSession({ headers: request.headers });
  if (!session) return apiError("unauthenticated", "Sign in first");
  const shopIds = new Set(scope.shopIds);
  const hub = getLiveHub();
  let cleanup = () => {};

  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      let lastSentId = 0;
      let isClosed = false;
      // A client can vanish between two writes: a failed write closes this stream, never the server.
      const write = (chunk: Uint8Array) => {
        if (isClosed) return;
        try {
          controller.enqueue(chunk);
        } catch {
          close();
        }
      };
      const send = (event: LiveEvent) => {
        if (isClosed || event.id <= lastSentId) return;
        lastSentId = event.id;
        write(formatEvent(event));
      };
      const close = () => {
        if (isClosed) return;
        isClosed = true;
        cleanup();
        try {
          controller.close();
        } catch {
          // already closed by the client
        }
      };
      // Subscribe first, then replay up to the hub's tail: the hub sends everything after it, held back until the
      // replay is done. Beyond the tail an id may not be settled yet (docs/loops.md#the-live-hub): replaying it could
      // send an id before a smaller one that appears later, and a client resuming after it would never get that one.
      const buffered: LiveEvent[] = [];
      let isReplaying = resumeFrom !== null;
      const { tail, unsubscribe } = await hub.subscribe({ userId: scope.userId, shopIds, send: (event) => (isReplaying ? buffered.push(event) : send(event)) });
      const unwatch = getStreamGuard().watch({ token: session.session.token, userId: scope.userId, shopIds, close: () => close() });
      const leave = await getPresenceTracker().enter(scope.userId);
      const heartbeat = setInterval(() => {
        if (isClosed) return;
        write(encoder.encode(`: heartbeat ${Date.now()}\n\n`));
      }, heartbeatMs);
      cleanup = () => {
        clearInterval(heartbeat);
        unwatch();
        unsubscribe();
        leave();
      };
      request.signal.addEventListener("abort", close);
      write(encoder.encode(`retry: 2000\n: connected\n\n`));
      if (resumeFrom !== null) {
        // Page through everything missed, however far behind the client is.
        let cursor = resumeFrom;
        let missed: LiveEvent[];
        do {
          missed = await listLiveEventsSince(getDb(), cursor, replayBatch, scope.shopIds, tail);
          for (const event of missed) send(event);
          cursor = missed.at(-1)?.id ?? cursor;
        } while (missed.length === replayBatch && !isClosed);
        isReplaying = false;
        for (const event of buffered) send(event);
      }
    },
    cancel() {
      cleanup();
    },
  });

  return new Response(stream, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    },
  });
});
