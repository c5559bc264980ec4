import { describe, expect, it } from "vitest";
import { startLoop } from "@/app/_server/loop";
import { manualTimers } from "@/app/_server/loop.fixture";

describe("startLoop", () => {
  it("runs a pass every period, the first after one period unless told otherwise", async () => {
    const { timers, tick } = manualTimers();
    let passes = 0;
    startLoop({ name: "test", everyMs: 1_000, run: () => passes++, timers });
    expect(await tick()).toBe(1_000);
    expect(await tick()).toBe(1_000);
    expect(passes).toBe(2);
    const soon = manualTimers();
    startLoop({ name: "test", everyMs: 1_000, firstAfterMs: 0, run: () => undefined, timers: soon.timers });
    expect(await soon.tick()).toBe(0);
  });

  it("logs a failed pass and keeps going", async () => {
    const { timers, tick } = manualTimers();
    const errors: unknown[][] = [];
    let passes = 0;
    startLoop({
      name: "flaky",
      everyMs: 10,
      timers,
      logError: (...values) => errors.push(values),
      run: () => {
        passes++;
        if (passes === 1) throw new Error("database is locked");
      },
    });
    await tick();
    await tick();
    expect(passes).toBe(2);
    expect(errors).toHaveLength(1);
    expect(errors[0][0]).toBe("[flaky] pass failed:");
  });

  it("schedules the next pass only when an async pass has ended, so passes never overlap", async () => {
    const { timers, pending } = manualTimers();
    let finish = () => {};
    startLoop({ name: "slow", everyMs: 10, timers, run: () => new Promise<void>((resolve) => (finish = resolve)) });
    // Fired by hand rather than by tick(), which would wait for this pass to end
    const [[handle, timer]] = pending;
    pending.delete(handle);
    const pass = timer.run();
    await new Promise((resolve) => setImmediate(resolve));
    expect(pending.size).toBe(0);
    finish();
    await pass;
    expect(pending.size).toBe(1);
  });

  it("stops: no pass after stop(), also when stopped during a pass", async () => {
    const { timers, tick, pending } = manualTimers();
    let passes = 0;
    const loop = startLoop({ name: "test", everyMs: 10, timers, run: () => passes++ });
    loop.stop();
    expect(await tick()).toBeNull();
    const during = manualTimers();
    const stopping = startLoop({ name: "test", everyMs: 10, timers: during.timers, run: () => stopping.stop() });
    await during.tick();
    expect(during.pending.size).toBe(0);
    expect(passes).toBe(0);
    expect(pending.size).toBe(0);
  });
});
