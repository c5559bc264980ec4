import { getDb } from "@/db/client";
import { listStreamAccess } from "@/db/queries/stream-access";

/** An open live stream as the guard sees it: whose session, which shops it was opened for, how to end it. */
export type GuardedStream = { token: string; userId: string; shopIds: ReadonlySet<string>; close: () => void };

export type GuardTimers = { setTimeout: (run: () => void, ms: number) => unknown; clearTimeout: (handle: unknown) => void };

export type StreamGuardOptions = {
  /** Per token still signed in: the shops its user may see now (listStreamAccess); one call per check. */
  loadAccess: (tokens: string[], now: Date) => Promise<Map<string, Set<string>>> | Map<string, Set<string>>;
  now?: () => Date;
  timers?: GuardTimers;
  checkEveryMs?: number;
  logError?: (...values: unknown[]) => void;
};

/** How often open streams are checked against the sessions and shops in the database (at most 5 s: docs/security.md). */
export const streamCheckMs = 2_000;

const realTimers: GuardTimers = {
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

function isSameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false;
  for (const item of a) if (!b.has(item)) return false;
  return true;
}

/**
 * Ends live streams whose session has ended or whose user's shops changed: at once when this process
 * learns of it (sign-out, the owner's force sign-out), and otherwise at the next check, which reads every
 * open stream's session and shops in one query. A closed stream's client reconnects and is scoped afresh
 * (or refused when signed out). The check runs only while a stream is open.
 */
export class StreamGuard {
  private readonly streams = new Set<GuardedStream>();
  private timer: unknown = null;
  private readonly now: () => Date;
  private readonly timers: GuardTimers;
  private readonly checkEveryMs: number;
  private readonly logError: (...values: unknown[]) => void;

  constructor(private readonly options: StreamGuardOptions) {
    this.now = options.now ?? (() => new Date());
    this.timers = options.timers ?? realTimers;
    this.checkEveryMs = options.checkEveryMs ?? streamCheckMs;
    this.logError = options.logError ?? console.error;
  }

  /** Watches a stream until the returned function is called (the stream's own cleanup). */
  watch(stream: GuardedStream): () => void {
    this.streams.add(stream);
    if (this.timer === null) this.schedule();
    return () => this.forget(stream);
  }

  get size(): number {
    return this.streams.size;
  }

  /** Sign-out: the streams of these sessions end now. */
  closeSessions(tokens: readonly string[]): void {
    const ended = new Set(tokens);
    this.closeWhere((stream) => ended.has(stream.token));
  }

  /** Force sign-out, or a change of the user's shops: every stream of this user ends now. */
  closeUser(userId: string): void {
    this.closeWhere((stream) => stream.userId === userId);
  }

  /** One check of every open stream (the timer calls it; tests may too). */
  async check(): Promise<void> {
    if (this.streams.size === 0) return;
    let access: Map<string, Set<string>>;
    try {
      access = await this.options.loadAccess([...new Set([...this.streams].map((stream) => stream.token))], this.now());
    } catch (error) {
      // Unable to tell who is still signed in: end them all (clients reconnect through a fresh check)
      this.logError("[live] stream check failed", error);
      this.closeWhere(() => true);
      return;
    }
    this.closeWhere((stream) => {
      const shopIds = access.get(stream.token);
      return shopIds === undefined || !isSameSet(shopIds, stream.shopIds);
    });
  }

  private closeWhere(shouldClose: (stream: GuardedStream) => boolean) {
    for (const stream of [...this.streams]) {
      if (!shouldClose(stream)) continue;
      this.forget(stream);
      try {
        stream.close();
      } catch (error) {
        this.logError("[live] closing a stream failed", error);
      }
    }
  }

  private forget(stream: GuardedStream) {
    this.streams.delete(stream);
    if (this.streams.size === 0 && this.timer !== null) {
      this.timers.clearTimeout(this.timer);
      this.timer = null;
    }
  }

  private schedule() {
    this.timer = this.timers.setTimeout(() => {
      void this.check().finally(() => {
        this.timer = null;
        if (this.streams.size > 0) this.schedule();
      });
    }, this.checkEveryMs);
  }
}

const globalForGuard = globalThis as unknown as { deskStreamGuard?: StreamGuard };

/** The process's one guard (beside the one live hub). */
export function getStreamGuard(): StreamGuard {
  globalForGuard.deskStreamGuard ??= new StreamGuard({ loadAccess: (tokens, now) => listStreamAccess(getDb(), tokens, now) });
  return globalForGuard.deskStreamGuard;
}
