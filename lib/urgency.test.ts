import { describe, expect, it } from "vitest";
import { compareUrgency, getUrgencyKey, toUrgencyInput, urgencyBands, type UrgencyInput } from "@/lib/urgency";

const asOf = Date.parse("2026-11-23T06:00:00.000Z");
const second = 1_000;
const minute = 60 * second;
const hour = 60 * minute;
const card = (id: string, respondByMs: number, platformDueAtMs: number | null): UrgencyInput => ({ id, respondByMs, platformDueAtMs });

describe("getUrgencyKey", () => {
  it.each([
    ["exactly at the reply deadline: still inside the clock", card("a", asOf, asOf + 30 * hour), urgencyBands.replyClock, asOf],
    ["1 ms past the reply deadline: the platform's clock", card("a", asOf - 1, asOf + 30 * hour), urgencyBands.platformClock, asOf + 30 * hour],
    ["inside the clock, no platform clock: the reply deadline", card("a", asOf + minute, null), urgencyBands.replyClock, asOf + minute],
    ["inside the clock, platform deadline moved up before it: the platform's", card("a", asOf + 2 * minute, asOf + minute), urgencyBands.replyClock, asOf + minute],
    ["past the clock, platform deadline already passed: still by it", card("a", asOf - hour, asOf - minute), urgencyBands.platformClock, asOf - minute],
    ["past the clock, no platform clock at all: last, by the reply deadline", card("a", asOf - hour, null), urgencyBands.noClock, asOf - hour],
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
      card("overdue-46h", asOf - 2 * hour, asOf + 46 * hour),
      card("reopen-old", asOf - 5 * hour, null),
      card("fresh-2m", asOf + 2 * minute, asOf + 48 * hour),
      card("overdue-35h", asOf - 10 * hour, asOf + 35 * hour),
      card("fresh-30s", asOf + 30 * second, asOf + 24 * hour),
      card("reopen-older", asOf - 9 * hour, null),
      card("overdue-refunds-in-5m", asOf - 30 * hour, asOf + 5 * minute),
    ];
    expect(sortIds(inputs)).toEqual(["fresh-30s", "fresh-2m", "overdue-refunds-in-5m", "overdue-35h", "overdue-46h", "reopen-older", "reopen-old"]);
  });

  it("moves a card from the top to its platform deadline once its reply clock has run out", () => {
    const inputs = [card("fresh", asOf + 10 * second, asOf + 40 * hour), card("overdue", asOf - hour, asOf + 20 * hour)];
    expect(sortIds(inputs)).toEqual(["fresh", "overdue"]);
    expect(sortIds(inputs, asOf + 11 * second)).toEqual(["overdue", "fresh"]);
  });

  it("breaks ties by id whatever the input order, so pages never skip or repeat", () => {
    const tied = [card("req_c", asOf - hour, asOf + hour), card("req_a", asOf - 2 * hour, asOf + hour), card("req_b", asOf - 3 * hour, asOf + hour)];
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
    ["no deadline, Tmall refund before shipping: the 24 h estimate", { platform: "tmall", kind: "refund_only", platformDeadline: null, shippedAt: null }, received + 24 * hour],
    ["no deadline, Tmall refund after shipping: the 36 h estimate", { platform: "tmall", kind: "refund_only", platformDeadline: null, shippedAt: "2026-11-20T00:00:00.000Z" }, received + 36 * hour],
    ["no deadline, Douyin exchange: the 48 h estimate", { platform: "douyin", kind: "exchange", platformDeadline: null, shippedAt: null }, received + 48 * hour],
    ["a re-open request without a deadline has no platform clock", { platform: "taobao", kind: "entry_reopen", platformDeadline: null, shippedAt: null }, null],
  ] as const)("%s", (_label, values, platformDueAtMs) => {
    const input = toUrgencyInput({ ...base, platform: values.platform, kind: values.kind, platformDeadline: values.platformDeadline, order: { shippedAt: values.shippedAt } });
    expect(input).toEqual({ id: "req_1", respondByMs: Date.parse(base.respondBy), platformDueAtMs });
  });
});
