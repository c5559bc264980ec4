import { describe, expect, it } from "vitest";
import { getPlatformClock } from "@/lib/platform-clock";
import { getPolicyProfile } from "@/lib/policy/profiles";
import { hourMs } from "@/lib/time";

const taobao = getPolicyProfile("taobao");
const douyin = getPolicyProfile("douyin");
const receivedAt = new Date("2026-11-23T02:00:00.000Z");

describe("getPlatformClock", () => {
  it("uses the platform's own deadline when it sent one", () => {
    const platformDeadline = new Date(receivedAt.getTime() + 5 * hourMs);
    const clock = getPlatformClock(taobao, { kind: "refund_only", receivedAt, platformDeadline, isShipped: true }, new Date(receivedAt.getTime() + hourMs));
    expect(clock).toEqual({ dueAt: platformDeadline, remainingMs: 4 * hourMs, onTimeout: "auto_agree", isFallback: false });
  });

  it.each([
    ["taobao refund-only, shipped: 36 h auto-agree", taobao, "refund_only", true, 36, "auto_agree"],
    ["taobao refund-only, unshipped: 24 h auto-refund", taobao, "refund_only", false, 24, "auto_refund"],
    ["taobao return & refund: 120 h auto-agree", taobao, "return_refund", true, 120, "auto_agree"],
    ["douyin unshipped refund: 48 h auto-refund", douyin, "refund_only", false, 48, "auto_refund"],
    ["douyin after-sale review: 48 h, action unknown", douyin, "exchange", true, 48, null],
  ] as const)("falls back to the profile: %s", (_label, profile, kind, isShipped, hours, onTimeout) => {
    const clock = getPlatformClock(profile, { kind, receivedAt, platformDeadline: null, isShipped }, receivedAt);
    expect(clock).toEqual({ dueAt: new Date(receivedAt.getTime() + hours * hourMs), remainingMs: hours * hourMs, onTimeout, isFallback: true });
  });

  it("has no clock for a re-open request without a platform deadline", () => {
    expect(getPlatformClock(taobao, { kind: "entry_reopen", receivedAt, platformDeadline: null, isShipped: true }, receivedAt)).toBeNull();
  });

  it("goes negative once the deadline has passed", () => {
    const platformDeadline = new Date(receivedAt.getTime() + hourMs);
    expect(getPlatformClock(taobao, { kind: "repair", receivedAt, platformDeadline, isShipped: true }, new Date(receivedAt.getTime() + hourMs + 1))?.remainingMs).toBe(-1);
  });
});
