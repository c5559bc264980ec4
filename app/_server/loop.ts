// One background loop: runs `run` every `everyMs`, one pass at a time (the next is scheduled when a pass ends, so
// a slow pass never overlaps itself), logs a failed pass and goes on. Timers are injectable for tests; real ones
// never keep the process alive.

export type LoopTimers = { setTimeout: (run: () => unknown, ms: number) => unknown; clearTimeout: (handle: unknown) => void };

export type LoopOptions = {
  name: string;
  everyMs: number;
  run: () => unknown;
  /** The first pass (default: after one period). */
  firstAfterMs?: number;
  timers?: LoopTimers;
  logError?: (...values: unknown[]) => void;
};

export type Loop = { name: string; everyMs: number; stop: () => void };

const realTimers: LoopTimers = {
  setTimeout: (run, ms) => setTimeout(run, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export function startLoop(options: LoopOptions): Loop {
  const timers = options.timers ?? realTimers;
  const logError = options.logError ?? console.error;
  let timer: unknown = null;
  let isStopped = false;
  // The pass's promise goes back to the timer (real timers drop it; a test's hand-run timers await it). It never
  // rejects: a failed pass is logged below.
  const schedule = (ms: number) => {
    timer = timers.setTimeout(() => pass(), ms);
  };
  const pass = async () => {
    timer = null;
    try {
      await options.run();
    } catch (error) {
      logError(`[${options.name}] pass failed:`, error);
    }
    if (!isStopped) schedule(options.everyMs);
  };
  schedule(options.firstAfterMs ?? options.everyMs);
  return {
    name: options.name,
    everyMs: options.everyMs,
    stop: () => {
      isStopped = true;
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
    },
  };
}
