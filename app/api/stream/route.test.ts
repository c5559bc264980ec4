import { createHash } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createAuth } from "@/db/auth";
import { type Db } from "@/db/client";
import { closeTestDb, openTestDb } from "@/db/test-db";
import { createMerchant, createShop, createUser } from "@/db/factories";
import { accounts } from "@/db/schema";
import { newId } from "@/lib/ids";

// The route modules mark themselves server-only (Next's bundler drops the marker); here they run in node
vi.mock("server-only", () => ({}));

const { GET: openStream } = await import("@/app/api/stream/route");
const { DELETE: forceSignOut } = await import("@/app/api/team/[userId]/sessions/route");
const { POST: authPost } = await import("@/app/api/auth/[...all]/route");
const { getStreamGuard, StreamGuard } = await import("@/app/_server/stream-guard");
const { listStreamAccess } = await import("@/db/queries/stream-access");
const { listOnlineUserIds } = await import("@/db/queries/presence");

const appUrl = "http://localhost:3000";
const password = "correct-horse-battery";
const fastHash = async (plain: string) => createHash("sha256").update(plain).digest("hex");

type Globals = { deskDb?: Db; deskAuth?: unknown; deskStreamGuard?: unknown; deskLiveHub?: unknown; deskPresence?: unknown };
const globals = globalThis as unknown as Globals;
const savedSecret = process.env.BETTER_AUTH_SECRET;
let merchantId: string;
let ownerCookie: string;
/** Every stream a test opened, aborted after it (as a browser leaving would), so a failure stays its own */
const opened: AbortController[] = [];

async function addUser(name: string, role: "owner" | "agent") {
  const email = `${newId("usr").slice(4)}@a.test`;
  const id = await createUser(globals.deskDb!, { merchantId, name, email, role });
  await globals.deskDb!.insert(accounts).values({ id: newId("usr"), accountId: id, providerId: "credential", userId: id, password: await fastHash(password) });
  return { id, email };
}

async function signIn(email: string): Promise<string> {
  const response = await authPost(
    new Request(`${appUrl}/api/auth/sign-in/email`, { method: "POST", headers: { origin: appUrl, "content-type": "application/json" }, body: JSON.stringify({ email, password }) }),
  );
  expect(response.status).toBe(200);
  return response.headers
    .getSetCookie()
    .map((line) => line.split(";")[0])
    .join("; ");
}

/** Opens the stream and reads its greeting; `ended` settles with the time the server closed it. */
async function connect(cookie: string) {
  const abort = new AbortController();
  opened.push(abort);
  const response = await openStream(new Request(`${appUrl}/api/stream`, { headers: { cookie }, signal: abort.signal }), { params: Promise.resolve({}) });
  expect(response.status).toBe(200);
  const reader = response.body!.getReader();
  const greeting = new TextDecoder().decode((await reader.read()).value);
  expect(greeting).toContain(": connected");
  const ended = (async () => {
    for (;;) if ((await reader.read()).done) return Date.now();
  })();
  return { ended, abort: () => abort.abort() };
}

const within = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([promise, new Promise<"still open">((resolve) => setTimeout(() => resolve("still open"), ms))]);

beforeAll(async () => {
  process.env.BETTER_AUTH_SECRET = "test-secret-test-secret-test-secret-0123";
  const db = await openTestDb();
  globals.deskDb = db;
  globals.deskAuth = createAuth(db, { password: { hash: fastHash, verify: async ({ hash, password: plain }) => hash === (await fastHash(plain)) } });
  // Checks a minute apart: what ends a stream within a second here is the route telling the guard
  globals.deskStreamGuard = new StreamGuard({ loadAccess: (tokens, now) => listStreamAccess(db, tokens, now), checkEveryMs: 60_000 });
  merchantId = await createMerchant(db, "A");
  await createShop(db, { merchantId, platform: "tmall", name: "天猫店" });
  ownerCookie = await signIn((await addUser("陈静", "owner")).email);
});

afterEach(() => {
  for (const abort of opened.splice(0)) abort.abort();
});

afterAll(async () => {
  await closeTestDb(globals.deskDb!);
  for (const key of ["deskDb", "deskAuth", "deskStreamGuard", "deskLiveHub", "deskPresence"] as const) delete globals[key];
  process.env.BETTER_AUTH_SECRET = savedSecret;
});

describe("GET /api/stream ends with the session", { timeout: 30_000 }, () => {
  it("is closed by the owner's force sign-out at once", async () => {
    const agent = await addUser("李雷", "agent");
    const stream = await connect(await signIn(agent.email));
    expect(await within(stream.ended, 300)).toBe("still open");
    const startedAt = Date.now();
    const response = await forceSignOut(new Request(`${appUrl}/api/team/${agent.id}/sessions`, { method: "DELETE", headers: { cookie: ownerCookie, origin: appUrl } }), {
      params: Promise.resolve({ userId: agent.id }),
    });
    expect(response.status).toBe(200);
    const endedAt = await within(stream.ended, 5_000);
    expect(typeof endedAt).toBe("number");
    expect((endedAt as number) - startedAt).toBeLessThan(5_000);
  });

  it("is closed by its own sign-out at once, and a second device's stream stays open", async () => {
    const agent = await addUser("王芳", "agent");
    const phone = await connect(await signIn(agent.email));
    const desktopCookie = await signIn(agent.email);
    const desktop = await connect(desktopCookie);
    const response = await authPost(new Request(`${appUrl}/api/auth/sign-out`, { method: "POST", headers: { cookie: desktopCookie, origin: appUrl } }));
    expect(response.status).toBe(200);
    expect(typeof (await within(desktop.ended, 5_000))).toBe("number");
    expect(await within(phone.ended, 300)).toBe("still open");
    phone.abort();
    await phone.ended;
    expect(getStreamGuard().size).toBe(0);
  });

  it("is closed at the next check when its session goes without a word to this process", async () => {
    const agent = await addUser("孙丽", "agent");
    const db = globals.deskDb!;
    const stream = await connect(await signIn(agent.email));
    // As another process's force sign-out would: only the rows go
    const { revokeUserSessions } = await import("@/db/queries/users");
    await revokeUserSessions(db, merchantId, agent.id);
    expect(await within(stream.ended, 300)).toBe("still open");
    await getStreamGuard().check();
    expect(typeof (await within(stream.ended, 5_000))).toBe("number");
  });

  it("refuses a signed-out cookie", async () => {
    const agent = await addUser("赵强", "agent");
    const cookie = await signIn(agent.email);
    await authPost(new Request(`${appUrl}/api/auth/sign-out`, { method: "POST", headers: { cookie, origin: appUrl } }));
    const response = await openStream(new Request(`${appUrl}/api/stream`, { headers: { cookie } }), { params: Promise.resolve({}) });
    expect(response.status).toBe(401);
  });
});

describe("GET /api/stream and presence", () => {
  it("counts the user online in the presence table from before the first byte until the stream ends", async () => {
    const agent = await addUser("周在线", "agent");
    const cookie = await signIn(agent.email);
    const first = await connect(cookie);
    const second = await connect(cookie);
    const isOnline = async () => (await listOnlineUserIds(globals.deskDb!, new Date())).has(agent.id);
    expect(await isOnline()).toBe(true);
    first.abort();
    // The close is written after the abort reaches the route: one stream is still open
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await isOnline()).toBe(true);
    second.abort();
    await expect.poll(isOnline).toBe(false);
  });
});
