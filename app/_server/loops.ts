import type { Db } from "@/db/client";
import { runExclusively } from "@/db/queries/loop-lock";
import { prunePresence } from "@/db/queries/presence";
import { releaseLapsedClaimsNow, sweepAutoAssignments } from "@/db/workflows/assignment";
import { startWalCheckpointer } from "@/db/wal-checkpointer";
import { startLoop, type Loop, type LoopTimers } from "@/app/_server/loop";
import { startOutboxSender } from "@/app/_server/outbox-sender";
import { startTokenUpkeep } from "@/app/_server/platforms/token-upkeep";
import { startTmcConsumer } from "@/app/_server/platforms/tmc-consumer";
import { startTmcWsConsumer } from "@/app/_server/platforms/tmc-ws-consumer";
import { getPresenceTracker, type PresenceTracker } from "@/app/_server/presence";
import { presenceHeartbeatMs } from "@/lib/presence";
import { dayMs } from "@/lib/time";

// Every background loop of the desk starts here, once per process, from instrumentation.ts (docs/loops.md lists
// them with their periods). None depends on an open live stream: the live hub only fans events out. Each pass
// reads its work from the database, so a missed or failed pass is made up by the next one; that is also what lets
// several instances later take turns through a database lock around each pass.

export const loopPeriods = {
  /** Rewrites this instance's presence rows (lib/presence.ts presenceHeartbeatMs). */
  presenceHeartbeat: presenceHeartbeatMs,
  /** Hands new cards of auto-assign shops to online agents (db/workflows/assignment.ts). */
  assignmentSweep: 1_000,
  /** Gives back claims of agents offline for 60 s, and forgets presence rows a day old. */
  claimLapse: 10_000,
  /** Sends due decisions to the platforms (app/_server/outbox-sender.ts; sooner while a full batch was due). */
  outbox: 250,
  /** Refreshes platform tokens before they expire (app/_server/platforms/token-upkeep.ts). */
  tokens: 60_000,
  /** Taobao TMC over HTTP: consume and confirm (app/_server/platforms/tmc-consumer.ts). */
  tmc: 5_000,
  /** Taobao TMC over WebSocket: which apps want a connection (app/_server/platforms/tmc-ws-consumer.ts). */
  tmcWs: 60_000,
  /** Copies SQLite's write-ahead log back into the database, on a worker thread (db/wal-checkpointer.ts). */
  walCheckpoint: 1_000,
} as const;

/** Presence rows older than this are deleted (their users then count as offline since the loops started). */
const presenceRetentionMs = dayMs;

export type LoopsOptions = {
  periods?: Partial<Record<keyof typeof loopPeriods, number>>;
  now?: () => Date;
  timers?: LoopTimers;
  presence?: PresenceTracker;
  /** The outbox sender, token upkeep and TMC consumer (off for the bench: OUTBOX_SENDER=off). */
  platformLoops?: boolean;
  /** TMC_CONSUMER: "http" or "on" polls TMC over HTTP, "ws" holds its WebSocket; anything else: off. */
  tmcConsumer?: string;
  log?: (message: string) => void;
};

export type BackgroundLoops = { loops: readonly Pick<Loop, "name" | "everyMs">[]; stop: () => void };

const globalForLoops = globalThis as unknown as { deskLoops?: BackgroundLoops };

/** Starts the desk's loops (a second call answers the running ones); stop() ends them all (tests, shutdown). */
export function startBackgroundLoops(getDb: () => Db, options: LoopsOptions = {}): BackgroundLoops {
  if (globalForLoops.deskLoops) return globalForLoops.deskLoops;
  const now = options.now ?? (() => new Date());
  const periods = { ...loopPeriods, ...options.periods };
  const log = options.log ?? console.log;
  const presence = options.presence ?? getPresenceTracker();
  const startedAt = now();
  const loops: Loop[] = [
    startLoop({ name: "presence", everyMs: periods.presenceHeartbeat, timers: options.timers, run: () => presence.beat() }),
    // One instance at a time (runExclusively: a PostgreSQL advisory lock per loop)
    startLoop({ name: "assignment", everyMs: periods.assignmentSweep, timers: options.timers, run: () => runExclusively(getDb(), "assignment", () => sweepAutoAssignments(getDb(), now())) }),
    startLoop({
      name: "claim-lapse",
      everyMs: periods.claimLapse,
      timers: options.timers,
      run: () =>
        runExclusively(getDb(), "claim-lapse", async () => {
          const at = now();
          await releaseLapsedClaimsNow(getDb(), at, startedAt);
          await prunePresence(getDb(), new Date(at.getTime() - presenceRetentionMs));
        }),
    }),
  ];
  const others: Pick<Loop, "name" | "everyMs" | "stop">[] = [];
  // Off the request thread: a commit no longer stalls while SQLite checkpoints (a file database only)
  const checkpointer = startWalCheckpointer(getDb(), { everyMs: periods.walCheckpoint });
  if (checkpointer) others.push({ name: "wal-checkpoint", everyMs: periods.walCheckpoint, stop: () => void checkpointer.stop() });
  if (options.platformLoops ?? true) {
    others.push({ name: "outbox", everyMs: periods.outbox, ...startOutboxSender(getDb, periods.outbox) });
    // Platform access tokens refreshed before they expire (docs/platforms/tokens.md)
    others.push({ name: "tokens", everyMs: periods.tokens, ...startTokenUpkeep(getDb, periods.tokens) });
    // Taobao TMC: off unless asked for, and then only for shops whose app enables it
    if (options.tmcConsumer === "on" || options.tmcConsumer === "http") others.push({ name: "tmc", everyMs: periods.tmc, ...startTmcConsumer(getDb, periods.tmc) });
    else if (options.tmcConsumer === "ws") others.push({ name: "tmc-ws", everyMs: periods.tmcWs, ...startTmcWsConsumer(getDb, undefined, periods.tmcWs) });
  }
  const all = [...loops, ...others];
  log(`[loops] started: ${all.map((loop) => `${loop.name} every ${loop.everyMs} ms`).join(", ")}`);
  globalForLoops.deskLoops = {
    loops: all.map(({ name, everyMs }) => ({ name, everyMs })),
    stop: () => {
      for (const loop of all) loop.stop();
      globalForLoops.deskLoops = undefined;
    },
  };
  return globalForLoops.deskLoops;
}
