import { describe, expect, it } from "vitest";
import { decideTokenRefresh, getRefreshRetryDelayMs, isWithinRefreshMargin, maxRefreshMarginMs, minRefreshIntervalMs, refreshMarginsMs, type TokenTimes } from "@/lib/platforms/token-policy";
import type { Protocol } from "@/lib/platforms/types";
import { hourMs, minuteMs } from "@/lib/time";

const now = new Date("2026-11-20T02:00:00.000Z");
const at = (offsetMs: number) => new Date(now.getTime() + offsetMs);
const app = (protocol: Protocol, expiresInMs: number | null, refreshedAgoMs: number | null = null): TokenTimes => ({
  protocol,
  accessTokenExpiresAt: expiresInMs === null ? null : at(expiresInMs),
  tokenRefreshedAt: refreshedAgoMs === null ? null : at(-refreshedAgoMs),
});

describe("refresh margins", () => {
  it("Douyin and Taobao 2 hours, WeChat 10 minutes; the upkeep reads up to the widest", () => {
    expect(refreshMarginsMs).toEqual({ douyin_push: 2 * hourMs, taobao_tmc: 2 * hourMs, wechat_ec: 10 * minuteMs });
    expect(maxRefreshMarginMs).toBe(2 * hourMs);
  });
});

describe("decideTokenRefresh: is a token due", () => {
  it.each<[string, TokenTimes, boolean]>([
    ["Douyin exactly at its 2-hour margin", app("douyin_push", 2 * hourMs), true],
    ["Douyin 1 ms before its margin", app("douyin_push", 2 * hourMs + 1), false],
    ["Douyin 1 hour from expiry", app("douyin_push", hourMs), true],
    ["Taobao exactly at its margin", app("taobao_tmc", 2 * hourMs), true],
    ["Taobao 3 hours from expiry", app("taobao_tmc", 3 * hourMs), false],
    ["WeChat exactly at its 10-minute margin", app("wechat_ec", 10 * minuteMs), true],
    ["WeChat 1 ms before its margin", app("wechat_ec", 10 * minuteMs + 1), false],
    ["WeChat 1 hour from expiry (Douyin's margin would say due)", app("wechat_ec", hourMs), false],
    ["expiring exactly now", app("douyin_push", 0), true],
    ["already past (a day ago)", app("douyin_push", -24 * hourMs), true],
    ["WeChat already past", app("wechat_ec", -minuteMs), true],
    ["no expiry recorded", app("douyin_push", null), false],
    ["no expiry recorded, refreshed long ago", app("wechat_ec", null, 24 * hourMs), false],
  ])("%s → due %s", (_name, times, due) => {
    expect(decideTokenRefresh(times, null, now).due).toBe(due);
    expect(isWithinRefreshMargin(times, now)).toBe(due);
  });

  it("null expiry says why", () => {
    expect(decideTokenRefresh(app("douyin_push", null), null, now)).toEqual({ due: false, reason: "no_expiry" });
  });

  it("a refresh that left the expiry inside the margin waits 5 minutes before the next (WeChat hands back the same token)", () => {
    expect(decideTokenRefresh(app("wechat_ec", 9 * minuteMs, minRefreshIntervalMs - 1), null, now)).toEqual({ due: false, reason: "refreshed_recently", retryAt: at(1) });
    expect(decideTokenRefresh(app("wechat_ec", 9 * minuteMs, minRefreshIntervalMs), null, now)).toEqual({ due: true });
  });
});

describe("backoff after failed refreshes", () => {
  it.each<[Protocol, number, number]>([
    ["douyin_push", 1, minuteMs],
    ["douyin_push", 2, 2 * minuteMs],
    ["douyin_push", 4, 8 * minuteMs],
    ["douyin_push", 5, 15 * minuteMs],
    ["douyin_push", 12, 15 * minuteMs],
    // WeChat's margin is 10 minutes: never wait more than a quarter of it
    ["wechat_ec", 1, minuteMs],
    ["wechat_ec", 2, 2 * minuteMs],
    ["wechat_ec", 3, 2.5 * minuteMs],
    ["wechat_ec", 30, 2.5 * minuteMs],
  ])("%s after %i failure(s) waits %i ms", (protocol, count, delay) => {
    expect(getRefreshRetryDelayMs(protocol, count)).toBe(delay);
  });

  it("is not due until the delay has passed, then due (exactly at the retry time)", () => {
    const times = app("douyin_push", hourMs);
    const failures = { count: 2, lastFailedAt: at(-2 * minuteMs + 1) };
    expect(decideTokenRefresh(times, failures, now)).toEqual({ due: false, reason: "backing_off", retryAt: at(1) });
    expect(decideTokenRefresh(times, { count: 2, lastFailedAt: at(-2 * minuteMs) }, now)).toEqual({ due: true });
  });
});
