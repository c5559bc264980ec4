import { randomUUID } from "node:crypto";
import { getDb } from "@/db/client";
import { writePresence } from "@/db/queries/presence";

// This instance's side of presence (docs/loops.md, "Presence"): it counts the live streams open here per user and
// writes the counts to the presence table on connect, on close and on each heartbeat (the heartbeat loop in
// app/_server/loops.ts calls beat()). Who is online is then read from the table, whichever instance holds the stream.

export type PresenceWriter = (streamsByUser: ReadonlyMap<string, number>, now: Date) => void | Promise<void>;

export class PresenceTracker {
  private readonly streams = new Map<string, number>();
  private readonly now: () => Date;
  private readonly logError: (...values: unknown[]) => void;

  constructor(
    private readonly write: PresenceWriter,
    options: { now?: () => Date; logError?: (...values: unknown[]) => void } = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.logError = options.logError ?? console.error;
  }

  /**
   * A stream of this user opened here, resolved once the count is written (so the user is online before the
   * stream's first byte); call the returned function when it closes (more calls change nothing).
   */
  async enter(userId: string): Promise<() => void> {
    await this.set(userId, (this.streams.get(userId) ?? 0) + 1);
    let hasLeft = false;
    return () => {
      if (hasLeft) return;
      hasLeft = true;
      void this.set(userId, (this.streams.get(userId) ?? 1) - 1);
    };
  }

  /** Rewrites every user with a stream open here, as seen now (the heartbeat). */
  async beat(): Promise<void> {
    if (this.streams.size > 0) await this.flush(new Map(this.streams));
  }

  private set(userId: string, count: number): Promise<void> {
    if (count > 0) this.streams.set(userId, count);
    else this.streams.delete(userId);
    return this.flush(new Map([[userId, Math.max(count, 0)]]));
  }

  /** Writes are started in call order (the database takes them in turn), so a close never lands before its open. */
  private async flush(streamsByUser: ReadonlyMap<string, number>): Promise<void> {
    try {
      await this.write(streamsByUser, this.now());
    } catch (error) {
      // The next heartbeat writes the counts again; until then the table may be a few seconds behind
      this.logError("[presence] write failed", error);
    }
  }
}

const globalForPresence = globalThis as unknown as { deskPresence?: PresenceTracker };

/** The process's one tracker. Its instance id is new per start, so a restarted desk never inherits old counts. */
export function getPresenceTracker(): PresenceTracker {
  if (!globalForPresence.deskPresence) {
    const instanceId = `ins_${randomUUID()}`;
    globalForPresence.deskPresence = new PresenceTracker((streamsByUser, now) => writePresence(getDb(), instanceId, streamsByUser, now));
  }
  return globalForPresence.deskPresence;
}
