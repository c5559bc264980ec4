import "server-only";
import { getDb } from "@/db/client";
import { getLatestAuditId, listLiveEventsSince, type LiveEvent } from "@/db/queries/live";
import { getLiveCard } from "@/db/queries/requests";

type Subscriber = { userId: string; shopIds: Set<string>; send: (event: LiveEvent) => void };

const pollIntervalMs = 100;
const batchSize = 500;

/**
 * One poller per process tails the audit log and fans new rows out to the open streams that may see each row's
 * shop. It runs only while someone is connected, and does nothing else: presence, auto-assignment and the claim
 * lapse are background loops over the database (app/_server/loops.ts, docs/loops.md).
 */
class LiveHub {
  private subscribers = new Set<Subscriber>();
  private lastId: number | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;

  async subscribe(subscriber: Subscriber): Promise<() => void> {
    // Starting from idle: the tail begins at this instant, not at the first poll, so an event committed in between
    // still reaches this subscriber
    if (this.lastId === null) this.lastId = await getLatestAuditId(getDb());
    this.subscribers.add(subscriber);
    if (!this.timer) this.schedule(0);
    return () => {
      this.subscribers.delete(subscriber);
      if (this.subscribers.size === 0 && this.timer) {
        clearTimeout(this.timer);
        this.timer = null;
        this.lastId = null;
      }
    };
  }

  get size() {
    return this.subscribers.size;
  }

  private schedule(delayMs: number) {
    this.timer = setTimeout(() => void this.poll(), delayMs);
  }

  private async poll() {
    try {
      const db = getDb();
      this.lastId ??= await getLatestAuditId(db);
      let events: LiveEvent[];
      do {
        events = await listLiveEventsSince(db, this.lastId, batchSize);
        for (const event of events) {
          this.lastId = event.id;
          const recipients = [...this.subscribers].filter((subscriber) => subscriber.shopIds.has(event.shopId));
          // The card travels with its event: a colleague's desk shows an undo (or any change) without fetching it
          if (recipients.length > 0 && event.requestId) event.card = await getLiveCard(db, event.requestId, event.shopId);
          for (const subscriber of recipients) subscriber.send(event);
        }
      } while (events.length === batchSize && this.subscribers.size > 0);
    } catch (error) {
      console.error("[live] poll failed", error);
    }
    if (this.subscribers.size > 0) this.schedule(pollIntervalMs);
    else {
      this.timer = null;
      this.lastId = null;
    }
  }
}

const globalForHub = globalThis as unknown as { deskLiveHub?: LiveHub };

export function getLiveHub(): LiveHub {
  globalForHub.deskLiveHub ??= new LiveHub();
  return globalForHub.deskLiveHub;
}
