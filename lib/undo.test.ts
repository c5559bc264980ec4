import { describe, expect, it } from "vitest";
import { canUndo, getFinalAt } from "@/lib/undo";

const decidedAt = new Date("2026-11-23T06:00:00.000Z");
const finalAt = getFinalAt(decidedAt);
const decided = { status: "approved", decidedBy: "usr_a", finalAt };
const at = (ms: number) => new Date(decidedAt.getTime() + ms);

describe("canUndo", () => {
  it("is final exactly 5 s after the click", () => {
    expect(finalAt.toISOString()).toBe("2026-11-23T06:00:05.000Z");
  });

  it.each([
    ["at the click", 0, { ok: true }],
    ["1 ms before final", 4_999, { ok: true }],
    ["exactly at final", 5_000, { ok: false, reason: "final" }],
    ["after final", 60_000, { ok: false, reason: "final" }],
  ])("%s", (_label, elapsedMs, expected) => {
    expect(canUndo(decided, "usr_a", at(elapsedMs))).toEqual(expected);
  });

  it("belongs to the decision's author only", () => {
    expect(canUndo(decided, "usr_b", at(100))).toEqual({ ok: false, reason: "not_yours" });
  });

  it("needs a decided request with a window (a system decision has none)", () => {
    expect(canUndo({ ...decided, status: "pending" }, "usr_a", at(100))).toEqual({ ok: false, reason: "not_decided" });
    expect(canUndo({ ...decided, status: "cancelled" }, "usr_a", at(100))).toEqual({ ok: false, reason: "not_decided" });
    expect(canUndo({ ...decided, finalAt: null }, "usr_a", at(100))).toEqual({ ok: false, reason: "final" });
  });
});
