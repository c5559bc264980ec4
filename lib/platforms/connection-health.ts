import { getRefreshFrom, isWithinRefreshMargin, type TokenTimes } from "@/lib/platforms/token-policy";
import { hourMs, minuteMs } from "@/lib/time";

// How the owner's 平台连接 judges one shop's connection (docs/platforms/tokens.md): pure, clock passed in.


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
  return `${platformErrorStages[stage]}：${toPlatformWords(detail)}`.slice(0, maxLastErrorChars);
}

// The platforms answer errors as JSON ({"code":30002,"msg":"…"}, Taobao's {"error_response":{"sub_msg":…}}): the owner
// reads their message and a short code, never the JSON itself. The more specific field wins (sub_msg over msg).
const messageFields = ["sub_msg", "error_description", "errmsg", "err_msg", "error_msg", "msg", "message", "description", "reason"];
const codeFields = ["sub_code", "err_no", "errcode", "error_code", "code", "error"];
const shortCode = /^[\w.:-]{1,40}$/;

function findField(value: unknown, fields: string[], accept: (found: unknown) => boolean, depth = 0): string | null {
  if (depth > 4 || typeof value !== "object" || value === null) return null;
  const record = value as Record<string, unknown>;
  for (const field of fields) if (field in record && accept(record[field])) return String(record[field]).trim();
  for (const nested of Object.values(record)) {
    const found = findField(nested, fields, accept, depth + 1);
    if (found !== null) return found;
  }
  return null;
}

const isWords = (value: unknown) => typeof value === "string" && value.trim() !== "";
const isCode = (value: unknown) => (typeof value === "number" && value !== 0) || (typeof value === "string" && shortCode.test(value.trim()) && value.trim() !== "0");

/** A JSON body cut short (the client keeps its first 200 characters) still names its fields: read them one by one. */
function findFieldInText(text: string, fields: string[], accept: (found: unknown) => boolean): string | null {
  for (const field of fields) {
    const match = new RegExp(`"${field}"\\s*:\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|(-?\\d+))`).exec(text);
    const value = match ? (match[1] ?? Number(match[2])) : undefined;
    if (value !== undefined && accept(value)) return String(value).trim();
  }
  return null;
}

/** `text` with a platform's JSON answer in it turned into the platform's words and code, in Chinese around them. */
export function toPlatformWords(text: string): string {
  const start = text.search(/[{[]/);
  if (start < 0) return text;
  const body = text.slice(start);
  let parsed: unknown = undefined;
  try {
    parsed = JSON.parse(body);
  } catch {
    // cut short, or not JSON at all
  }
  const read = (fields: string[], accept: (found: unknown) => boolean) => (parsed === undefined ? findFieldInText(body, fields, accept) : findField(parsed, fields, accept));
  const words = read(messageFields, isWords);
  const code = read(codeFields, isCode);
  if (parsed === undefined && words === null && code === null) return text;
  return `${text.slice(0, start)}${words ?? "平台没有说明原因"}${code ? `（代码 ${code}）` : ""}`;
}

const timeoutText = "平台接口在限定时间内没有应答（超时）";

function translateTransportError(text: string): string {
  if (text === "") return "平台没有说明原因";
  if (/aborted due to timeout/i.test(text)) return timeoutText;
  if (/^fetch failed|ECONNREFUSED|ENOTFOUND|ECONNRESET|EAI_AGAIN|socket hang up/i.test(text)) return "连不上平台接口（网络错误）";
  const http = /^HTTP (\d{3}) from (\S+?):\s*([\s\S]*)$/.exec(text);
  // A web page instead of an answer (a proxy's or gateway's error page) says nothing the owner can read
  if (http) return `平台接口 ${http[2]} 返回 HTTP ${http[1]}${http[3] && !/^\s*</.test(http[3]) ? `：${http[3]}` : ""}`;
  const notJson = /^The platform answered with something that is not JSON:\s*([\s\S]*)$/.exec(text);
  if (notJson) return /^\s*</.test(notJson[1]) ? "平台返回的内容无法解析（不是接口应答，像是一个网页）" : `平台返回的内容无法解析：${notJson[1]}`;
  return text;
}
