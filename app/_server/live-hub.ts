import "server-only";
import { getDb } from "@/db/client";
import { autoAssignRequest, releaseLapsedClaims } from "@/db/queries/claims";
import { getLatestAuditId, listLiveEventsSince, type LiveEvent } from "@/db/queries/live";
import { getLiveCard } from "@/db/queries/requests";

type Subscriber = { userId: string; shopIds: Set<string>; send: (event: LiveEvent) => void };

const pollIntervalMs = 100;
const lapseCheckMs = 10_000;
const batchSize = 500;

/**
 * One poller per process tails the audit log and fans new rows out to the open streams that may see
 * each row's shop. It runs only while someone is connected.
 */
class LiveHub {
  private subscribers = new Set<Subscriber>();
  private lastId: number | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** Online = has a live connection; offlineSince starts at the hub's start for users not seen yet. */
  private offlineSince = new Map<string, Date>();
  private readonly startedAt = new Date();
  private lastLapseCheck = 0;

  subscribe(subscriber: Subscriber): () => void {
    this.subscribers.add(subscriber);
    this.offlineSince.delete(subscriber.userId);
    if (!this.timer) this.schedule(0);
    return () => {
      this.subscribers.delete(subscriber);
      if (!this.getOnlineUserIds().has(subscriber.userId)) this.offlineSince.set(subscriber.userId, new Date());
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

  getOnlineUserIds(): Set<string> {
    return new Set([...this.subscribers].map((subscriber) => subscriber.userId));
  }

  getPresence(userId: string) {
    const online = this.getOnlineUserIds().has(userId);
    return { isOnline: online, offlineSince: online ? null : (this.offlineSince.get(userId) ?? this.startedAt) };
  }

  private schedule(delayMs: number) {
    this.timer = setTimeout(() => void this.poll(), delayMs);
  }

  private async poll() {
    try {
      const db = getDb();
      if (this.lastId === null) this.lastId = await getLatestAuditId(db);
      let events: LiveEvent[];
      do {
        events = await listLiveEventsSince(db, this.lastId, batchSize);
        for (const event of events) {
          this.lastId = event.id;
          const recipients = [...this.subscribers].filter((subscriber) => subscriber.shopIds.has(event.shopId));
          // The card travels with its event: a colleague's desk shows an undo (or any change) without fetching it
          if (recipients.length > 0 && event.requestId) event.card = getLiveCard(db, event.requestId, event.shopId);
          for (const subscriber of recipients) subscriber.send(event);
          // Auto-assignment needs to know who is online, which only this process knows (issue 4).
          if (event.action === "received" && event.requestId) autoAssignRequest(db, event.requestId, this.getOnlineUserIds(), new Date());
        }
      } while (events.length === batchSize);
      if (Date.now() - this.lastLapseCheck >= lapseCheckMs) {
        this.lastLapseCheck = Date.now();
        releaseLapsedClaims(db, (userId) => this.getPresence(userId), new Date());
      }
    } catch (error) {
      console.error("[live] poll failed", error);
    }
    if (this.subscribers.size > 0) this.schedule(pollIntervalMs);
    else this.timer = null;
  }
}

const globalForHub = globalThis as unknown as { deskLiveHub?: LiveHub };

export function getLiveHub(): LiveHub {
  globalForHub.deskLiveHub ??= new LiveHub();
  return globalForHub.deskLiveHub;
}
