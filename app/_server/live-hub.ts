import "server-only";
import { getDb, isPostgresDb, type Db } from "@/db/client";
import { getLatestAuditId, hasEndedBefore, listLiveEventsSince, takeTransactionMark, type LiveEvent } from "@/db/queries/live";
import { getLiveCard } from "@/db/queries/requests";

type Subscriber = { userId: string; shopIds: Set<string>; send: (event: LiveEvent) => void };

const pollIntervalMs = 100;
const batchSize = 500;
/** How often the hub looks again while it starts on PostgreSQL and transactions that began before are still open. */
const startRecheckMs = 10;

/**
 * A gap in the ids the hub waits on (PostgreSQL): ids below `throughId` not yet visible belong to transactions that
 * were open when `mark` was taken, or were given up by a rollback; once every transaction older than `mark` has ended
 * (or `giveUpAt` has passed) they will never appear.
 */
type Gap = { throughId: number; mark: string; giveUpAt: number };

type LiveHubOptions = {
  /** The hub's database (the process's by default). */
  db?: () => Db;
  /** Poll on a timer while someone is subscribed (off in tests, which call poll() themselves). */
  autoPoll?: boolean;
  /** How long a gap may hold the tail back at most (docs/loops.md#the-live-hub). */
  gapGiveUpMs?: number;
  /** Where an event the hub gave up on is told. */
  warn?: (message: string) => void;
};

/**
 * One poller per process tails the audit log and fans new rows out, in id order, to the open streams that may see
 * each row's shop. It runs only while someone is connected, and does nothing else: presence, auto-assignment and the
 * claim lapse are background loops over the database (app/_server/loops.ts, docs/loops.md). On PostgreSQL its tail
 * never passes an id that may still appear (docs/loops.md#the-live-hub).
 */
export class LiveHub {
  private subscribers = new Set<Subscriber>();
  /** Every event up to this id has gone out, or will never exist. */
  private tail: number | null = null;
  private starting: Promise<number> | null = null;
  private gap: Gap | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private isPolling = false;
  private readonly db: () => Db;
  private readonly autoPoll: boolean;
  private readonly gapGiveUpMs: number;
  private readonly warn: (message: string) => void;

  constructor(options: LiveHubOptions = {}) {
    this.db = options.db ?? getDb;
    this.autoPoll = options.autoPoll ?? true;
    this.gapGiveUpMs = options.gapGiveUpMs ?? 10_000;
    this.warn = options.warn ?? ((message) => console.warn(`[live] ${message}`));
  }

  /**
   * Adds a stream. Answers `tail`: the hub sends it every event after that id, so a stream that resumes replays up to
   * it and no further (what lies beyond may not be settled yet).
   */
  async subscribe(subscriber: Subscriber): Promise<{ tail: number; unsubscribe: () => void }> {
    // Starting from idle: the tail begins at this instant, not at the first poll, so an event committed in between
    // still reaches this subscriber
    this.tail ??= await (this.starting ??= this.start());
    const tail = this.tail;
    this.subscribers.add(subscriber);
    if (this.autoPoll && !this.timer && !this.isPolling) this.schedule(0);
    const unsubscribe = () => {
      this.subscribers.delete(subscriber);
      if (this.subscribers.size === 0 && !this.isPolling) this.stop();
    };
    return { tail, unsubscribe };
  }

  get size() {
    return this.subscribers.size;
  }

  /** One pass: sends every event that is now settled; what a gap holds back waits for a later pass. */
  async poll(): Promise<void> {
    const db = this.db();
    this.tail ??= await (this.starting ??= this.start());
    const isPostgres = isPostgresDb(db);
    let hasMore = true;
    while (hasMore && this.subscribers.size > 0) {
      // Asked before the read: when every transaction older than the gap's mark has ended, what the read finds below
      // the gap's end is all there will ever be
      let settledThrough = this.tail;
      if (this.gap) {
        const hasEnded = await hasEndedBefore(db, this.gap.mark);
        if (!hasEnded && Date.now() >= this.gap.giveUpAt) {
          this.warn(`gave up waiting for audit rows after ${this.tail} (through ${this.gap.throughId}): a transaction holding one stayed open ${this.gapGiveUpMs} ms`);
        }
        if (hasEnded || Date.now() >= this.gap.giveUpAt) {
          settledThrough = this.gap.throughId;
          this.gap = null;
        }
      }
      const events = await listLiveEventsSince(db, this.tail, batchSize);
      hasMore = events.length === batchSize;
      for (const event of events) {
        if (this.gap && this.tail >= this.gap.throughId) this.gap = null;
        // Ids missing before this one that may still appear: it waits, and so does everything after it
        if (isPostgres && event.id > this.tail + 1 && event.id - 1 > settledThrough) {
          this.gap ??= { throughId: events.at(-1)!.id, mark: await takeTransactionMark(db), giveUpAt: Date.now() + this.gapGiveUpMs };
          hasMore = false;
          break;
        }
        this.tail = event.id;
        const recipients = [...this.subscribers].filter((subscriber) => subscriber.shopIds.has(event.shopId));
        // The card travels with its event: a colleague's desk shows an undo (or any change) without fetching it
        if (recipients.length > 0 && event.requestId) event.card = await getLiveCard(db, event.requestId, event.shopId);
        for (const subscriber of recipients) subscriber.send(event);
      }
      if (this.gap && this.tail >= this.gap.throughId) this.gap = null;
    }
  }

  /**
   * Where the tail begins: the newest id. On PostgreSQL a transaction still open may hold a smaller one, so the hub
   * first waits (briefly, at most gapGiveUpMs) for every transaction older than that read to end.
   */
  private async start(): Promise<number> {
    try {
      const db = this.db();
      const latest = await getLatestAuditId(db);
      if (isPostgresDb(db)) {
        const mark = await takeTransactionMark(db);
        const giveUpAt = Date.now() + this.gapGiveUpMs;
        while (!(await hasEndedBefore(db, mark))) {
          if (Date.now() >= giveUpAt) {
            this.warn(`started after ${latest} while a transaction older than the start stayed open ${this.gapGiveUpMs} ms`);
            break;
          }
          await new Promise((resolve) => setTimeout(resolve, startRecheckMs));
        }
      }
      return latest;
    } finally {
      this.starting = null;
    }
  }

  private stop() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.tail = null;
    this.gap = null;
  }

  private schedule(delayMs: number) {
    this.timer = setTimeout(() => void this.tick(), delayMs);
  }

  private async tick() {
    this.timer = null;
    this.isPolling = true;
    try {
      await this.poll();
    } catch (error) {
      console.error("[live] poll failed", error);
    } finally {
      this.isPolling = false;
    }
    if (this.subscribers.size > 0) this.schedule(pollIntervalMs);
    else this.stop();
  }
}

const globalForHub = globalThis as unknown as { deskLiveHub?: LiveHub };

export function getLiveHub(): LiveHub {
  globalForHub.deskLiveHub ??= new LiveHub();
  return globalForHub.deskLiveHub;
}
