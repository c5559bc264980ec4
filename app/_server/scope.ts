import "server-only";
import { createHash } from "node:crypto";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getAuth } from "@/db/auth";
import { getDb } from "@/db/client";
import { getScope, type Scope } from "@/db/queries/users";
import { TtlCache } from "@/lib/ttl-cache";

/**
 * How long a session better-auth verified is trusted without verifying it again (docs/security.md, "Session
 * cache"): a session revoked elsewhere (another instance, the database by hand) is seen within this time; a
 * sign-out or force sign-out through this process is seen at once. The user's scope (role, shops) is not cached:
 * it is read afresh on every call, so an owner's change shows on the next request.
 */
export const sessionCacheMs = 5_000;

type CachedSession = { userId: string; sessionToken: string };

const globalForSessions = globalThis as unknown as { deskSessions?: TtlCache<string, CachedSession> };

function checkedSessions(): TtlCache<string, CachedSession> {
  globalForSessions.deskSessions ??= new TtlCache({ ttlMs: sessionCacheMs, maxEntries: 10_000, now: () => Date.now() });
  return globalForSessions.deskSessions;
}

// The whole Cookie header, hashed, is the key: it is what better-auth verified when the entry was made, so a
// request whose cookies differ in any way is checked afresh.
const cookieKey = (cookie: string) => createHash("sha256").update(cookie).digest("base64url");

/** The signed-in user, from the session cache or better-auth (which then keeps it until `sessionCacheMs` or the session's expiry). */
async function getSessionUserId(requestHeaders: Headers): Promise<string | null> {
  const cookie = requestHeaders.get("cookie");
  if (!cookie) return null;
  const key = cookieKey(cookie);
  const cached = checkedSessions().get(key);
  if (cached) return cached.userId;
  const session = await getAuth().api.getSession({ headers: requestHeaders });
  if (!session) return null;
  checkedSessions().set(key, { userId: session.user.id, sessionToken: session.session.token }, new Date(session.session.expiresAt).getTime());
  return session.user.id;
}

/** The signed-in user's scope (merchant, role, shops), read fresh from the database on every call. */
export async function getSessionScope(requestHeaders?: Headers): Promise<Scope | null> {
  const userId = await getSessionUserId(requestHeaders ?? (await headers()));
  return userId ? await getScope(getDb(), userId) : null;
}

/** Sessions signed out through this process: they are forgotten at once. */
export function forgetSessions(sessionTokens: readonly string[]): void {
  const ending = new Set(sessionTokens);
  checkedSessions().deleteWhere((entry) => ending.has(entry.sessionToken));
}

/** A user signed out everywhere: every cached session of theirs goes. */
export function forgetUser(userId: string): void {
  checkedSessions().deleteWhere((entry) => entry.userId === userId);
}

/** For pages: no session → the login page. */
export async function requirePageScope(): Promise<Scope> {
  const scope = await getSessionScope();
  if (!scope) redirect("/login");
  return scope;
}
