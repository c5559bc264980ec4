import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { priorRefundStates, type PriorRefundState } from "@/lib/domain";
import { getEntryReopenEligibility, type EntryReopenOrder } from "@/lib/policy/entry-reopen";
import { getPolicyProfile } from "@/lib/policy/profiles";

// A plain reference written from docs/domain/after-sales-entry.md, not from the rules module: Shanghai dates via the IANA zone and
// ISO strings, two years by calendar date (29 Feb → 28 Feb), eligible through that whole Shanghai day.
const shanghaiDateFormat = new Intl.DateTimeFormat("en-CA", {
  timeZone: "Asia/Shanghai",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

function referenceDeadline(completedAt: Date): Date {
  const [year, month, day] = shanghaiDateFormat.format(completedAt).split("-");
  const targetYear = Number(year) + 2;
  const isLeap = (targetYear % 4 === 0 && targetYear % 100 !== 0) || targetYear % 400 === 0;
  const targetDay = month === "02" && day === "29" && !isLeap ? "28" : day;
  return new Date(`${targetYear}-${month}-${targetDay}T23:59:59.999+08:00`);
}

function isReferenceEligible(
  order: { completedAt: Date; priorRefundState: PriorRefundState; entryOpenedAt: Date | null },
  now: Date,
): boolean {
  const isOpen =
    order.entryOpenedAt !== null &&
    now >= order.entryOpenedAt &&
    now.getTime() - order.entryOpenedAt.getTime() <= 30 * 86_400_000;
  const isYoungEnough = now <= referenceDeadline(order.completedAt);
  const hasNoSucceededRefund = order.priorRefundState === "none" || order.priorRefundState === "closed";
  return !isOpen && isYoungEnough && hasNoSucceededRefund;
}

const instant = fc.date({ min: new Date("2020-01-01T00:00:00Z"), max: new Date("2032-01-01T00:00:00Z"), noInvalidDate: true });
const fourYearsMs = 4 * 366 * 86_400_000;

const history = fc.record({
  platform: fc.constantFrom("taobao" as const, "tmall" as const),
  completedAt: instant,
  priorRefundState: fc.constantFrom(...priorRefundStates),
  // when the entry was last opened, relative to 交易成功 (null: never)
  openedAfterMs: fc.option(fc.integer({ min: 0, max: fourYearsMs }), { nil: null }),
  timesOpened: fc.nat({ max: 1_000 }),
  // the clock, relative to 交易成功; biased toward the edges we care about
  nowAfterMs: fc.oneof(
    fc.integer({ min: -86_400_000, max: fourYearsMs }),
    fc.integer({ min: 729 * 86_400_000, max: 732 * 86_400_000 }),
  ),
});

describe("getEntryReopenEligibility against a reference", () => {
  it("agrees on eligibility for random orders, histories and times", () => {
    fc.assert(
      fc.property(history, (generated) => {
        const entryOpenedAt =
          generated.openedAfterMs === null ? null : new Date(generated.completedAt.getTime() + generated.openedAfterMs);
        const order: EntryReopenOrder = {
          completedAt: generated.completedAt,
          priorRefundState: generated.priorRefundState,
          entryOpenedAt,
          timesOpened: entryOpenedAt === null ? 0 : generated.timesOpened + 1,
        };
        const now = new Date(generated.completedAt.getTime() + generated.nowAfterMs);
        const result = getEntryReopenEligibility(getPolicyProfile(generated.platform), order, now);
        const reference = { completedAt: generated.completedAt, priorRefundState: generated.priorRefundState, entryOpenedAt };
        expect(result.eligible).toBe(isReferenceEligible(reference, now));
      }),
      { numRuns: 2_000 },
    );
  });

  it("agrees exactly at the deadline and 1 ms after, for any deal instant", () => {
    fc.assert(
      fc.property(instant, fc.constantFrom(0, 1), (completedAt, afterMs) => {
        const order: EntryReopenOrder = { completedAt, priorRefundState: "none" };
        const now = new Date(referenceDeadline(completedAt).getTime() + afterMs);
        const result = getEntryReopenEligibility(getPolicyProfile("taobao"), order, now);
        expect(result.eligible).toBe(afterMs === 0);
      }),
    );
  });
});

describe("opening the entry again and again", () => {
  it("never fails for an eligible order, however many times it was opened before", () => {
    fc.assert(
      fc.property(
        instant,
        fc.constantFrom<PriorRefundState>("none", "closed"),
        // gaps between openings: each one after the previous entry closed by itself
        fc.array(fc.integer({ min: 30 * 86_400_000 + 1, max: 90 * 86_400_000 }), { minLength: 1, maxLength: 40 }),
        (completedAt, priorRefundState, gapsMs) => {
          const profile = getPolicyProfile("taobao");
          const deadline = referenceDeadline(completedAt);
          let order: EntryReopenOrder = { completedAt, priorRefundState, entryOpenedAt: null, timesOpened: 0 };
          let now = new Date(completedAt.getTime() + 16 * 86_400_000);
          for (const gapMs of gapsMs) {
            if (now > deadline) break;
            const result = getEntryReopenEligibility(profile, order, now);
            expect(result).toMatchObject({ eligible: true });
            order = { ...order, entryOpenedAt: now, timesOpened: (order.timesOpened ?? 0) + 1 };
            // asking again while it is open is answered, not refused as an error
            expect(getEntryReopenEligibility(profile, order, now)).toMatchObject({ eligible: false, reason: "already_open" });
            now = new Date(now.getTime() + gapMs);
          }
        },
      ),
    );
  });
});
