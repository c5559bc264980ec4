import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { type Db, transact } from "@/db/client";
import { buildOrder, createMerchant, createRequest, createShop, createUser, type OrderValues } from "@/db/factories";
import { makeCounterOffer, recordProposal, resolveProposal } from "@/db/queries/proposals";
import { getRequestCard } from "@/db/queries/requests";
import { decideRequest } from "@/db/workflows/decide";
import { getScope, type Scope } from "@/db/queries/users";
import { auditLog, evidenceFiles, orders } from "@/db/schema";
import { counterOffers, platformProposals } from "@/db/schema-policy";
import type { Platform, RequestKind } from "@/lib/domain";
import { newId } from "@/lib/ids";
import { closeTestDb, openTestDb } from "@/db/test-db";
import { hourMs } from "@/lib/time";

const now = new Date("2026-11-23T06:00:00.000Z");
const png = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex");

let db: Db;
let shops: Record<Platform, string>;
let owner: Scope;
let ownerB: Scope;

/** A card on a shipped, received order: by default a full refund-only an hour after receipt. */
async function seedCard(platform: Platform, options: { kind?: RequestKind; amountFen?: number; order?: Partial<OrderValues> & { shippedAt?: Date | null } } = {}) {
  const order = {
    ...buildOrder({ shopId: shops[platform], platform, category: "food", amountFen: 8800, receivedAt: new Date(now.getTime() - 3 * hourMs) }),
    shippedAt: new Date(now.getTime() - 48 * hourMs),
    ...options.order,
  };
  await db.insert(orders).values(order);
  return createRequest(db, {
    shopId: shops[platform],
    orderId: order.id,
    platform,
    kind: options.kind ?? "refund_only",
    amountFen: options.amountFen ?? 8800,
    receivedAt: new Date(now.getTime() - 2 * hourMs),
  });
}

async function propose(requestId: string, platformProposalId: string, proposedAt: Date) {
  return await transact(db, async (tx) =>
    recordProposal(tx, { shopId: shops.douyin, requestId, platformProposalId, proposedAt, expiresAt: null, now: proposedAt }));
}

async function uploadEvidence(shopId: string) {
  const id = newId("evd");
  await db.insert(evidenceFiles).values({ id, shopId, name: "签收照片.png", mimeType: "image/png", bytes: png });
  return id;
}

const rejectPastPeriod = { decision: "reject" as const, reasonCode: "past_period", message: "已超出售后期限" };

beforeEach(async () => {
  db = await openTestDb();
  const merchant = await createMerchant(db, "A");
  shops = {
    tmall: await createShop(db, { merchantId: merchant, platform: "tmall", name: "A 天猫店" }),
    douyin: await createShop(db, { merchantId: merchant, platform: "douyin", name: "A 抖音店" }),
    taobao: await createShop(db, { merchantId: merchant, platform: "taobao", name: "A 淘宝店" }),
    wechat: await createShop(db, { merchantId: merchant, platform: "wechat", name: "A 微信小店" }),
  };
  owner = (await getScope(db, await createUser(db, { merchantId: merchant, name: "老板", email: "o@a.test", role: "owner" })))!;
  const merchantB = await createMerchant(db, "B");
  ownerB = (await getScope(db, await createUser(db, { merchantId: merchantB, name: "B", email: "o@b.test", role: "owner" })))!;
});
afterEach(async () => closeTestDb(db));

describe("Douyin platform proposal (主动介入协商)", () => {
  it("while valid: reject and counter-offer are refused with negotiation_lock, approve works", async () => {
    const cardId = await seedCard("douyin");
    const proposedAt = new Date(now.getTime() - hourMs);
    expect(await propose(cardId, "p1", proposedAt)).toBe(true);
    const until = new Date(proposedAt.getTime() + 12 * hourMs).toISOString();
    expect(await decideRequest(db, owner, cardId, rejectPastPeriod, now)).toEqual({ ok: false, code: "negotiation_lock", until });
    expect(await makeCounterOffer(db, owner, cardId, { kind: "partial_refund", amountFen: 4000 }, now)).toEqual({ ok: false, code: "negotiation_lock", until });
    expect((await getRequestCard(db, owner, cardId))?.proposal).toEqual({
      proposedAt: proposedAt.toISOString(),
      expiresAt: null,
      outcome: null,
      resolvedAt: null,
      invalidReason: null,
    });
    expect((await decideRequest(db, owner, cardId, { decision: "approve" }, now)).ok).toBe(true);
  });

  it("exactly 12 h after it was made, the seller reviews as usual", async () => {
    const cardId = await seedCard("douyin");
    await propose(cardId, "p1", new Date(now.getTime() - 12 * hourMs));
    expect(await decideRequest(db, owner, cardId, rejectPastPeriod, now)).toMatchObject({ ok: true, card: { status: "rejected" } });
  });

  it.each([
    ["生鲜", { order: { category: "fresh_food" } }, "excluded_category"],
    ["a partial refund", { amountFen: 4000 }, "partial_refund"],
    ["before receipt", { order: { receivedAt: null } }, "not_received"],
  ])("on %s it is recorded as invalid and locks nothing", async (_label, options, invalidReason) => {
    const cardId = await seedCard("douyin", options);
    await propose(cardId, "p1", new Date(now.getTime() - hourMs));
    const [row] = await db.select().from(platformProposals).where(eq(platformProposals.requestId, cardId));
    expect(row.invalidReason).toBe(invalidReason);
    const [audit] = await db.select().from(auditLog).where(eq(auditLog.requestId, cardId));
    expect(audit.action).toBe("proposal_invalid");
    expect((await decideRequest(db, owner, cardId, rejectPastPeriod, now)).ok).toBe(true);
  });

  it("the buyer accepts: the request becomes return & refund with seller-paid freight, and may then be reviewed", async () => {
    const cardId = await seedCard("douyin");
    await propose(cardId, "p1", new Date(now.getTime() - hourMs));
    expect(await transact(db, async (tx) => resolveProposal(tx, { shopId: shops.douyin, platformProposalId: "p1", outcome: "accepted", now }))).toBe(true);
    // The same answer twice changes nothing more
    expect(await transact(db, async (tx) => resolveProposal(tx, { shopId: shops.douyin, platformProposalId: "p1", outcome: "accepted", now }))).toBe(false);
    const card = await getRequestCard(db, owner, cardId);
    expect(card).toMatchObject({ kind: "return_refund", status: "pending", proposal: { outcome: "accepted" } });
    const audit = await db.select().from(auditLog).where(eq(auditLog.action, "proposal_accepted"));
    expect(audit[0].detail).toMatchObject({ fromKind: "refund_only", toKind: "return_refund", returnFreightPaidBy: "seller" });
  });

  it.each(["rejected", "lapsed"] as const)("the buyer's %s answer ends the lock before 12 h", async (outcome) => {
    const cardId = await seedCard("douyin");
    await propose(cardId, "p1", new Date(now.getTime() - hourMs));
    await transact(db, async (tx) => resolveProposal(tx, { shopId: shops.douyin, platformProposalId: "p1", outcome, now: new Date(now.getTime() - 60_000) }));
    expect((await getRequestCard(db, owner, cardId))?.kind).toBe("refund_only");
    expect((await decideRequest(db, owner, cardId, rejectPastPeriod, now)).ok).toBe(true);
  });
});

describe("what a rejection needs", () => {
  it("Tmall: without proof the server answers rejection_incomplete; with an uploaded file it goes through", async () => {
    const cardId = await seedCard("tmall", { kind: "return_refund" });
    expect(await decideRequest(db, owner, cardId, rejectPastPeriod, now)).toEqual({
      ok: false,
      code: "rejection_incomplete",
      missing: [{ code: "evidence_missing", requiredBy: "platform" }],
    });
    const foreign = await uploadEvidence(shops.douyin);
    expect(await decideRequest(db, owner, cardId, { ...rejectPastPeriod, evidenceIds: [foreign] }, now)).toEqual({
      ok: false,
      code: "evidence_not_found",
      evidenceIds: [foreign],
    });
    const proof = await uploadEvidence(shops.tmall);
    const result = await decideRequest(db, owner, cardId, { ...rejectPastPeriod, evidenceIds: [proof] }, now);
    expect(result).toMatchObject({ ok: true, card: { status: "rejected" } });
    const [audit] = await db.select().from(auditLog).where(eq(auditLog.requestId, cardId));
    expect(audit.detail).toMatchObject({ evidenceIds: [proof] });
  });

  it("Taobao: a reason that is a claim needs proof, another does not", async () => {
    const cardId = await seedCard("taobao", { kind: "return_refund" });
    expect(await decideRequest(db, owner, cardId, { decision: "reject", reasonCode: "goods_intact_used", message: "吊牌已剪" }, now)).toMatchObject({
      code: "rejection_incomplete",
      missing: [{ code: "evidence_missing", requiredBy: "reason" }],
    });
    expect((await decideRequest(db, owner, cardId, rejectPastPeriod, now)).ok).toBe(true);
  });

  it("an unshipped refund-only on Taobao may not be rejected at all", async () => {
    const cardId = await seedCard("taobao", { order: { shippedAt: null, receivedAt: null } });
    expect(await decideRequest(db, owner, cardId, rejectPastPeriod, now)).toEqual({ ok: false, code: "not_rejectable", rules: ["refund_only_unshipped"] });
  });

  it("a decided card answers already_decided, whatever the rules say", async () => {
    const cardId = await seedCard("tmall", { kind: "return_refund" });
    expect((await decideRequest(db, owner, cardId, { decision: "approve" }, now)).ok).toBe(true);
    expect(await decideRequest(db, owner, cardId, rejectPastPeriod, now)).toMatchObject({ ok: false, code: "already_decided" });
  });
});

describe("counter-offers (Taobao seller–buyer negotiation)", () => {
  it("a partial refund below the request is recorded with audit; the card shows it and stays pending", async () => {
    const cardId = await seedCard("taobao");
    const result = await makeCounterOffer(db, owner, cardId, { kind: "partial_refund", amountFen: 3000 }, now);
    expect(result).toEqual({ ok: true, counterOffer: { kind: "partial_refund", amountFen: 3000, createdAt: now.toISOString() } });
    expect(await getRequestCard(db, owner, cardId)).toMatchObject({ status: "pending", version: 2, counterOffer: { kind: "partial_refund", amountFen: 3000 } });
    const [audit] = await db.select().from(auditLog).where(eq(auditLog.requestId, cardId));
    expect(audit).toMatchObject({ action: "counter_offered", actorId: owner.userId, detail: { kind: "partial_refund", amountFen: 3000, requestedFen: 8800 } });
  });

  it.each([
    ["the full amount", { kind: "partial_refund" as const, amountFen: 8800 }, "amount_not_below_requested"],
    ["yuan with decimals", { kind: "partial_refund" as const, amountFen: 30.5 }, "amount_not_integer"],
    ["zero", { kind: "partial_refund" as const, amountFen: 0 }, "amount_not_positive"],
  ])("%s is refused as invalid_counter_offer and nothing is stored", async (_label, offer, problem) => {
    const cardId = await seedCard("taobao");
    expect(await makeCounterOffer(db, owner, cardId, offer, now)).toMatchObject({ ok: false, code: "invalid_counter_offer", problems: [{ code: problem }] });
    expect(await db.select().from(counterOffers)).toEqual([]);
  });

  it("changing to return & refund is offered on refund-only; an exchange takes none; another merchant gets not_found", async () => {
    const refundOnly = await seedCard("taobao");
    expect((await makeCounterOffer(db, owner, refundOnly, { kind: "return_refund" }, now)).ok).toBe(true);
    const exchange = await seedCard("taobao", { kind: "exchange" });
    expect(await makeCounterOffer(db, owner, exchange, { kind: "return_refund" }, now)).toEqual({ ok: false, code: "not_negotiable" });
    expect(await makeCounterOffer(db, ownerB, refundOnly, { kind: "return_refund" }, now)).toEqual({ ok: false, code: "not_found" });
  });
});
