import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { deliverDueDecisions, type SenderDeps } from "@/app/_server/outbox-sender";
import type { Db } from "@/db/client";
import { createMerchant, createOrder, createRequest, createShop, createUser } from "@/db/factories";
import { claimRequest } from "@/db/queries/claims";
import { listLiveEventsSince } from "@/db/queries/live";
import { rebuildRollups } from "@/db/queries/metrics/rebuild";
import { getRequestCard } from "@/db/queries/requests";
import { decideRequest } from "@/db/workflows/decide";
import { getScope, type Scope } from "@/db/queries/users";
import { rotateShopSecret, setShopEndpoint } from "@/db/queries/webhooks";
import { auditLog, evidenceFiles, requests } from "@/db/schema";
import { metricDaily, metricHourly, metricMonthly, metricShopDaily, metricShopHourly } from "@/db/schema-metrics";
import { outbox } from "@/db/schema-webhooks";
import { recordAnswerRefusal } from "@/db/workflows/platform-refusal";
import { newId } from "@/lib/ids";
import type { AnswerOutcome } from "@/lib/platforms/types";
import { undoWindowMs } from "@/lib/undo";
import { defaultRetrySchedule } from "@/lib/webhook/retry-schedule";
import { closeTestDb, openTestDb } from "@/db/test-db";

// The card comes back to the agents when the platform will not take its answer (docs/platforms/refusals.md).

const decidedAt = new Date("2026-11-20T02:00:00.000Z");
/** The decision is final, and its answer due, one undo window later. */
const finalAt = new Date(decidedAt.getTime() + undoWindowMs);
const platformDeadline = new Date("2026-11-21T02:00:00.000Z");

let db: Db;
let shopId: string;
let wang: Scope;
let zhao: Scope;

beforeEach(async () => {
  db = await openTestDb();
  const merchant = await createMerchant(db, "A");
  shopId = await createShop(db, { merchantId: merchant, platform: "tmall", name: "A 天猫店" });
  await rotateShopSecret(db, shopId, "local-demo-secret-tmall", decidedAt);
  wang = (await getScope(db, await createUser(db, { merchantId: merchant, name: "王芳", email: "wang@a.test", role: "agent" })))!;
  zhao = (await getScope(db, await createUser(db, { merchantId: merchant, name: "赵强", email: "zhao@a.test", role: "agent" })))!;
});
afterEach(async () => closeTestDb(db));

/** A card received 10 min before the decision, claimed by 王芳 and decided by her; the rollups rebuilt first as the truth to return to. */
async function decidedCard(decision: "approve" | "reject" = "approve") {
  const orderId = await createOrder(db, { shopId, platform: "tmall", platformOrderId: "3723456789012345678" });
  // A Tmall rejection needs proof, and an unshipped refund-only may not be rejected at all (docs/domain/rejections.md)
  const kind = decision === "approve" ? "refund_only" : "return_refund";
  const id = await createRequest(db, { shopId, orderId, platform: "tmall", kind, receivedAt: new Date(decidedAt.getTime() - 600_000), platformDeadline });
  await rebuildRollups(db);
  const pendingRollups = await readRollups();
  expect((await claimRequest(db, wang, id, new Date(decidedAt.getTime() - 60_000))).ok).toBe(true);
  const evidenceId = newId("evd");
  await db.insert(evidenceFiles).values({ id: evidenceId, shopId, name: "proof.png", mimeType: "image/png", bytes: Buffer.from("89504e470d0a1a0a", "hex") });
  const input = decision === "approve" ? { decision } : { decision, reasonCode: "goods_intact_used", message: "亲，商品已签收且无质量问题。", evidenceIds: [evidenceId] };
  expect((await decideRequest(db, wang, id, input, decidedAt)).ok).toBe(true);
  const [before] = await db.select().from(requests).where(eq(requests.id, id));
  return { id, before, pendingRollups };
}

async function readRollups() {
  const tables = { metricHourly, metricDaily, metricMonthly, metricShopHourly, metricShopDaily };
  const rows = await Promise.all(Object.values(tables).map(async (table) => (await db.select().from(table)).map((row) => JSON.stringify(row)).sort()));
  return Object.fromEntries(Object.keys(tables).map((name, index) => [name, rows[index]]));
}

/** The sender with its platform leg replaced: every pass answers with the next outcome (null: our own contract). */
function deps(at: Date, outcomes: (AnswerOutcome | null | Error)[], fetchStatuses: { status: number; body?: string }[] = []): SenderDeps {
  return {
    fetch: async () => {
      const next = fetchStatuses.shift() ?? { status: 200 };
      if (next.status === 0) throw new TypeError("fetch failed");
      return new Response(next.body ?? null, { status: next.status });
    },
    random: () => 0,
    now: () => at,
    timeoutMs: 1_000,
    answerOnPlatform: async () => {
      const next = outcomes.length ? outcomes.shift()! : null;
      if (next instanceof Error) throw next;
      return next;
    },
  };
}

const douyinRefusal: AnswerOutcome = { ok: false, refused: true, message: "售后单状态已变更，不能执行该操作", code: "isv.business-failed" };

async function readRequest(id: string) {
  const [row] = await db.select().from(requests).where(eq(requests.id, id));
  return row;
}

async function readOutbox(id: string) {
  return db.select().from(outbox).where(eq(outbox.requestId, id)).orderBy(outbox.id);
}

async function readReturns(id: string) {
  return db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.requestId, id), eq(auditLog.action, "platform_refused")));
}

describe("a refusal by the platform", () => {
  it.each(["approve", "reject"] as const)("%s refused: the card is pending again with the platform's words, both clocks running, the claim kept", async (decision) => {
    const { id, before, pendingRollups } = await decidedCard(decision);
    expect(await readRollups()).not.toEqual(pendingRollups);
    const [queued] = await readOutbox(id);

    expect(await deliverDueDecisions(db, deps(finalAt, [douyinRefusal]))).toEqual({ delivered: 0, retrying: 0, refused: 1, dead: 0 });

    const after = await readRequest(id);
    expect(after).toMatchObject({
      status: "pending",
      decision: null,
      decidedAt: null,
      decidedBy: null,
      finalAt: null,
      rejectReasonCode: null,
      rejectReasonText: null,
      rejectMessage: null,
      platformRefusal: "售后单状态已变更，不能执行该操作",
      platformRefusedAt: finalAt,
      version: before.version + 1,
      claimedBy: wang.userId,
    });
    expect(after.respondBy).toEqual(before.respondBy);
    expect(after.platformDeadline).toEqual(platformDeadline);
    expect(await readOutbox(id)).toMatchObject([{ id: queued.id, status: "refused", attempts: 0, lastError: "isv.business-failed: 售后单状态已变更，不能执行该操作" }]);
    const [returned] = await readReturns(id);
    expect(returned).toMatchObject({
      actorId: null,
      fromStatus: decision === "approve" ? "approved" : "rejected",
      toStatus: "pending",
      at: finalAt,
      detail: { message: "售后单状态已变更，不能执行该操作", code: "isv.business-failed", decision, outboxId: queued.id, outboxStatus: "refused" },
    });
    // The rollups forget the answer exactly as an undo does: back to the card received and unanswered
    expect(await readRollups()).toEqual(pendingRollups);
    // And a rebuild from the requests agrees
    await rebuildRollups(db);
    expect(await readRollups()).toEqual(pendingRollups);
    // What every open desk of the shop hears (the live feed is the audit log), and what the card says
    const live = await listLiveEventsSince(db, 0, 100, [shopId]);
    expect(live.at(-1)).toMatchObject({ requestId: id, action: "platform_refused", toStatus: "pending", actor: null });
    expect((await getRequestCard(db, zhao, id))?.platformRefusal).toEqual({ message: "售后单状态已变更，不能执行该操作", at: finalAt.toISOString() });
  });

  it("is never retried: a later pass sends nothing", async () => {
    const { id } = await decidedCard();
    await deliverDueDecisions(db, deps(finalAt, [douyinRefusal]));
    const later = deps(new Date(finalAt.getTime() + 3_600_000), [{ ok: true, detail: "should not be called" }]);
    expect(await deliverDueDecisions(db, later)).toEqual({ delivered: 0, retrying: 0, refused: 0, dead: 0 });
    expect((await readOutbox(id))[0].status).toBe("refused");
  });

  it("an empty message still says something, and a refusal settled twice returns the card once", async () => {
    const { id } = await decidedCard();
    const [row] = await readOutbox(id);
    expect(await recordAnswerRefusal(db, row.id, { message: "  " }, finalAt)).toEqual({ status: "refused", isReturned: true });
    expect((await readRequest(id)).platformRefusal).toBe("平台未说明原因");
    expect(await recordAnswerRefusal(db, row.id, { message: "again" }, finalAt)).toEqual({ status: "refused", isReturned: false });
    expect(await readReturns(id)).toHaveLength(1);
  });

  it("a card the buyer cancelled meanwhile stays cancelled; only the row is settled", async () => {
    const { id } = await decidedCard();
    await db.update(requests).set({ status: "cancelled" }).where(eq(requests.id, id));
    await deliverDueDecisions(db, deps(finalAt, [douyinRefusal]));
    expect((await readRequest(id)).status).toBe("cancelled");
    expect((await readOutbox(id))[0].status).toBe("refused");
    expect(await readReturns(id)).toHaveLength(0);
  });
});

describe("a transient failure", () => {
  it.each([
    ["the platform leg's transient outcome", { ok: false, refused: false, error: "HTTP 502 from /afterSale/operate" } as AnswerOutcome, "HTTP 502 from /afterSale/operate"],
    ["a throw in the platform leg", new Error("socket hang up"), "Error: socket hang up"],
  ])("%s is retried and the card stays decided", async (_label, outcome, lastError) => {
    const { id } = await decidedCard();
    expect(await deliverDueDecisions(db, deps(finalAt, [outcome]))).toEqual({ delivered: 0, retrying: 1, refused: 0, dead: 0 });
    expect(await readOutbox(id)).toMatchObject([{ status: "pending", attempts: 1, lastError }]);
    expect(await readRequest(id)).toMatchObject({ status: "approved", platformRefusal: null });
    expect(await readReturns(id)).toHaveLength(0);
  });

  it("dead after the last try: the card comes back saying the answer never arrived", async () => {
    const { id, pendingRollups } = await decidedCard();
    let at = finalAt;
    for (let attempt = 1; attempt <= defaultRetrySchedule.maxAttempts; attempt++) {
      const result = await deliverDueDecisions(db, deps(at, [{ ok: false, refused: false, error: "HTTP 503" }]));
      expect(result).toEqual(attempt < defaultRetrySchedule.maxAttempts ? { delivered: 0, retrying: 1, refused: 0, dead: 0 } : { delivered: 0, retrying: 0, refused: 0, dead: 1 });
      // random() = 0 makes every retry due at once; a minute apart all the same
      at = new Date(at.getTime() + 60_000);
    }
    const lastTry = new Date(at.getTime() - 60_000);
    expect(await readOutbox(id)).toMatchObject([{ status: "dead", attempts: 12, lastError: "HTTP 503" }]);
    expect(await readRequest(id)).toMatchObject({ status: "pending", decision: null, platformRefusal: "答复尝试 12 次仍未送达平台（最后一次：HTTP 503）", platformRefusedAt: lastTry });
    const [returned] = await readReturns(id);
    expect(returned.detail).toMatchObject({ code: null, decision: "approve", outboxStatus: "dead" });
    expect(await readRollups()).toEqual(pendingRollups);
  });
});

describe("after the return", () => {
  it("two agents race to decide it again: one wins, the platform's words clear, and the new answer has its own key", async () => {
    const { id } = await decidedCard();
    await deliverDueDecisions(db, deps(finalAt, [douyinRefusal]));
    const again = new Date(finalAt.getTime() + 30_000);
    const [first, second] = await Promise.all([
      await decideRequest(db, zhao, id, { decision: "approve" }, again),
      await decideRequest(db, wang, id, { decision: "approve" }, again),
    ]);
    expect([first.ok, second.ok].sort()).toEqual([false, true]);
    expect([first, second].find((result) => !result.ok)).toMatchObject({ code: "already_decided" });
    const card = await readRequest(id);
    expect(card).toMatchObject({ status: "approved", platformRefusal: null, platformRefusedAt: null });
    const rows = await readOutbox(id);
    expect(rows.map((row) => [row.status, row.idempotencyKey])).toEqual([
      ["refused", `dec_${id}`],
      ["pending", `dec_${id}_2`],
    ]);
    // The new answer goes out and is taken; the refused row stays as it was
    const due = new Date(again.getTime() + undoWindowMs);
    expect(await deliverDueDecisions(db, deps(due, [{ ok: true, detail: "1 call(s)" }]))).toEqual({ delivered: 1, retrying: 0, refused: 0, dead: 0 });
    expect((await readOutbox(id)).map((row) => row.status)).toEqual(["refused", "delivered"]);
    expect((await readRequest(id)).status).toBe("approved");
  });

  it("a late word about the older answer does not touch the card's newer decision", async () => {
    const { id } = await decidedCard();
    await deliverDueDecisions(db, deps(finalAt, [douyinRefusal]));
    const [old] = await readOutbox(id);
    // As if the old row were pending still (a second sender): it is settled, the card is left alone
    await db.update(outbox).set({ status: "pending" }).where(eq(outbox.id, old.id));
    expect((await decideRequest(db, zhao, id, { decision: "approve" }, new Date(finalAt.getTime() + 1_000))).ok).toBe(true);
    expect(await recordAnswerRefusal(db, old.id, douyinRefusal, new Date(finalAt.getTime() + 2_000))).toEqual({ status: "refused", isReturned: false });
    expect(await readRequest(id)).toMatchObject({ status: "approved", decidedBy: zhao.userId });
    expect(await readReturns(id)).toHaveLength(1);
  });
});

describe("our own signed contract (shops without a platform app)", () => {
  it.each([
    ["422 with the endpoint's JSON error", "refused", { status: 422, body: JSON.stringify({ error: { code: "refund_closed", message: "退款单已关闭" } }) }, "退款单已关闭"],
    ["409 without a JSON body", "refused", { status: 409, body: "conflict" }, "HTTP 409"],
    ["503", "pending", { status: 503, body: JSON.stringify({ error: { message: "维护中" } }) }, null],
    ["429 (throttled)", "pending", { status: 429 }, null],
    ["408 (timeout)", "pending", { status: 408 }, null],
    ["a network error", "pending", { status: 0 }, null],
  ] as const)("%s → the row is %s", async (_label, status, response, refusal) => {
    const { id } = await decidedCard();
    await setShopEndpoint(db, shopId, "http://127.0.0.1:4010/decisions", decidedAt);
    await deliverDueDecisions(db, deps(finalAt, [null], [response]));
    expect((await readOutbox(id))[0].status).toBe(status);
    expect(await readRequest(id)).toMatchObject(refusal ? { status: "pending", platformRefusal: refusal } : { status: "approved", platformRefusal: null });
    expect(await readReturns(id)).toHaveLength(refusal ? 1 : 0);
  });
});
