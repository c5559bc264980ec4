import { getRefreshFrom, isWithinRefreshMargin, type TokenTimes } from "@/lib/platforms/token-policy";

// How the owner's 平台连接 judges one shop's connection (docs/platforms/tokens.md): pure, clock passed in.

const minuteMs = 60_000;
const hourMs = 60 * minuteMs;

/** An error this recent flags the connection unless a later success (answer delivered, token refreshed) followed it. */
export const recentErrorWindowMs = hourMs;

export const connectionProblems = [
  /** The access token's expiry has passed: platform calls fail until it is refreshed or replaced. */
  "token_expired",
  /** The token is within its refresh margin and no refresh has succeeded since it got there. */
  "token_expiring",
  /** A platform call failed within the last hour, and nothing succeeded after it. */
  "recent_error",
] as const;
export type ConnectionProblem = (typeof connectionProblems)[number];

export type HealthTimes = TokenTimes & { lastAnswerAt: Date | null; lastErrorAt: Date | null };

export function getConnectionProblems(app: HealthTimes, now: Date): ConnectionProblem[] {
  const problems: ConnectionProblem[] = [];
  const at = now.getTime();
  if (app.accessTokenExpiresAt && app.accessTokenExpiresAt.getTime() <= at) problems.push("token_expired");
  else if (isWithinRefreshMargin(app, now)) {
    const refreshFrom = getRefreshFrom(app)!;
    if (!app.tokenRefreshedAt || app.tokenRefreshedAt.getTime() < refreshFrom.getTime()) problems.push("token_expiring");
  }
  if (app.lastErrorAt && at - app.lastErrorAt.getTime() <= recentErrorWindowMs) {
    const lastSuccess = Math.max(app.lastAnswerAt?.getTime() ?? 0, app.tokenRefreshedAt?.getTime() ?? 0);
    if (lastSuccess <= app.lastErrorAt.getTime()) problems.push("recent_error");
  }
  return problems;
}

/** "in 3 hours", "2 days ago": the largest whole unit, rounded down, for the view's relative times. */
export type RelativeTime = { unit: "days" | "hours" | "minutes"; count: number; isPast: boolean };

export function getRelativeTime(instant: Date, now: Date): RelativeTime {
  const deltaMs = instant.getTime() - now.getTime();
  const isPast = deltaMs < 0;
  const ms = Math.abs(deltaMs);
  if (ms >= 48 * hourMs) return { unit: "days", count: Math.floor(ms / (24 * hourMs)), isPast };
  if (ms >= hourMs) return { unit: "hours", count: Math.floor(ms / hourMs), isPast };
  return { unit: "minutes", count: Math.floor(ms / minuteMs), isPast };
}

// ---- The last error, as the owner reads it: in Chinese, with the platform's own words kept

export const platformErrorStages = {
  token_refresh: "令牌刷新失败",
  answer: "回传处理失败",
  detail: "读取售后详情失败",
} as const;
export type PlatformErrorStage = keyof typeof platformErrorStages;

/** The stored last_error stays short enough for the settings card. */
export const maxLastErrorChars = 300;

/**
 * Our HTTP client's own failures become Chinese; anything else is the platform's answer (its code and message),
 * kept verbatim after the stage. `raw` may carry an error class prefix ("PlatformMessageError: …").
 */
export function describePlatformError(stage: PlatformErrorStage, raw: string): string {
  const detail = /^TimeoutError\b/.test(raw) ? timeoutText : translateTransportError(raw.replace(/^[A-Za-z]*Error: /, "").trim());
  return `${platformErrorStages[stage]}：${detail}`.slice(0, maxLastErrorChars);
}

const timeoutText = "平台接口在限定时间内没有应答（超时）";

function translateTransportError(text: string): string {
  if (text === "") return "平台没有说明原因";
  if (/aborted due to timeout/i.test(text)) return timeoutText;
  if (/^fetch failed|ECONNREFUSED|ENOTFOUND|ECONNRESET|EAI_AGAIN|socket hang up/i.test(text)) return "连不上平台接口（网络错误）";
  const http = /^HTTP (\d{3}) from (\S+?):\s*([\s\S]*)$/.exec(text);
  if (http) return `平台接口 ${http[2]} 返回 HTTP ${http[1]}${http[3] ? `：${http[3]}` : ""}`;
  const notJson = /^The platform answered with something that is not JSON:\s*([\s\S]*)$/.exec(text);
  if (notJson) return `平台返回的内容无法解析：${notJson[1]}`;
  return text;
}
