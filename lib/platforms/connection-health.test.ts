import { describe, expect, it } from "vitest";
import { describePlatformError, getConnectionProblems, getRelativeTime, maxLastErrorChars, toPlatformWords, type HealthTimes } from "@/lib/platforms/connection-health";
import { hourMs, minuteMs } from "@/lib/time";

const now = new Date("2026-11-20T02:00:00.000Z");
const at = (offsetMs: number) => new Date(now.getTime() + offsetMs);
const healthy: HealthTimes = { protocol: "douyin_push", accessTokenExpiresAt: at(5 * 24 * hourMs), tokenRefreshedAt: at(-2 * 24 * hourMs), lastAnswerAt: null, lastErrorAt: null };

describe("getConnectionProblems", () => {
  it.each<[string, Partial<HealthTimes>, string[]]>([
    ["a token days from expiry, no error", {}, []],
    ["no expiry recorded and no error", { accessTokenExpiresAt: null, tokenRefreshedAt: null }, []],
    ["expired exactly now", { accessTokenExpiresAt: now }, ["token_expired"]],
    ["expired a day ago", { accessTokenExpiresAt: at(-24 * hourMs) }, ["token_expired"]],
    ["Douyin 1 h from expiry, last refreshed before the margin", { accessTokenExpiresAt: at(hourMs) }, ["token_expiring"]],
    ["Douyin 1 h from expiry, never refreshed", { accessTokenExpiresAt: at(hourMs), tokenRefreshedAt: null }, ["token_expiring"]],
    ["Douyin 1 h from expiry, refreshed after entering the margin", { accessTokenExpiresAt: at(hourMs), tokenRefreshedAt: at(-30 * minuteMs) }, []],
    ["Douyin refreshed exactly when it entered the margin", { accessTokenExpiresAt: at(hourMs), tokenRefreshedAt: at(-hourMs) }, []],
    ["WeChat 1 h from expiry (outside its 10-minute margin)", { protocol: "wechat_ec", accessTokenExpiresAt: at(hourMs) }, []],
    ["WeChat 5 minutes from expiry", { protocol: "wechat_ec", accessTokenExpiresAt: at(5 * minuteMs) }, ["token_expiring"]],
    ["an error 59 minutes ago", { lastErrorAt: at(-59 * minuteMs) }, ["recent_error"]],
    ["an error exactly an hour ago", { lastErrorAt: at(-hourMs) }, ["recent_error"]],
    ["an error an hour and a second ago", { lastErrorAt: at(-hourMs - 1_000) }, []],
    ["an error, then an answer delivered", { lastErrorAt: at(-10 * minuteMs), lastAnswerAt: at(-5 * minuteMs) }, []],
    ["an error, then a successful refresh", { lastErrorAt: at(-10 * minuteMs), tokenRefreshedAt: at(-5 * minuteMs) }, []],
    ["an answer, then an error", { lastErrorAt: at(-5 * minuteMs), lastAnswerAt: at(-10 * minuteMs) }, ["recent_error"]],
    ["expired and a fresh error", { accessTokenExpiresAt: at(-minuteMs), lastErrorAt: at(-minuteMs) }, ["token_expired", "recent_error"]],
  ])("%s → %j", (_name, change, problems) => {
    expect(getConnectionProblems({ ...healthy, ...change }, now)).toEqual(problems);
  });
});

describe("getRelativeTime", () => {
  it.each<[number, ReturnType<typeof getRelativeTime>]>([
    [3 * hourMs + 59 * minuteMs, { unit: "hours", count: 3, isPast: false }],
    [hourMs, { unit: "hours", count: 1, isPast: false }],
    [hourMs - 1, { unit: "minutes", count: 59, isPast: false }],
    [30_000, { unit: "minutes", count: 0, isPast: false }],
    [47 * hourMs, { unit: "hours", count: 47, isPast: false }],
    [48 * hourMs, { unit: "days", count: 2, isPast: false }],
    [7 * 24 * hourMs, { unit: "days", count: 7, isPast: false }],
    [-2 * hourMs, { unit: "hours", count: 2, isPast: true }],
    [-90 * 1_000, { unit: "minutes", count: 1, isPast: true }],
  ])("%i ms from now → %j", (offset, relative) => {
    expect(getRelativeTime(at(offset), now)).toEqual(relative);
  });
});

describe("describePlatformError: Chinese, with the platform's own words", () => {
  it.each([
    ["token_refresh", 'PlatformMessageError: {"code":30002,"msg":"refresh_token已过期"}', "令牌刷新失败：refresh_token已过期（代码 30002）"],
    [
      "token_refresh",
      'PlatformMessageError: HTTP 400 from /oauth2/refresh_token: {"error_response":{"code":27,"msg":"Invalid session","sub_code":"invalid-sessionkey","sub_msg":"SessionKey非法"}}',
      "令牌刷新失败：平台接口 /oauth2/refresh_token 返回 HTTP 400：SessionKey非法（代码 invalid-sessionkey）",
    ],
    ["answer", 'PlatformMessageError: HTTP 500 from /afterSale/operate: {"err_no":0,"message":"系统繁忙","data":{}}', "回传处理失败：平台接口 /afterSale/operate 返回 HTTP 500：系统繁忙"],
    // Cut at 200 characters by the client: the fields are still read, the rest dropped
    ["detail", 'PlatformMessageError: HTTP 403 from /x: {"errcode":40001,"errmsg":"invalid credential, access_token is invalid or not latest","extra":"' + "x".repeat(50), "读取售后详情失败：平台接口 /x 返回 HTTP 403：invalid credential, access_token is invalid or not latest（代码 40001）"],
    ["answer", 'PlatformMessageError: HTTP 400 from /x: {"data":null}', "回传处理失败：平台接口 /x 返回 HTTP 400：平台没有说明原因"],
    ["answer", "PlatformMessageError: HTTP 502 from /router/rest: <html><body>Bad Gateway</body></html>", "回传处理失败：平台接口 /router/rest 返回 HTTP 502"],
    ["answer", "PlatformMessageError: HTTP 502 from /afterSale/operate: bad gateway", "回传处理失败：平台接口 /afterSale/operate 返回 HTTP 502：bad gateway"],
    ["answer", "PlatformMessageError: HTTP 503 from /router/rest: ", "回传处理失败：平台接口 /router/rest 返回 HTTP 503"],
    ["token_refresh", "TimeoutError: The operation was aborted due to timeout", "令牌刷新失败：平台接口在限定时间内没有应答（超时）"],
    ["token_refresh", "TypeError: fetch failed", "令牌刷新失败：连不上平台接口（网络错误）"],
    ["detail", "PlatformMessageError: The platform answered with something that is not JSON: <html>", "读取售后详情失败：平台返回的内容无法解析（不是接口应答，像是一个网页）"],
    ["detail", "PlatformMessageError: The platform answered with something that is not JSON: OK", "读取售后详情失败：平台返回的内容无法解析：OK"],
    ["answer", "", "回传处理失败：平台没有说明原因"],
    ["answer", "access_token 无效 (40001)", "回传处理失败：access_token 无效 (40001)"],
  ] as const)("%s %j", (stage, raw, text) => {
    expect(describePlatformError(stage, raw)).toBe(text);
  });

  it("reads a stored error with a platform's JSON in it as words (rows written before), and leaves plain text alone", () => {
    expect(toPlatformWords('回传处理失败：{"code":"isv.invalid-parameter","msg":"参数错误"}')).toBe("回传处理失败：参数错误（代码 isv.invalid-parameter）");
    expect(toPlatformWords("令牌刷新失败：没有保存刷新令牌（Refresh Token）")).toBe("令牌刷新失败：没有保存刷新令牌（Refresh Token）");
    expect(toPlatformWords("说明 {不是 JSON}")).toBe("说明 {不是 JSON}");
  });

  it("is cut to what the card shows", () => {
    expect(describePlatformError("answer", "错".repeat(1_000))).toHaveLength(maxLastErrorChars);
  });
});
