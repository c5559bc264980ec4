import { describe, expect, it } from "vitest";
import { hourMs, minuteMs } from "@/lib/time";
import { compareUrgency, getUrgencyKey, toUrgencyInput, urgencyBands, type UrgencyInput } from "@/lib/urgency";

const asOf = Date.parse("2026-11-23T06:00:00.000Z");
const second = 1_000;
const card = (id: string, respondByMs: number, platformDueAtMs: number | null): UrgencyInput => ({ id, respondByMs, platformDueAtMs });

describe("getUrgencyKey", () => {
  it.each([
    ["exactly at the reply deadline: still inside the clock", card("a", asOf, asOf + 30 * hourMs), urgencyBands.replyClock, asOf],
    ["1 ms past the reply deadline: the platform's clock", card("a", asOf - 1, asOf + 30 * hourMs), urgencyBands.platformClock, asOf + 30 * hourMs],
    ["inside the clock, no platform clock: the reply deadline", card("a", asOf + minuteMs, null), urgencyBands.replyClock, asOf + minuteMs],
    ["inside the clock, platform deadline moved up before it: the platform's", card("a", asOf + 2 * minuteMs, asOf + minuteMs), urgencyBands.replyClock, asOf + minuteMs],
    ["past the clock, platform deadline already passed: still by it", card("a", asOf - hourMs, asOf - minuteMs), urgencyBands.platformClock, asOf - minuteMs],
    ["past the clock, no platform clock at all: last, by the reply deadline", card("a", asOf - hourMs, null), urgencyBands.noClock, asOf - hourMs],
  ])("%s", (_label, input, band, atMs) => {
    expect(getUrgencyKey(input, asOf)).toEqual({ band, atMs, id: "a" });
  });
});

describe("the pending order", () => {
  const sortIds = (inputs: UrgencyInput[], at = asOf) =>
    inputs
      .map((input) => getUrgencyKey(input, at))
      .sort(compareUrgency)
      .map((key) => key.id);

  it("puts cards inside the reply clock first (by it), then the overdue by platform deadline nearest first, then those without one", () => {
    const inputs = [
      card("overdue-46h", asOf - 2 * hourMs, asOf + 46 * hourMs),
      card("reopen-old", asOf - 5 * hourMs, null),
      card("fresh-2m", asOf + 2 * minuteMs, asOf + 48 * hourMs),
      card("overdue-35h", asOf - 10 * hourMs, asOf + 35 * hourMs),
      card("fresh-30s", asOf + 30 * second, asOf + 24 * hourMs),
      card("reopen-older", asOf - 9 * hourMs, null),
      card("overdue-refunds-in-5m", asOf - 30 * hourMs, asOf + 5 * minuteMs),
    ];
    expect(sortIds(inputs)).toEqual(["fresh-30s", "fresh-2m", "overdue-refunds-in-5m", "overdue-35h", "overdue-46h", "reopen-older", "reopen-old"]);
  });

  it("moves a card from the top to its platform deadline once its reply clock has run out", () => {
    const inputs = [card("fresh", asOf + 10 * second, asOf + 40 * hourMs), card("overdue", asOf - hourMs, asOf + 20 * hourMs)];
    expect(sortIds(inputs)).toEqual(["fresh", "overdue"]);
    expect(sortIds(inputs, asOf + 11 * second)).toEqual(["overdue", "fresh"]);
  });

  it("breaks ties by id whatever the input order, so pages never skip or repeat", () => {
    const tied = [card("req_c", asOf - hourMs, asOf + hourMs), card("req_a", asOf - 2 * hourMs, asOf + hourMs), card("req_b", asOf - 3 * hourMs, asOf + hourMs)];
    expect(sortIds(tied)).toEqual(["req_a", "req_b", "req_c"]);
    expect(sortIds([...tied].reverse())).toEqual(["req_a", "req_b", "req_c"]);
    expect(compareUrgency(getUrgencyKey(tied[0], asOf), getUrgencyKey(tied[0], asOf))).toBe(0);
  });
});

describe("toUrgencyInput", () => {
  const base = { id: "req_1", respondBy: "2026-11-23T02:03:00.000Z", receivedAt: "2026-11-23T02:00:00.000Z" };
  const received = Date.parse(base.receivedAt);

  it.each([
    ["the platform's own deadline wins", { platform: "tmall", kind: "refund_only", platformDeadline: "2026-11-24T00:00:00.000Z", shippedAt: null }, Date.parse("2026-11-24T00:00:00.000Z")],
    ["no deadline, Tmall refund before shipping: the 24 h estimate", { platform: "tmall", kind: "refund_only", platformDeadline: null, shippedAt: null }, received + 24 * hourMs],
    ["no deadline, Tmall refund after shipping: the 36 h estimate", { platform: "tmall", kind: "refund_only", platformDeadline: null, shippedAt: "2026-11-20T00:00:00.000Z" }, received + 36 * hourMs],
    ["no deadline, Douyin exchange: the 48 h estimate", { platform: "douyin", kind: "exchange", platformDeadline: null, shippedAt: null }, received + 48 * hourMs],
    ["a re-open request without a deadline has no platform clock", { platform: "taobao", kind: "entry_reopen", platformDeadline: null, shippedAt: null }, null],
  ] as const)("%s", (_label, values, platformDueAtMs) => {
    const input = toUrgencyInput({ ...base, platform: values.platform, kind: values.kind, platformDeadline: values.platformDeadline, order: { shippedAt: values.shippedAt } });
    expect(input).toEqual({ id: "req_1", respondByMs: Date.parse(base.respondBy), platformDueAtMs });
  });
});
