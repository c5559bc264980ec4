import { createHash } from "node:crypto";
import { afterAll, beforeAll, expect } from "vitest";
import { createAuth, getAuth } from "@/db/auth";
import { isPostgresDb, openDb, type Db } from "@/db/client";
import { allRaw, getRaw } from "@/db/raw";
import { closeTestDb, openTestDb } from "@/db/test-db";
import { buildOrder, createMerchant, createRequest, createShop, createUser, type RequestValues } from "@/db/factories";
import { accounts, orders } from "@/db/schema";
import type { ApiErrorCode } from "@/lib/api-error";
import type { Platform, Role } from "@/lib/domain";
import { newId } from "@/lib/ids";

// Shared builders for the route handler tests (app/api/**/*.test.ts). Each test file gets one desk (SQLite in memory,
// or a PostgreSQL database when the file runs in the `postgres-routes` project, docs/postgres.md#tests): two
// merchants, real better-auth sessions signed in through the auth handler, and the route called in-process as Next
// would call it. A test file starts with `vi.mock("server-only", () => ({}))` (Next's bundler drops that marker; node
// does not) and then imports its routes.

export const appUrl = "http://localhost:3000";
const password = "route-test-password";
const fastHash = async (plain: string) => createHash("sha256").update(plain).digest("hex");

type Globals = { deskDb?: Db; deskAuth?: unknown; deskStreamGuard?: unknown; deskLiveHub?: unknown; deskSessions?: unknown };
const globals = globalThis as unknown as Globals;

/** A signed-in user: `cookie` is the session cookie a browser would send. */
export type Member = { id: string; email: string; cookie: string };

export type RouteDesk = {
  db: Db;
  /** Merchant A: a Tmall shop and a Douyin shop, its owner, an agent of both shops, an agent of the Douyin shop only. */
  merchantId: string;
  shops: { tmall: string; douyin: string };
  owner: Member;
  agent: Member;
  douyinAgent: Member;
  /** Merchant B: one Taobao shop and its owner; A's people never see it. */
  other: { merchantId: string; shop: string; owner: Member };
};

async function signIn(email: string): Promise<string> {
  const response = await getAuth().handler(
    new Request(`${appUrl}/api/auth/sign-in/email`, { method: "POST", headers: { origin: appUrl, "content-type": "application/json" }, body: JSON.stringify({ email, password }) }),
  );
  if (response.status !== 200) throw new Error(`Test sign-in failed with ${response.status}`);
  return response.headers
    .getSetCookie()
    .map((line) => line.split(";")[0])
    .join("; ");
}

/** A user with a password, signed in (shopIds: only those shops; absent: every shop of the merchant). */
export async function addMember(db: Db, merchantId: string, role: Role, options: { name?: string; shopIds?: string[] } = {}): Promise<Member> {
  const email = `${newId("usr").slice(4).toLowerCase()}@route.test`;
  const id = await createUser(db, { merchantId, name: options.name ?? (role === "owner" ? "店长" : "客服"), email, role, shopIds: options.shopIds });
  await db.insert(accounts).values({ id: newId("usr"), accountId: id, providerId: "credential", userId: id, password: await fastHash(password) });
  return { id, email, cookie: await signIn(email) };
}

async function buildDesk(): Promise<RouteDesk> {
  const db = await openTestDb();
  globals.deskDb = db;
  globals.deskAuth = createAuth(db, { password: { hash: fastHash, verify: async ({ hash, password: plain }) => hash === (await fastHash(plain)) } });
  const merchantId = await createMerchant(db, "A");
  const tmall = await createShop(db, { merchantId, platform: "tmall", name: "A 天猫店" });
  const douyin = await createShop(db, { merchantId, platform: "douyin", name: "A 抖音店" });
  const otherMerchantId = await createMerchant(db, "B");
  const otherShop = await createShop(db, { merchantId: otherMerchantId, platform: "taobao", name: "B 淘宝店" });
  return {
    db,
    merchantId,
    shops: { tmall, douyin },
    owner: await addMember(db, merchantId, "owner", { name: "陈静" }),
    agent: await addMember(db, merchantId, "agent", { name: "王芳" }),
    douyinAgent: await addMember(db, merchantId, "agent", { name: "李雷", shopIds: [douyin] }),
    other: { merchantId: otherMerchantId, shop: otherShop, owner: await addMember(db, otherMerchantId, "owner", { name: "周航" }) },
  };
}

/**
 * The desk for this test file, built before its first test; the process-wide singletons (database, auth, stream
 * guard, live hub) are dropped after its last. Tests share it, so each makes the rows it changes.
 */
export function setUpRouteDesk(): RouteDesk {
  const desk = {} as RouteDesk;
  const saved = { secret: process.env.BETTER_AUTH_SECRET };
  beforeAll(async () => {
    process.env.BETTER_AUTH_SECRET = "route-test-secret-route-test-secret-0123";
    Object.assign(desk, await buildDesk());
  });
  afterAll(async () => {
    if (desk.db) await closeTestDb(desk.db);
    for (const key of ["deskAuth", "deskStreamGuard", "deskLiveHub", "deskSessions"] as const) delete globals[key];
    // The live hub may run one more poll it scheduled before its last stream closed: that finds an empty database
    // here, never the developer's data/desk.db that getDb() would open
    globals.deskDb = openDb(":memory:");
    process.env.BETTER_AUTH_SECRET = saved.secret;
  });
  return desk;
}

async function platformOfShop(db: Db, shopId: string): Promise<Platform> {
  const shop = await getRaw<{ platform: Platform }>(db, "select platform from shops where id = ?", [shopId]);
  if (!shop) throw new Error(`No shop ${shopId}`);
  return shop.platform;
}

type OrderColumns = Partial<Omit<typeof orders.$inferInsert, "id" | "shopId" | "platform">>;

/** An order in `shopId` (any of its columns may be given). */
export async function addOrder(db: Db, shopId: string, columns: OrderColumns = {}): Promise<string> {
  const row = { ...buildOrder({ shopId, platform: await platformOfShop(db, shopId) }), ...columns };
  await db.insert(orders).values(row);
  return row.id;
}

/** A pending card (and its order) received a minute ago in `shopId`. */
export async function addPendingRequest(
  db: Db,
  shopId: string,
  values: Partial<Omit<RequestValues, "shopId" | "orderId" | "platform">> & { order?: OrderColumns } = {},
): Promise<{ requestId: string; orderId: string }> {
  const { order, ...request } = values;
  const orderId = await addOrder(db, shopId, order);
  const requestId = await createRequest(db, { shopId, orderId, platform: await platformOfShop(db, shopId), receivedAt: new Date(Date.now() - 60_000), ...request });
  return { requestId, orderId };
}

type RouteHandler<Params> = (request: Request, context: { params: Promise<Params> }) => Response | Promise<Response>;

export type CallOptions<Params> = {
  /** Who calls: a signed-in member, or null for no session. */
  as: Member | null;
  method?: "GET" | "POST" | "PUT" | "DELETE";
  /** Path and query, e.g. "/api/requests?status=all" (handlers read the query from the URL). */
  path?: string;
  params?: Params;
  /** Sent as JSON; `body` sends anything else as it is. */
  json?: unknown;
  body?: BodyInit;
  headers?: Record<string, string>;
};

/** Calls a route handler as Next would: same-origin for anything that changes state, the session's cookie. */
export async function callRoute<Params>(handler: RouteHandler<Params>, options: CallOptions<Params>): Promise<Response> {
  const method = options.method ?? "GET";
  const headers = new Headers(options.headers);
  if (options.as) headers.set("cookie", options.as.cookie);
  if (method !== "GET" && !headers.has("origin")) headers.set("origin", appUrl);
  let body = options.body;
  if (options.json !== undefined) {
    headers.set("content-type", "application/json");
    body = JSON.stringify(options.json);
  }
  const request = new Request(`${appUrl}${options.path ?? "/api/under-test"}`, { method, headers, body });
  return handler(request, { params: Promise.resolve(options.params ?? ({} as Params)) });
}

export type ApiErrorOf = { code: ApiErrorCode; message: string; [key: string]: unknown };

/** The answer is `status` with the typed body { error: { code, message } }; returns the error for further checks. */
export async function expectApiError(response: Response, status: number, code: ApiErrorCode): Promise<ApiErrorOf> {
  expect(response.headers.get("content-type")).toContain("application/json");
  const body = (await response.json()) as { error: ApiErrorOf };
  expect({ status: response.status, code: body.error?.code }).toEqual({ status, code });
  expect(typeof body.error.message).toBe("string");
  expect(body.error.message.length).toBeGreaterThan(0);
  return body.error;
}

const tablesQuery = {
  sqlite: "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '__drizzle%' and name <> 'session' order by name",
  postgres: "select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' and table_name <> 'session' order by table_name",
};

/**
 * Every row of every table (sessions aside: reading a session may refresh it), to show a refused call changed
 * nothing. Rows are sorted by their own text, since PostgreSQL has no insertion order to sort by.
 */
export async function readAllRows(db: Db): Promise<Record<string, string[]>> {
  const tables = await allRaw<{ name: string }>(db, tablesQuery[isPostgresDb(db) ? "postgres" : "sqlite"]);
  const rows: Record<string, string[]> = {};
  for (const { name } of tables) rows[name] = (await allRaw<Record<string, unknown>>(db, `select * from "${name}"`)).map((row) => JSON.stringify(row)).sort();
  return rows;
}

/** Runs `call` and checks that no table changed; returns its answer. */
export async function expectNothingChanged(db: Db, call: () => Promise<Response>): Promise<Response> {
  const before = await readAllRows(db);
  const response = await call();
  expect(await readAllRows(db)).toEqual(before);
  return response;
}
