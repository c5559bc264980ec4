import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { deliverDueDecisions, type SenderDeps } from "@/app/_server/outbox-sender";
import type { Db } from "@/db/client";
import { createMerchant, createOrder, createRequest, createShop, createUser } from "@/db/factories";
import { claimDueDeliveries, listRecentDeliveries, retryDelivery } from "@/db/queries/outbox";
import { recordAnswerFailure } from "@/db/workflows/platform-refusal";
import { decideRequest } from "@/db/workflows/decide";
import { getScope, type Scope } from "@/db/queries/users";
import { rotateShopSecret, setShopEndpoint } from "@/db/queries/webhooks";
import { evidenceFiles, requests } from "@/db/schema";
import { newId } from "@/lib/ids";
import { outbox } from "@/db/schema-webhooks";
import { decisionEvent } from "@/lib/webhook/outbound";
import { defaultRetrySchedule } from "@/lib/webhook/retry-schedule";
import { verifySignature } from "@/lib/webhook/signature";
import { undoWindowMs } from "@/lib/undo";
import { closeTestDb, openTestDb } from "@/db/test-db";

const now = new Date("2026-11-20T02:00:00.000Z");
const secret = "local-demo-secret-tmall";

let db: Db;
let shopId: string;
let owner: Scope;
let otherOwner: Scope;

async function decideOne(decision: "approve" | "reject" = "approve") {
  const orderId = await createOrder(db, { shopId, platform: "tmall", platformOrderId: "3723456789012345678" });
  // A Tmall rejection needs proof, and an unshipped refund-only may not be rejected at all (docs/domain/rejections.md)
  const kind = decision === "approve" ? "refund_only" : "return_refund";
  const requestId = await createRequest(db, { shopId, orderId, platform: "tmall", platformRequestId: "231500112233445566", receivedAt: now, kind });
  const evidenceId = newId("evd");
  await db.insert(evidenceFiles).values({ id: evidenceId, shopId, name: "proof.png", mimeType: "image/png", bytes: Buffer.from("89504e470d0a1a0a", "hex") });
  const input =
    decision === "approve"
      ? { decision }
      : { decision, reasonCode: "goods_intact_used", message: "亲，商品已签收且无质量问题。", evidenceIds: [evidenceId] };
  // Decided one undo window ago, so the decision is final (and due) at `now`.
  const result = await decideRequest(db, owner, requestId, input, new Date(now.getTime() - undoWindowMs));
  expect(result.ok).toBe(true);
  return requestId;
}

async function getRow() {
  const [row] = await db.select().from(outbox);
  return row;
}

beforeEach(async () => {
  db = await openTestDb();
  const merchant = await createMerchant(db, "A");
  shopId = await createShop(db, { merchantId: merchant, platform: "tmall", name: "A 天猫店" });
  await rotateShopSecret(db, shopId, secret, now);
  owner = (await getScope(db, await createUser(db, { merchantId: merchant, name: "老板", email: "o@a.test", role: "owner" })))!;
  const merchantB = await createMerchant(db, "B");
  await createShop(db, { merchantId: merchantB, platform: "taobao", name: "B 店" });
  otherOwner = (await getScope(db, await createUser(db, { merchantId: merchantB, name: "B", email: "o@b.test", role: "owner" })))!;
});
afterEach(async () => closeTestDb(db));

describe("a decision writes its outbox row in the same transaction", () => {
  it("approve: one pending row, due when final, keyed by the decision, with the contract's payload", async () => {
    const requestId = await decideOne();
    const row = await getRow();
    expect(row).toMatchObject({ requestId, shopId, status: "pending", attempts: 0, idempotencyKey: `dec_${requestId}` });
    expect(row.nextAttemptAt.getTime()).toBe(now.getTime());
    const payload = decisionEvent.parse(JSON.parse(row.payload));
    expect(payload.data).toEqual({ requestId: "231500112233445566", orderId: "3723456789012345678", decision: "approve", amountFen: 9900 });
  });

  it("reject carries the reason and message", async () => {
    await decideOne("reject");
    const payload = decisionEvent.parse(JSON.parse((await getRow()).payload));
    expect(payload.data).toMatchObject({ decision: "reject", reasonCode: "goods_intact_used", message: "亲，商品已签收且无质量问题。" });
  });

  it("the losing agent of a race writes no second row", async () => {
    const requestId = await decideOne();
    const second = await decideRequest(db, owner, requestId, { decision: "reject", reasonCode: "x", message: "y" }, now);
    expect(second.ok).toBe(false);
    expect(await db.select().from(outbox)).toHaveLength(1);
  });
});

describe("recordAnswerFailure: the retry schedule", () => {
  it("backs off with full jitter per attempt and parks the row as dead after the last", async () => {
    await decideOne();
    const { id } = await getRow();
    const delays: number[] = [];
    for (let attempt = 1; attempt < defaultRetrySchedule.maxAttempts; attempt++) {
      const status = (await recordAnswerFailure(db, id, "HTTP 503", now, () => 0.5)).status;
      expect(status).toBe("pending");
      delays.push((await getRow()).nextAttemptAt.getTime() - now.getTime());
    }
    // Half of 2 s · 2^(attempt−1), capped at 10 min
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 128_000, 256_000, 300_000, 300_000]);
    expect((await recordAnswerFailure(db, id, "HTTP 503", now, () => 0.5)).status).toBe("dead");
    expect(await getRow()).toMatchObject({ status: "dead", attempts: 12, lastError: "HTTP 503" });
    expect(await claimDueDeliveries(db, new Date(now.getTime() + 3_600_000), 0)).toEqual([]);
  });

  it("random() decides where in the window the next try falls", async () => {
    await decideOne();
    const { id } = await getRow();
    await recordAnswerFailure(db, id, "timeout", now, () => 0);
    expect((await getRow()).nextAttemptAt.getTime()).toBe(now.getTime());
    await recordAnswerFailure(db, id, "timeout", now, () => 0.999);
    expect((await getRow()).nextAttemptAt.getTime()).toBe(now.getTime() + 3_996);
  });
});

describe("retryDelivery (the owner's button)", () => {
  it("puts a dead row whose card still holds the decision back to pending with a fresh series, for the owner's shops only", async () => {
    await decideOne();
    // Parked before undelivered answers went back to the agents: the card still says approved
    await db.update(outbox).set({ status: "dead", attempts: defaultRetrySchedule.maxAttempts }).where(eq(outbox.shopId, shopId));
    const { id } = await getRow();
    expect((await listRecentDeliveries(db, [shopId]))[0].isRetryable).toBe(true);
    expect(await retryDelivery(db, otherOwner, id, now)).toBe(false);
    expect((await getRow()).status).toBe("dead");
    expect(await retryDelivery(db, owner, id, now)).toBe(true);
    expect(await getRow()).toMatchObject({ status: "pending", attempts: 0 });
  });

  it.each([
    ["dead after the last try (the card came back)", "dead"],
    ["refused by the platform", "refused"],
  ] as const)("a row %s is not sent again: the agents answer anew", async (_label, status) => {
    const requestId = await decideOne();
    const { id } = await getRow();
    if (status === "dead") for (let i = 0; i < defaultRetrySchedule.maxAttempts; i++) await recordAnswerFailure(db, id, "HTTP 500", now, () => 0);
    else await db.update(outbox).set({ status: "refused" }).where(eq(outbox.id, id));
    expect((await getRow()).status).toBe(status);
    if (status === "dead") expect((await db.select().from(requests).where(eq(requests.id, requestId)))[0].status).toBe("pending");
    expect((await listRecentDeliveries(db, [shopId]))[0].isRetryable).toBe(false);
    expect(await retryDelivery(db, owner, id, now)).toBe(false);
    expect((await getRow()).status).toBe(status);
  });

  it("leaves a delivered row delivered", async () => {
    await decideOne();
    await db.update(outbox).set({ status: "delivered" }).where(eq(outbox.shopId, shopId));
    expect(await retryDelivery(db, owner, (await getRow()).id, now)).toBe(false);
  });
});

describe("deliverDueDecisions", () => {
  type Call = { url: string; headers: Record<string, string>; body: string };

  function fakeFetch(statuses: number[], calls: Call[]): SenderDeps["fetch"] {
    return async (input, init) => {
      calls.push({ url: String(input), headers: init?.headers as Record<string, string>, body: String(init?.body) });
      const status = statuses.shift() ?? 200;
      if (status === 0) throw new TypeError("fetch failed");
      return new Response(null, { status });
    };
  }

  const deps = (fetch: SenderDeps["fetch"], at = now): SenderDeps => ({ fetch, random: () => 0, now: () => at, timeoutMs: 1000 });

  it("posts the payload signed like inbound events, with the idempotency key, and marks it delivered", async () => {
    const requestId = await decideOne();
    await setShopEndpoint(db, shopId, "http://127.0.0.1:4010/decisions", now);
    const calls: Call[] = [];
    expect(await deliverDueDecisions(db, deps(fakeFetch([200], calls)))).toEqual({ delivered: 1, retrying: 0, refused: 0, dead: 0 });
    const [call] = calls;
    expect(call.url).toBe("http://127.0.0.1:4010/decisions");
    expect(call.headers["Idempotency-Key"]).toBe(`dec_${requestId}`);
    expect(call.headers["X-Shop-Id"]).toBe(shopId);
    expect(verifySignature([secret], call.headers["X-Timestamp"], call.body, call.headers["X-Signature"])).toBe(true);
    expect(await getRow()).toMatchObject({ status: "delivered", attempts: 0 });
    expect((await listRecentDeliveries(db, [shopId]))[0]).toMatchObject({ status: "delivered", platformRequestId: "231500112233445566" });
  });

  it("a 500, then a network error, then a 200: two failures recorded, the same key each time", async () => {
    await decideOne();
    await setShopEndpoint(db, shopId, "http://127.0.0.1:4010/decisions", now);
    const calls: Call[] = [];
    const fetch = fakeFetch([500, 0, 200], calls);
    await deliverDueDecisions(db, deps(fetch));
    expect(await getRow()).toMatchObject({ status: "pending", attempts: 1, lastError: "HTTP 500" });
    await deliverDueDecisions(db, deps(fetch));
    expect(await getRow()).toMatchObject({ status: "pending", attempts: 2, lastError: "TypeError: fetch failed" });
    await deliverDueDecisions(db, deps(fetch));
    expect((await getRow()).status).toBe("delivered");
    expect(new Set(calls.map((call) => call.headers["Idempotency-Key"])).size).toBe(1);
  });

  it("a row not yet due is not sent", async () => {
    await decideOne();
    await setShopEndpoint(db, shopId, "http://127.0.0.1:4010/decisions", now);
    const { id } = await getRow();
    await recordAnswerFailure(db, id, "HTTP 500", now, () => 0.9);
    const calls: Call[] = [];
    await deliverDueDecisions(db, deps(fakeFetch([200], calls)));
    expect(calls).toHaveLength(0);
  });

  it("no endpoint set: a failed attempt that says so, and no request sent", async () => {
    await decideOne();
    const calls: Call[] = [];
    await deliverDueDecisions(db, deps(fakeFetch([200], calls)));
    expect(calls).toHaveLength(0);
    expect(await getRow()).toMatchObject({ status: "pending", attempts: 1, lastError: "No platform endpoint is set for this shop" });
  });

  it("the decision itself is untouched by delivery", async () => {
    const requestId = await decideOne();
    await setShopEndpoint(db, shopId, "http://127.0.0.1:4010/decisions", now);
    await deliverDueDecisions(db, deps(fakeFetch([500], [])));
    const [row] = await db.select().from(requests).where(eq(requests.id, requestId));
    expect(row.status).toBe("approved");
  });
});
