import { describe, expect, it } from "vitest";
import {
  getEntryOpenUntil,
  getEntryReopenDeadline,
  getEntryReopenEligibility,
  isEntryOpen,
  type EntryReopenOrder,
} from "@/lib/policy/entry-reopen";
import { getPolicyProfile, type PolicyProfile } from "@/lib/policy/profiles";
import { dayMs } from "@/lib/time";

const taobao = getPolicyProfile("taobao");
const douyin = getPolicyProfile("douyin");

function at(iso: string): Date {
  return new Date(iso);
}

function plus(instant: Date, ms: number): Date {
  return new Date(instant.getTime() + ms);
}

describe("getEntryReopenDeadline", () => {
  it.each([
    // 15:30Z on 29 Feb: Shanghai and UTC agree on the date; the deadline ends the Shanghai day
    ["23:30 Shanghai on the leap day", "2024-02-29T23:30:00+08:00", "2026-02-28T15:59:59.999Z"],
    // 16:30Z on 28 Feb in UTC, but the Shanghai date is 29 Feb
    ["00:30 Shanghai on the leap day", "2024-02-29T00:30:00+08:00", "2026-02-28T15:59:59.999Z"],
    // 16:30Z on 29 Feb in UTC (a UTC-date rule would give 28 Feb), but the Shanghai date is 1 Mar
    ["00:30 Shanghai on 1 March", "2024-03-01T00:30:00+08:00", "2026-03-01T15:59:59.999Z"],
    ["an ordinary day", "2025-06-10T12:00:00+08:00", "2027-06-10T15:59:59.999Z"],
  ])("%s → %s", (_label, completedIso, deadlineIso) => {
    expect(getEntryReopenDeadline(taobao, { completedAt: at(completedIso) })?.toISOString()).toBe(deadlineIso);
  });

  it("is null where the platform has no seller re-open", () => {
    expect(getEntryReopenDeadline(douyin, { completedAt: at("2025-06-10T04:00:00Z") })).toBeNull();
  });
});

describe("getEntryReopenEligibility at the two-year edge", () => {
  it.each([
    ["23:30 Shanghai on the leap day", "2024-02-29T23:30:00+08:00", "2026-02-28T15:59:59.999Z"],
    ["00:30 Shanghai on the leap day", "2024-02-29T00:30:00+08:00", "2026-02-28T15:59:59.999Z"],
    ["00:30 Shanghai on 1 March", "2024-03-01T00:30:00+08:00", "2026-03-01T15:59:59.999Z"],
  ])("%s: eligible exactly at the deadline, too old 1 ms after", (_label, completedIso, deadlineIso) => {
    const order: EntryReopenOrder = { completedAt: at(completedIso), priorRefundState: "none" };
    const deadline = at(deadlineIso);
    expect(getEntryReopenEligibility(taobao, order, deadline)).toEqual({
      eligible: true,
      deadline,
      openUntil: plus(deadline, 30 * dayMs),
    });
    expect(getEntryReopenEligibility(taobao, order, plus(deadline, 1))).toEqual({
      eligible: false,
      reason: "too_old",
      deadline,
    });
  });
});

describe("getEntryReopenEligibility", () => {
  const completedAt = at("2025-03-10T06:00:00Z");
  const now = at("2025-09-01T02:00:00Z");
  const deadline = at("2027-03-10T15:59:59.999Z");
  const openedAt = at("2025-08-20T02:00:00Z");
  if (!taobao.entryReopen) throw new Error("Taobao lets sellers re-open the entry");
  // The rule before the 2025 upgrade: once only (docs/domain/after-sales-entry.md)
  const preUpgrade: PolicyProfile = { ...taobao, entryReopen: { ...taobao.entryReopen, maxOpenings: 1 } };

  it.each([
    ["no refund → eligible", taobao, { completedAt, priorRefundState: "none" }, now, { eligible: true, deadline, openUntil: plus(now, 30 * dayMs) }],
    ["closed refund → eligible", taobao, { completedAt, priorRefundState: "closed" }, now, { eligible: true, deadline, openUntil: plus(now, 30 * dayMs) }],
    ["Tmall as Taobao", getPolicyProfile("tmall"), { completedAt, priorRefundState: "closed" }, now, { eligible: true, deadline, openUntil: plus(now, 30 * dayMs) }],
    ["succeeded refund → prior_refund", taobao, { completedAt, priorRefundState: "succeeded" }, now, { eligible: false, reason: "prior_refund", priorRefundState: "succeeded" }],
    ["Douyin → not_supported", douyin, { completedAt, priorRefundState: "none" }, now, { eligible: false, reason: "not_supported" }],
    ["deal not succeeded → not_completed", taobao, { completedAt: null, priorRefundState: "none" }, now, { eligible: false, reason: "not_completed" }],
    ["opened 12 days ago → already_open until", taobao, { completedAt, priorRefundState: "none", entryOpenedAt: openedAt }, now, { eligible: false, reason: "already_open", openUntil: plus(openedAt, 30 * dayMs) }],
    ["exactly 30 d after opening → still already_open", taobao, { completedAt, priorRefundState: "none", entryOpenedAt: openedAt }, plus(openedAt, 30 * dayMs), { eligible: false, reason: "already_open", openUntil: plus(openedAt, 30 * dayMs) }],
    ["30 d + 1 ms after opening → eligible again", taobao, { completedAt, priorRefundState: "none", entryOpenedAt: openedAt, timesOpened: 1 }, plus(openedAt, 30 * dayMs + 1), { eligible: true, deadline, openUntil: plus(openedAt, 60 * dayMs + 1) }],
    ["opened 57 times before → no limit", taobao, { completedAt, priorRefundState: "none", timesOpened: 57 }, now, { eligible: true, deadline, openUntil: plus(now, 30 * dayMs) }],
    ["still open past the two years → already_open wins", taobao, { completedAt, priorRefundState: "none", entryOpenedAt: at("2027-03-01T00:00:00Z") }, plus(deadline, 1), { eligible: false, reason: "already_open", openUntil: at("2027-03-31T00:00:00Z") }],
    ["pre-2025 rule, opened once → limit_reached", preUpgrade, { completedAt, priorRefundState: "none", timesOpened: 1 }, now, { eligible: false, reason: "limit_reached", maxOpenings: 1 }],
    ["pre-2025 rule, never opened → eligible", preUpgrade, { completedAt, priorRefundState: "none", timesOpened: 0 }, now, { eligible: true, deadline, openUntil: plus(now, 30 * dayMs) }],
  ] as const)("%s", (_label, profile, order: EntryReopenOrder, clock, expected) => {
    expect(getEntryReopenEligibility(profile, order, clock)).toEqual(expected);
  });
});

describe("getEntryReopenEligibility when the platform could not tell a fact", () => {
  // Completed 23:30 Shanghai on the leap day: the last instant to open is the end of 28 Feb 2026, Shanghai
  const completedAt = at("2024-02-29T23:30:00+08:00");
  const deadline = at("2026-02-28T15:59:59.999Z");
  const before = at("2025-09-01T02:00:00Z");

  it.each([
    ["completion unknown: never not_completed", { completedAt: null, priorRefundState: "none", unknownFacts: ["completed"] }, before, { eligible: false, reason: "unknown_facts", facts: ["completed"] }],
    ["completion unknown, whatever the clock", { completedAt: null, priorRefundState: "none", unknownFacts: ["completed"] }, at("2040-01-01T00:00:00Z"), { eligible: false, reason: "unknown_facts", facts: ["completed"] }],
    ["prior refund stored unknown: never as if none", { completedAt, priorRefundState: "unknown" }, before, { eligible: false, reason: "unknown_facts", facts: ["prior_refund"] }],
    ["prior refund listed unknown beside an old 'none'", { completedAt, priorRefundState: "none", unknownFacts: ["prior_refund"] }, before, { eligible: false, reason: "unknown_facts", facts: ["prior_refund"] }],
    ["prior refund unknown, exactly at the deadline", { completedAt, priorRefundState: "unknown" }, deadline, { eligible: false, reason: "unknown_facts", facts: ["prior_refund"] }],
    ["prior refund unknown, 1 ms past the deadline: too_old is known", { completedAt, priorRefundState: "unknown" }, plus(deadline, 1), { eligible: false, reason: "too_old", deadline }],
    ["both unknown: both named", { completedAt: null, priorRefundState: "unknown", unknownFacts: ["completed", "prior_refund"] }, before, { eligible: false, reason: "unknown_facts", facts: ["completed", "prior_refund"] }],
    ["completion unknown but a refund succeeded: prior_refund is known", { completedAt: null, priorRefundState: "succeeded", unknownFacts: ["completed"] }, before, { eligible: false, reason: "prior_refund", priorRefundState: "succeeded" }],
    ["unknown shipping does not matter here", { completedAt, priorRefundState: "none", unknownFacts: ["shipped", "received"] }, deadline, { eligible: true, deadline, openUntil: plus(deadline, 30 * dayMs) }],
  ] as const)("%s", (_label, order: EntryReopenOrder, clock, expected) => {
    expect(getEntryReopenEligibility(taobao, order, clock)).toEqual(expected);
  });

  it("an open entry still answers already_open, known from the desk's own record", () => {
    const openedAt = at("2025-08-20T02:00:00Z");
    const order: EntryReopenOrder = { completedAt: null, priorRefundState: "unknown", unknownFacts: ["completed", "prior_refund"], entryOpenedAt: openedAt };
    expect(getEntryReopenEligibility(taobao, order, plus(openedAt, 30 * dayMs))).toEqual({ eligible: false, reason: "already_open", openUntil: plus(openedAt, 30 * dayMs) });
    expect(getEntryReopenEligibility(taobao, order, plus(openedAt, 30 * dayMs + 1))).toEqual({ eligible: false, reason: "unknown_facts", facts: ["completed", "prior_refund"] });
  });
});

describe("getEntryOpenUntil", () => {
  it.each([
    ["Taobao: 30 days later", taobao, "2026-03-01T00:00:00.000Z"],
    ["Douyin: no re-open", douyin, null],
  ] as const)("%s", (_label, profile, expected) => {
    expect(getEntryOpenUntil(profile, at("2026-01-30T00:00:00Z"))?.toISOString() ?? null).toBe(expected);
  });
});

describe("isEntryOpen", () => {
  const openedAt = at("2026-01-30T00:00:00Z");
  it.each([
    ["never opened", taobao, null, 0, false],
    ["1 ms before opening", taobao, openedAt, -1, false],
    ["at opening", taobao, openedAt, 0, true],
    ["30 d − 1 ms", taobao, openedAt, 30 * dayMs - 1, true],
    ["exactly 30 d", taobao, openedAt, 30 * dayMs, true],
    ["30 d + 1 ms: closed by itself", taobao, openedAt, 30 * dayMs + 1, false],
    ["Douyin has no such entry", douyin, openedAt, 0, false],
  ] as const)("%s → %s", (_label, profile, entryOpenedAt, elapsedMs, expected) => {
    expect(isEntryOpen(profile, { entryOpenedAt }, plus(openedAt, elapsedMs))).toBe(expected);
  });
});
