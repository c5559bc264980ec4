import type { Protocol } from "@/lib/platforms/types";
import { hourMs, minuteMs } from "@/lib/time";

// When a shop's access token is refreshed (docs/platforms/tokens.md). Pure: the clock is always passed in.
// app/_server/platforms/token-upkeep.ts asks decideTokenRefresh every round; the settings page asks
// getConnectionHealth (lib/platforms/connection-health.ts) whether the owner must be warned.


/**
 * How long before its expiry a token is refreshed. Douyin tokens live days and Taobao session keys days to
 * months, so two hours leaves room for a platform outage; WeChat tokens live about 2 hours, so 10 minutes.
 */
export const refreshMarginsMs: Record<Protocol, number> = {
  douyin_push: 2 * hourMs,
  taobao_tmc: 2 * hourMs,
  wechat_ec: 10 * minuteMs,
};

/** The widest margin: the upkeep reads only apps whose token expires within it. */
export const maxRefreshMarginMs = Math.max(...Object.values(refreshMarginsMs));

/** Douyin /token/refresh and Taobao taobao.top.auth.token.refresh take the refresh token; WeChat stable_token takes the app secret. */
export const refreshTokenRequired: Record<Protocol, boolean> = {
  douyin_push: true,
  taobao_tmc: true,
  wechat_ec: false,
};

/** How often the upkeep looks. */
export const upkeepIntervalMs = minuteMs;

/**
 * After a successful refresh, the next one waits at least this long even when the expiry is still within the
 * margin. WeChat's stable_token hands back the same token until its last 5 minutes, so a refresh 10 minutes
 * before expiry may not move the expiry; this keeps the upkeep from asking every minute.
 */
export const minRefreshIntervalMs = 5 * minuteMs;

/** Failed refreshes are retried after 1, 2, 4 … minutes, never more than a quarter of the margin nor 15 minutes. */
export function getRefreshRetryDelayMs(protocol: Protocol, failureCount: number): number {
  const cap = Math.min(15 * minuteMs, refreshMarginsMs[protocol] / 4);
  const delay = minuteMs * 2 ** Math.max(0, failureCount - 1);
  return Math.min(delay, cap);
}

export type TokenTimes = {
  protocol: Protocol;
  /** null: no expiry recorded, so the token is left alone. */
  accessTokenExpiresAt: Date | null;
  tokenRefreshedAt: Date | null;
};

/** Consecutive failed refreshes of one shop (kept by the upkeep loop, reset by a success). */
export type RefreshFailures = { count: number; lastFailedAt: Date };

export type RefreshDecision =
  | { due: true }
  | { due: false; reason: "no_expiry" | "not_within_margin" | "refreshed_recently" | "backing_off"; retryAt?: Date };

/** The moment the token enters its refresh margin, null without an expiry. */
export function getRefreshFrom(app: Pick<TokenTimes, "protocol" | "accessTokenExpiresAt">): Date | null {
  return app.accessTokenExpiresAt ? new Date(app.accessTokenExpiresAt.getTime() - refreshMarginsMs[app.protocol]) : null;
}

/** Due exactly at the margin and any time after (an expired token too); never without an expiry. */
export function isWithinRefreshMargin(app: Pick<TokenTimes, "protocol" | "accessTokenExpiresAt">, now: Date): boolean {
  const from = getRefreshFrom(app);
  return from !== null && now.getTime() >= from.getTime();
}

export function decideTokenRefresh(app: TokenTimes, failures: RefreshFailures | null, now: Date): RefreshDecision {
  if (!app.accessTokenExpiresAt) return { due: false, reason: "no_expiry" };
  if (!isWithinRefreshMargin(app, now)) return { due: false, reason: "not_within_margin" };
  if (app.tokenRefreshedAt && now.getTime() - app.tokenRefreshedAt.getTime() < minRefreshIntervalMs) {
    return { due: false, reason: "refreshed_recently", retryAt: new Date(app.tokenRefreshedAt.getTime() + minRefreshIntervalMs) };
  }
  if (failures && failures.count > 0) {
    const retryAt = new Date(failures.lastFailedAt.getTime() + getRefreshRetryDelayMs(app.protocol, failures.count));
    if (now.getTime() < retryAt.getTime()) return { due: false, reason: "backing_off", retryAt };
  }
  return { due: true };
}
