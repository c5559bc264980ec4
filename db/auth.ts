import fs from "node:fs";
import path from "node:path";
import crypto from "node:crypto";
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { APIError, createAuthMiddleware } from "better-auth/api";
import { nextCookies } from "better-auth/next-js";
import { getDatabasePath, getDb } from "@/db/client";
import { accounts, sessions, users, verifications } from "@/db/schema";
import { clearLoginThrottle, getLoginThrottle, saveLoginThrottle } from "@/db/queries/login-throttle";
import { isLoginLocked, recordLoginFailure } from "@/lib/login-throttle";

/** The secret comes from the environment; a local install generates one beside its database. */
function getAuthSecret(): string {
  if (process.env.BETTER_AUTH_SECRET) return process.env.BETTER_AUTH_SECRET;
  const file = path.join(path.dirname(getDatabasePath()), ".auth-secret");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, crypto.randomBytes(32).toString("hex"), { mode: 0o600 });
  }
  return fs.readFileSync(file, "utf8").trim();
}

function getTrustedOrigins(): string[] {
  const appUrl = new URL(process.env.APP_URL ?? "http://localhost:3000");
  return [appUrl.origin, `${appUrl.protocol}//127.0.0.1:${appUrl.port}`, `${appUrl.protocol}//localhost:${appUrl.port}`];
}

const signInPath = "/sign-in/email";

function createAuth() {
  const db = getDb();
  return betterAuth({
    secret: getAuthSecret(),
    baseURL: process.env.APP_URL ?? "http://localhost:3000",
    trustedOrigins: getTrustedOrigins(),
    database: drizzleAdapter(db, {
      provider: "sqlite",
      schema: { user: users, session: sessions, account: accounts, verification: verifications },
    }),
    // Users are created by their merchant's owner (and the seed), never by open sign-up.
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: 8 },
    session: { expiresIn: 60 * 60 * 24 * 7, updateAge: 60 * 60 * 24 },
    user: {
      additionalFields: {
        merchantId: { type: "string", input: false },
        role: { type: "string", input: false },
        allShops: { type: "boolean", input: false },
      },
    },
    telemetry: { enabled: false },
    // Per-IP limits on top of the per-account throttle; e2e and bench sign in often from 127.0.0.1.
    rateLimit: {
      enabled: process.env.NODE_ENV === "production",
      window: 60,
      max: 600,
      customRules: { [signInPath]: { window: 60, max: Number(process.env.AUTH_SIGN_IN_PER_MINUTE ?? 30) } },
    },
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== signInPath) return;
        const email = String((ctx.body as { email?: unknown } | undefined)?.email ?? "");
        if (isLoginLocked(await getLoginThrottle(db, email), new Date())) {
          throw new APIError("TOO_MANY_REQUESTS", { message: "Too many failed sign-ins. Try again later." });
        }
      }),
      after: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== signInPath) return;
        const email = String((ctx.body as { email?: unknown } | undefined)?.email ?? "");
        if (!email) return;
        if (ctx.context.returned instanceof APIError) {
          const state = recordLoginFailure(await getLoginThrottle(db, email), new Date());
          await saveLoginThrottle(db, email, state);
        } else {
          await clearLoginThrottle(db, email);
        }
      }),
    },
    plugins: [nextCookies()],
  });
}

type Auth = ReturnType<typeof createAuth>;
const globalForAuth = globalThis as unknown as { deskAuth?: Auth };

export function getAuth(): Auth {
  globalForAuth.deskAuth ??= createAuth();
  return globalForAuth.deskAuth;
}
