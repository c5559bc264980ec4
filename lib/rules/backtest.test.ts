import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { createBuyerHistoryCounter } from "@/lib/rules/backtest";

describe("createBuyerHistoryCounter", () => {
  it("counts the buyer's earlier requests in [t − window, t), as a filter over all of them would", () => {
    fc.assert(
      fc.property(
        // Hundreds of requests per buyer over a short window, so old times are dropped many times over
        fc.array(fc.record({ buyer: fc.integer({ min: 0, max: 2 }), stepMs: fc.integer({ min: 0, max: 40 }) }), { minLength: 300, maxLength: 600 }),
        fc.integer({ min: 1, max: 200 }),
        (steps, windowMs) => {
          const counter = createBuyerHistoryCounter(windowMs);
          const seen: { buyer: string; atMs: number }[] = [];
          let atMs = 0;
          for (const step of steps) {
            atMs += step.stepMs;
            const buyer = `buyer-${step.buyer}`;
            const expected = seen.filter((earlier) => earlier.buyer === buyer && earlier.atMs >= atMs - windowMs && earlier.atMs < atMs).length;
            expect(counter.countThenAdd(buyer, atMs)).toBe(expected);
            seen.push({ buyer, atMs });
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
