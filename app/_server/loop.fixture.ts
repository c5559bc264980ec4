// For tests of the background loops: timers run by hand, so a test says which pass happens and when, never waits.
import type { LoopTimers } from "@/app/_server/loop";
import { areTransactionsIdle } from "@/db/client";

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Lets a pass that was just run (and its rescheduling) finish: the timer's callback hands back the pass's promise
 * (app/_server/loop.ts), and work the pass started without awaiting runs on in transactions that each take a turn of
 * the event loop (db/group-commit.ts), so turns go by until none is running or waiting.
 */
async function settle(passes: unknown[]) {
  await Promise.all(passes);
  await nextTurn();
  for (let turns = 0; turns < 1_000 && !areTransactionsIdle(); turns++) await nextTurn();
  await nextTurn();
}

/**
 * Records what was scheduled. `tick()` fires the timer scheduled first and says after how many ms it was due (null
 * when none is pending); `fire(ms)` fires every pending timer of that period.
 */
export function manualTimers() {
  const pending = new Map<number, { run: () => unknown; ms: number }>();
  let next = 1;
  const timers: LoopTimers = {
    setTimeout: (run, ms) => {
      pending.set(next, { run, ms });
      return next++;
    },
    clearTimeout: (handle) => void pending.delete(handle as number),
  };
  const tick = async () => {
    const [first] = pending;
    if (!first) return null;
    pending.delete(first[0]);
    await settle([first[1].run()]);
    return first[1].ms;
  };
  const fire = async (ms: number) => {
    const passes: unknown[] = [];
    for (const [handle, timer] of [...pending]) {
      if (timer.ms !== ms) continue;
      pending.delete(handle);
      passes.push(timer.run());
    }
    await settle(passes);
  };
  return { timers, tick, fire, pending };
}
