import type { Db } from "@/db/client";
import { runExclusively } from "@/db/queries/loop-lock";
import { getPlatformAppForShop, listAppsWithExpiringTokens, recordPlatformError, storeTokenGrant, type PlatformApp } from "@/db/queries/platforms";
import type { PlatformAdapter } from "@/app/_server/platforms/adapter";
import { platformAdapters } from "@/app/_server/platforms/adapters";
import { defaultClientDeps, type ClientDeps } from "@/app/_server/platforms/client";
import { describePlatformError } from "@/lib/platforms/connection-health";
import { decideTokenRefresh, maxRefreshMarginMs, refreshTokenRequired, upkeepIntervalMs, type RefreshFailures } from "@/lib/platforms/token-policy";
import type { Protocol, TokenGrant } from "@/lib/platforms/types";

// Token upkeep (docs/platforms/tokens.md): a loop in the server process, started by instrumentation.ts next to the
// outbox sender, that refreshes every shop's access token before it expires (Douyin and Taobao 2 h before, WeChat
// 10 min), through each adapter's refreshToken. A failure is recorded on the app (last_error, in Chinese with the
// platform's words) and retried with backoff; it never stops the loop. The owner's 立即刷新 ends in the same
// refreshPlatformToken.

export type TokenRefreshers = Record<Protocol, Pick<PlatformAdapter, "refreshToken">>;

export type RefreshOutcome = { ok: true; app: PlatformApp } | { ok: false; error: string; app: PlatformApp };

const noRefreshTokenError = "令牌刷新失败：没有保存刷新令牌（Refresh Token），无法自动续期。请在平台重新授权，把新的令牌填入平台连接";
const incompleteGrantError = "令牌刷新失败：平台的答复里没有可用的令牌或到期时间";

function isUsableGrant(grant: TokenGrant | null | undefined): grant is TokenGrant {
  return Boolean(grant && typeof grant.accessToken === "string" && grant.accessToken !== "" && grant.accessTokenExpiresAt instanceof Date && !Number.isNaN(grant.accessTokenExpiresAt.getTime()));
}

// One refresh per shop at a time in this process: the loop and the owner's button share it (a Douyin or Taobao
// refresh token may be spent by the first call, so a second concurrent call would fail)
const globalForUpkeep = globalThis as unknown as { tokenRefreshes?: Map<string, Promise<RefreshOutcome>>; tokenUpkeep?: { stop: () => void } };
const inFlight = (globalForUpkeep.tokenRefreshes ??= new Map());

async function runRefresh(db: Db, app: PlatformApp, deps: ClientDeps, refreshers: TokenRefreshers): Promise<RefreshOutcome> {
  const fail = async (error: string): Promise<RefreshOutcome> => {
    const at = deps.now();
    await recordPlatformError(db, app.shopId, error, at);
    return { ok: false, error, app: { ...app, lastError: error, lastErrorAt: at } };
  };
  if (refreshTokenRequired[app.protocol] && !app.refreshToken) return fail(noRefreshTokenError);
  let grant: TokenGrant;
  try {
    grant = await refreshers[app.protocol].refreshToken(deps, app);
  } catch (error) {
    return fail(describePlatformError("token_refresh", error instanceof Error ? `${error.name}: ${error.message}` : String(error)));
  }
  if (!isUsableGrant(grant)) return fail(incompleteGrantError);
  await storeTokenGrant(db, app.shopId, grant, deps.now());
  return { ok: true, app: (await getPlatformAppForShop(db, app.shopId)) ?? app };
}

/** Refreshes one shop's token now and stores what came of it; never throws for the platform's sake. */
export function refreshPlatformToken(db: Db, app: PlatformApp, deps: ClientDeps = defaultClientDeps, refreshers: TokenRefreshers = platformAdapters): Promise<RefreshOutcome> {
  const running = inFlight.get(app.shopId);
  if (running) return running;
  const refresh = runRefresh(db, app, deps, refreshers).finally(() => inFlight.delete(app.shopId));
  inFlight.set(app.shopId, refresh);
  return refresh;
}

/** The loop's memory of failed refreshes per shop (backoff); a restart forgets it and simply tries again. */
export type UpkeepState = Map<string, RefreshFailures>;

export type UpkeepResult = { refreshed: number; failed: number; waiting: number };

/** One round: every app whose token is due (lib/platforms/token-policy.ts) is refreshed, one after another. */
export async function refreshDueTokens(db: Db, state: UpkeepState, deps: ClientDeps = defaultClientDeps, refreshers: TokenRefreshers = platformAdapters): Promise<UpkeepResult> {
  const now = deps.now();
  const result: UpkeepResult = { refreshed: 0, failed: 0, waiting: 0 };
  const apps = await listAppsWithExpiringTokens(db, new Date(now.getTime() + maxRefreshMarginMs));
  for (const shopId of state.keys()) {
    if (!apps.some((app) => app.shopId === shopId)) state.delete(shopId);
  }
  for (const app of apps) {
    const decision = decideTokenRefresh(app, state.get(app.shopId) ?? null, now);
    if (!decision.due) {
      if (decision.reason === "backing_off" || decision.reason === "refreshed_recently") result.waiting++;
      else state.delete(app.shopId);
      continue;
    }
    try {
      const outcome = await refreshPlatformToken(db, app, deps, refreshers);
      if (outcome.ok) {
        state.delete(app.shopId);
        result.refreshed++;
        continue;
      }
    } catch (error) {
      // A database error: logged, counted as a failure, and the other shops still get their turn
      console.error(`[tokens] shop ${app.shopId}:`, error);
    }
    state.set(app.shopId, { count: (state.get(app.shopId)?.count ?? 0) + 1, lastFailedAt: deps.now() });
    result.failed++;
  }
  return result;
}

/** Looks every minute; one loop per process (like the outbox sender and the TMC consumer). */
export function startTokenUpkeep(getDb: () => Db, intervalMs = upkeepIntervalMs, deps: ClientDeps = defaultClientDeps, refreshers: TokenRefreshers = platformAdapters): { stop: () => void } {
  if (globalForUpkeep.tokenUpkeep) return globalForUpkeep.tokenUpkeep;
  const state: UpkeepState = new Map();
  let timer: NodeJS.Timeout | undefined;
  let isStopped = false;
  const tick = async () => {
    try {
      let result = { failed: 0 };
      await runExclusively(getDb(), "tokens", async () => {
        result = await refreshDueTokens(getDb(), state, deps, refreshers);
      });
      if (result.failed > 0) console.warn(`[tokens] ${result.failed} token refresh(es) failed; see 平台连接 in settings`);
    } catch (error) {
      console.error("[tokens] round failed:", error);
    } finally {
      if (!isStopped) {
        timer = setTimeout(() => void tick(), intervalMs);
        // Never the reason a process stays alive
        timer.unref();
      }
    }
  };
  // The first round soon after start: a token that expired while the server was down is refreshed at once
  timer = setTimeout(() => void tick(), Math.min(intervalMs, 1_000));
  timer.unref();
  globalForUpkeep.tokenUpkeep = {
    stop: () => {
      isStopped = true;
      clearTimeout(timer);
      globalForUpkeep.tokenUpkeep = undefined;
    },
  };
  return globalForUpkeep.tokenUpkeep;
}
