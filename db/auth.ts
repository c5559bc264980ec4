import fs from "node:fs";
import path from "node:path";
import crypto from "node:crypto";
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { APIError, createAuthMiddleware } from "better-auth/api";
import { nextCookies } from "better-auth/next-js";
import { getDatabasePath, getDb, isPostgresDb, type Db } from "@/db/client";
import { createPrivateFileOnce, narrowPrivateFile, privateDirMode } from "@/db/data-files";
import { accounts, sessions, users, verifications } from "@/db/schema";
import { clearLoginThrottle, reserveLoginAttempt } from "@/db/queries/login-throttle";
import { giveBackSignInAttempt, takeSignInAttempt } from "@/db/queries/sign-in-limit";
import { clientAddressHeader, limitKeyFor, readClientAddress } from "@/lib/client-address";
import { defaultSignInLimitPolicy, parseSignInPerMinute } from "@/lib/sign-in-limit";

/**
 * The generated secret in `file` (docs/security.md "Files"): created 0600 if missing, atomically, so a second
 * process starting at the same time reads the first one's whole secret; an existing file wider than 0600 (an
 * older desk wrote it by the umask) is narrowed.
 */
export function readOrCreateAuthSecretFile(file: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: privateDirMode });
  if (!createPrivateFileOnce(file, crypto.randomBytes(32).toString("hex"))) narrowPrivateFile(file);
  return fs.readFileSync(file, "utf8").trim();
}

/** The secret comes from the environment; a local install generates one beside its database. */
function getAuthSecret(): string {
  if (process.env.BETTER_AUTH_SECRET) return process.env.BETTER_AUTH_SECRET;
  return readOrCreateAuthSecretFile(path.join(path.dirname(getDatabasePath()), ".auth-secret"));
}

function getTrustedOrigins(): string[] {
  const appUrl = new URL(process.env.APP_URL ?? "http://localhost:3000");
  return [appUrl.origin, `${appUrl.protocol}//127.0.0.1:${appUrl.port}`, `${appUrl.protocol}//localhost:${appUrl.port}`];
}

const signInPath = "/sign-in/email";
const updateUserPath = "/update-user";

/**
 * Whether scripts/serve.mjs is in front: it stamps the client's address (socket, or X-Forwarded-For from a
 * TRUSTED_PROXIES proxy) on every request after dropping the client's own copy. Under `next start` or
 * `next dev` nobody does, so the header could be the client's: then it is ignored (one shared bucket).
 */
function isClientAddressStamped(): boolean {
  return (globalThis as { deskClientAddressHeader?: string }).deskClientAddressHeader === clientAddressHeader;
}

const tooManySignIns = () => new APIError("TOO_MANY_REQUESTS", { message: "Too many failed sign-ins. Try again later." });

/** Tests pass a fast password hash; everything else is the desk's own configuration. */
export type AuthOptions = { password?: { hash: (password: string) => Promise<string>; verify: (data: { hash: string; password: string }) => Promise<boolean> } };

export function createAuth(db: Db, options: AuthOptions = {}) {
  // Failed sign-ins per client address per minute (lib/sign-in-limit.ts), beside the per-account lock; counted in the
  // database, so every instance on it shares one window per address
  const addressPolicy = { ...defaultSignInLimitPolicy, maxFailures: parseSignInPerMinute(process.env.AUTH_SIGN_IN_PER_MINUTE) };
  const signInAttempt = (ctx: { body?: unknown; headers?: Headers }) => ({
    email: String((ctx.body as { email?: unknown } | undefined)?.email ?? ""),
    addressKey: limitKeyFor(readClientAddress(ctx.headers ?? new Headers(), isClientAddressStamped())),
  });
  return betterAuth({
    secret: getAuthSecret(),
    baseURL: process.env.APP_URL ?? "http://localhost:3000",
    trustedOrigins: getTrustedOrigins(),
    database: drizzleAdapter(db, {
      provider: isPostgresDb(db) ? "pg" : "sqlite",
      schema: { user: users, session: sessions, account: accounts, verification: verifications },
    }),
    // Users are created by their merchant's owner (and the seed), never by open sign-up.
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: 8, ...(options.password ? { password: options.password } : {}) },
    session: { expiresIn: 60 * 60 * 24 * 7, updateAge: 60 * 60 * 24 },
    user: {
      additionalFields: {
        merchantId: { type: "string", input: false },
        role: { type: "string", input: false },
        allShops: { type: "boolean", input: false },
      },
    },
    telemetry: { enabled: false },
    // better-auth's own per-address limits key on the stamped address only (never on a client's
    // X-Forwarded-For); unstamped, better-auth falls back to one shared bucket. No header name at all then:
    // an empty list makes better-auth read none (its default would be X-Forwarded-For).
    advanced: { ipAddress: { ipAddressHeaders: isClientAddressStamped() ? [clientAddressHeader] : [] } },
    // A broad per-address limit on every auth route; sign-in has its own (the hooks below), which counts
    // failures only, so e2e and bench, signing in often from 127.0.0.1, need no exemption.
    rateLimit: {
      enabled: process.env.NODE_ENV === "production",
      window: 60,
      max: 600,
      customRules: { [signInPath]: false },
    },
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        // Names and roles are the owner's to change (docs/security.md): no self-service profile edits
        if (ctx.path === updateUserPath) {
          throw new APIError("FORBIDDEN", { message: "Names and roles are changed by the merchant's owner", code: "SELF_UPDATE_REFUSED" });
        }
        if (ctx.path !== signInPath) return;
        const { email, addressKey } = signInAttempt(ctx);
        if (!await takeSignInAttempt(db, addressKey, new Date(), addressPolicy)) throw tooManySignIns();
        // Counted as a failure until it succeeds; a locked account is refused before any password check
        if (email && !await reserveLoginAttempt(db, email, new Date())) throw tooManySignIns();
      }),
      after: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== signInPath || ctx.context.returned instanceof APIError) return;
        const { email, addressKey } = signInAttempt(ctx);
        await giveBackSignInAttempt(db, addressKey);
        if (email) await clearLoginThrottle(db, email);
      }),
    },
    plugins: [nextCookies()],
  });
}

type Auth = ReturnType<typeof createAuth>;
const globalForAuth = globalThis as unknown as { deskAuth?: Auth };

export function getAuth(): Auth {
  globalForAuth.deskAuth ??= createAuth(getDb());
  return globalForAuth.deskAuth;
}
