import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { createMerchant, createOrder, createRequest, createShop, createUser } from "@/db/factories";
import { decideRequest } from "@/db/workflows/decide";
import { undoDecision } from "@/db/workflows/undo";
import { getScope, type Scope } from "@/db/queries/users";
import { auditLog, orders, requests } from "@/db/schema";
import { outbox } from "@/db/schema-webhooks";
import { closeTestDb, openTestDb } from "@/db/test-db";

const now = new Date("2026-11-23T06:00:00.000Z");
const after = (ms: number) => new Date(now.getTime() + ms);

describe("undoDecision", () => {
  let db: Db;
  let wang: Scope;
  let zhao: Scope;
  let shopId: string;

  beforeEach(async () => {
    db = await openTestDb();
    const merchantId = await createMerchant(db, "A");
    shopId = await createShop(db, { merchantId, platform: "taobao", name: "A 淘宝店" });
    wang = (await getScope(db, await createUser(db, { merchantId, name: "王芳", email: "wang@a.test", role: "agent" })))!;
    zhao = (await getScope(db, await createUser(db, { merchantId, name: "赵强", email: "zhao@a.test", role: "agent" })))!;
  });
  afterEach(async () => closeTestDb(db));

  async function decidedCard(kind: "refund_only" | "entry_reopen" = "refund_only") {
    const orderId = await createOrder(db, {
      shopId,
      platform: "taobao",
      completedAt: new Date(now.getTime() - 40 * 86_400_000),
      category: "food",
    });
    const id = await createRequest(db, { shopId, orderId, platform: "taobao", kind, receivedAt: new Date(now.getTime() - 60_000) });
    const result = await decideRequest(db, wang, id, { decision: "approve" }, now);
    expect(result.ok).toBe(true);
    return { id, orderId };
  }

  it("puts the card back to pending and drops its unsent delivery, inside the window", async () => {
    const { id } = await decidedCard();
    const [queued] = await db.select().from(outbox).where(eq(outbox.requestId, id));
    expect(queued.nextAttemptAt.toISOString()).toBe(after(5_000).toISOString());
    const result = await undoDecision(db, wang, id, after(4_999));
    expect(result).toMatchObject({ ok: true, card: { status: "pending", decision: null, decidedBy: null } });
    expect(await db.select().from(outbox).where(eq(outbox.requestId, id))).toHaveLength(0);
    const actions = (await db.select().from(auditLog).where(eq(auditLog.requestId, id))).map((row) => row.action);
    expect(actions).toEqual(["approved", "undone"]);
    // It can be decided again, and that decision is queued afresh.
    expect((await decideRequest(db, zhao, id, { decision: "approve" }, after(6_000))).ok).toBe(true);
    expect(await db.select().from(outbox).where(eq(outbox.requestId, id))).toHaveLength(1);
  });

  it("refuses at exactly 5 s, for another agent, and once the sender has tried", async () => {
    const { id } = await decidedCard();
    expect(await undoDecision(db, zhao, id, after(1_000))).toEqual({ ok: false, code: "undo_refused", reason: "not_yours" });
    expect(await undoDecision(db, wang, id, after(5_000))).toEqual({ ok: false, code: "undo_refused", reason: "final" });
    const other = await decidedCard();
    await db.update(outbox).set({ attempts: 1, lastAttemptAt: after(100) }).where(eq(outbox.requestId, other.id));
    expect(await undoDecision(db, wang, other.id, after(200))).toEqual({ ok: false, code: "undo_refused", reason: "final" });
    const [row] = await db.select().from(requests).where(eq(requests.id, other.id));
    expect(row.status).toBe("approved");
  });

  it("closes an entry that the undone approval had opened", async () => {
    const { id, orderId } = await decidedCard("entry_reopen");
    const [opened] = await db.select().from(orders).where(eq(orders.id, orderId));
    expect(opened).toMatchObject({ entryTimesOpened: 1, entryOpenedAt: now });
    expect((await undoDecision(db, wang, id, after(2_000))).ok).toBe(true);
    const [restored] = await db.select().from(orders).where(eq(orders.id, orderId));
    expect(restored).toMatchObject({ entryTimesOpened: 0, entryOpenedAt: null });
  });
});
