import { createHash } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { createAuth } from "@/db/auth";
import { type Db } from "@/db/client";
import { closeTestDb, openTestDb } from "@/db/test-db";
import { createMerchant, createUser } from "@/db/factories";
import { accounts, users } from "@/db/schema";
import { clientAddressHeader } from "@/lib/client-address";
import { newId } from "@/lib/ids";

// The sign-in and profile rules through better-auth's own handler, as an HTTP request reaches it.
const appUrl = "http://localhost:3000";
const password = "correct-horse-battery";
const ownerEmail = "owner@a.test";
const agentEmail = "wang@a.test";

// scrypt takes ~0.1–0.5 s a try on this machine; the rules under test do not depend on the hash
const hashPassword = async (plain: string) => createHash("sha256").update(plain).digest("hex");
const fastPassword = { hash: hashPassword, verify: async ({ hash, password: plain }: { hash: string; password: string }) => hash === (await hashPassword(plain)) };

type Globals = { deskClientAddressHeader?: string };
const globals = globalThis as unknown as Globals;
const saved = { secret: process.env.BETTER_AUTH_SECRET, perMinute: process.env.AUTH_SIGN_IN_PER_MINUTE };

let db: Db;
let auth: ReturnType<typeof createAuth>;

beforeAll(async () => {
  process.env.BETTER_AUTH_SECRET = "test-secret-test-secret-test-secret-0123";
  delete process.env.AUTH_SIGN_IN_PER_MINUTE;
  db = await openTestDb();
  const merchantId = await createMerchant(db, "A");
  const hash = await hashPassword(password);
  for (const [name, email, role] of [["陈静", ownerEmail, "owner"], ["王芳", agentEmail, "agent"]] as const) {
    const id = await createUser(db, { merchantId, name, email, role });
    await db.insert(accounts).values({ id: newId("usr"), accountId: id, providerId: "credential", userId: id, password: hash });
  }
});

afterAll(async () => {
  await closeTestDb(db);
  delete globals.deskClientAddressHeader;
  process.env.BETTER_AUTH_SECRET = saved.secret;
  if (saved.perMinute !== undefined) process.env.AUTH_SIGN_IN_PER_MINUTE = saved.perMinute;
});

/** A fresh auth (fresh in-memory limits), behind scripts/serve.mjs (stamped) or behind `next start`. */
function useAuth(stamped: boolean) {
  if (stamped) globals.deskClientAddressHeader = clientAddressHeader;
  else delete globals.deskClientAddressHeader;
  auth = createAuth(db, { password: fastPassword });
}

function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  return auth.handler(
    new Request(`${appUrl}/api/auth${path}`, {
      method: "POST",
      headers: { origin: appUrl, "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    }),
  );
}

const signIn = (email: string, guess: string, headers: Record<string, string>) => post("/sign-in/email", { email, password: guess }, headers);

describe("per-address sign-in limit", { timeout: 30_000 }, () => {
  it("refuses the 31st failure from one address whatever X-Forwarded-For says, and not another address", async () => {
    useAuth(true);
    const statuses: number[] = [];
    for (let attempt = 1; attempt <= 31; attempt++) {
      // A spray: a new account and a new forged X-Forwarded-For (and a forged copy of our header, which
      // scripts/serve.mjs replaces: here the stamped value is what it would have written)
      const response = await signIn(`spray-${attempt}@nowhere.test`, "guess", { "x-forwarded-for": `198.51.100.${attempt}`, [clientAddressHeader]: "203.0.113.7" });
      statuses.push(response.status);
    }
    expect(statuses.slice(0, 30).every((status) => status === 401)).toBe(true);
    expect(statuses[30]).toBe(429);
    expect((await signIn("other@nowhere.test", "guess", { [clientAddressHeader]: "203.0.113.8" })).status).toBe(401);
  });

  it("does not count sign-ins that succeed", async () => {
    useAuth(true);
    const from = { [clientAddressHeader]: "203.0.113.9" };
    for (let attempt = 1; attempt <= 29; attempt++) expect((await signIn(`spray-${attempt}@nowhere.test`, "guess", from)).status).toBe(401);
    for (let attempt = 1; attempt <= 3; attempt++) expect((await signIn(agentEmail, password, from)).status).toBe(200);
    expect((await signIn("spray-30@nowhere.test", "guess", from)).status).toBe(401);
    expect((await signIn(agentEmail, password, from)).status).toBe(429);
  });

  it("ignores a client-sent address header when no server in front stamps it: one shared bucket", async () => {
    useAuth(false);
    const statuses: number[] = [];
    for (let attempt = 1; attempt <= 31; attempt++) {
      const forged = { [clientAddressHeader]: `198.51.100.${attempt}`, "x-forwarded-for": `198.51.100.${attempt}` };
      statuses.push((await signIn(`spray-${attempt}@nowhere.test`, "guess", forged)).status);
    }
    expect(statuses.slice(0, 30).every((status) => status === 401)).toBe(true);
    expect(statuses[30]).toBe(429);
  });
});

describe("per-account lock", { timeout: 30_000 }, () => {
  beforeEach(() => useAuth(true));

  it.each([
    [4, 200],
    [5, 429],
  ])("after %i wrong passwords the right one answers %i", async (failures, status) => {
    const email = `lock-${failures}@nowhere.test`;
    const merchantId = (await db.select().from(users).where(eq(users.email, ownerEmail)))[0].merchantId;
    const id = await createUser(db, { merchantId, name: `锁${failures}`, email, role: "agent" });
    await db.insert(accounts).values({ id: newId("usr"), accountId: id, providerId: "credential", userId: id, password: await hashPassword(password) });
    // Each from its own address: the account's lock, not the address limit, is what answers
    for (let attempt = 1; attempt <= failures; attempt++) {
      expect((await signIn(email, `wrong-${attempt}`, { [clientAddressHeader]: `192.0.2.${attempt}` })).status).toBe(401);
    }
    expect((await signIn(email, password, { [clientAddressHeader]: "192.0.2.99" })).status).toBe(status);
  });
});

describe("names and roles", { timeout: 30_000 }, () => {
  it("refuses a user's own update-user (a rename to the owner's name), leaving the name as it was", async () => {
    useAuth(true);
    const signedIn = await signIn(agentEmail, password, { [clientAddressHeader]: "192.0.2.200" });
    expect(signedIn.status).toBe(200);
    const cookie = signedIn.headers
      .getSetCookie()
      .map((line) => line.split(";")[0])
      .join("; ");
    for (const body of [{ name: "陈静" }, { image: "https://example.test/me.png" }, { role: "owner" }]) {
      const response = await post("/update-user", body, { cookie });
      expect(response.status).toBe(403);
    }
    const [agent] = await db.select().from(users).where(eq(users.email, agentEmail));
    expect(agent).toMatchObject({ name: "王芳", role: "agent", image: null });
    // The session itself still works
    const session = await auth.handler(new Request(`${appUrl}/api/auth/get-session`, { headers: { cookie } }));
    expect((await session.json()).user.name).toBe("王芳");
  });
});
