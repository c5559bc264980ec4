import { eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { addPendingRequest, callRoute, expectApiError, expectNothingChanged, setUpRouteDesk, type Member } from "@/app/_server/test-support";
import { auditLog, evidenceFiles, requests } from "@/db/schema";
import { counterOffers, platformProposals } from "@/db/schema-policy";
import type { RequestCard } from "@/lib/api-types";
import { newId } from "@/lib/ids";
import { hourMs } from "@/lib/time";

vi.mock("server-only", () => ({}));

const { POST: decide } = await import("@/app/api/requests/[id]/decision/route");
const { POST: counterOffer } = await import("@/app/api/requests/[id]/counter-offer/route");
const { GET: rejectReasons } = await import("@/app/api/requests/[id]/reject-reasons/route");
const { POST: uploadEvidence } = await import("@/app/api/requests/[id]/rejection-evidence/route");
const { GET: getEvidence } = await import("@/app/api/evidence/[id]/route");

const desk = setUpRouteDesk();
const png = Buffer.from("89504e470d0a1a0a0000000d4948445200000001000000010806000000", "hex");

const rowOf = async (id: string) => (await desk.db.select().from(requests).where(eq(requests.id, id)))[0];
/** A refund on a shipped order: Tmall lets the seller refuse it (an unshipped one it refunds whatever the seller says). */
const addShippedRefund = (shopId: string) =>
  addPendingRequest(desk.db, shopId, { order: { shippedAt: new Date(Date.now() - 48 * hourMs), receivedAt: new Date(Date.now() - 3 * hourMs) } });

/** Douyin's 主动介入协商 proposal, made an hour ago and valid for 12: only approving is allowed meanwhile. */
async function addLockedDouyinRefund() {
  const card = await addShippedRefund(desk.shops.douyin);
  const proposedAt = new Date(Date.now() - hourMs);
  await desk.db.insert(platformProposals).values({ id: newId("prp"), shopId: desk.shops.douyin, requestId: card.requestId, platformProposalId: `p-${card.requestId}`, proposedAt, recordedAt: proposedAt });
  return card;
}

function upload(as: Member, id: string, file: Blob, name = "签收照片.png") {
  const form = new FormData();
  form.set("file", file, name);
  return callRoute(uploadEvidence, { as, method: "POST", params: { id }, body: form });
}

const reject = (as: Member, id: string, body: Record<string, unknown>) => callRoute(decide, { as, method: "POST", params: { id }, json: { decision: "reject", ...body } });

describe("POST /api/requests/:id/decision", () => {
  it("401 without a session, and the card stays pending", async () => {
    const { requestId } = await addPendingRequest(desk.db, desk.shops.tmall);
    const response = await expectNothingChanged(desk.db, () => callRoute(decide, { as: null, method: "POST", params: { id: requestId }, json: { decision: "approve" } }));
    await expectApiError(response, 401, "unauthenticated");
  });

  it("400 invalid_id", async () => {
    await expectApiError(await callRoute(decide, { as: desk.agent, method: "POST", params: { id: "req_x" }, json: { decision: "approve" } }), 400, "invalid_id");
  });

  it("404 for another merchant's card and for a shop the agent may not see, and nothing changes", async () => {
    const theirs = await addPendingRequest(desk.db, desk.other.shop);
    const tmall = await addPendingRequest(desk.db, desk.shops.tmall);
    for (const [as, id] of [
      [desk.owner, theirs.requestId],
      [desk.douyinAgent, tmall.requestId],
    ] as const) {
      const response = await expectNothingChanged(desk.db, () => callRoute(decide, { as, method: "POST", params: { id }, json: { decision: "approve" } }));
      await expectApiError(response, 404, "not_found");
    }
  });

  it.each([
    ["an unknown decision", { decision: "maybe" }],
    ["a rejection without reason or message", { decision: "reject" }],
    ["an evidence id that is no evidence id", { decision: "reject", reasonCode: "other", message: "不同意退款", evidenceIds: ["req_1"] }],
  ])("422 invalid_body for %s, and nothing changes", async (_label, json) => {
    const { requestId } = await addShippedRefund(desk.shops.tmall);
    const response = await expectNothingChanged(desk.db, () => callRoute(decide, { as: desk.agent, method: "POST", params: { id: requestId }, json }));
    const error = await expectApiError(response, 422, "invalid_body");
    expect(error.issues).toEqual(expect.arrayContaining([expect.objectContaining({ path: expect.any(String), message: expect.any(String) })]));
  });

  it("422 invalid_body for a reason the platform does not list and a one-character message", async () => {
    const { requestId } = await addShippedRefund(desk.shops.tmall);
    const response = await expectNothingChanged(desk.db, () => reject(desk.agent, requestId, { reasonCode: "made_up", message: "不" }));
    const error = await expectApiError(response, 422, "invalid_body");
    expect((error.issues as { path: string }[]).map((issue) => issue.path)).toEqual(["reasonCode", "message"]);
  });

  it("422 rejection_incomplete: Tmall wants proof with this reason", async () => {
    const { requestId } = await addShippedRefund(desk.shops.tmall);
    const response = await expectNothingChanged(desk.db, () => reject(desk.agent, requestId, { reasonCode: "no_quality_issue", message: "商品无质量问题" }));
    const error = await expectApiError(response, 422, "rejection_incomplete");
    expect(error.missing).toEqual(expect.arrayContaining([expect.objectContaining({ code: "evidence_missing" })]));
  });

  it("422 not_rejectable for a refund on an order not yet shipped", async () => {
    const { requestId } = await addPendingRequest(desk.db, desk.shops.tmall);
    const response = await expectNothingChanged(desk.db, () => reject(desk.agent, requestId, { reasonCode: "past_period", message: "已超出售后期限" }));
    expect((await expectApiError(response, 422, "not_rejectable")).rules).toEqual(["refund_only_unshipped"]);
  });

  it("422 not_eligible for approving a re-open request the platform would not open", async () => {
    const { requestId } = await addPendingRequest(desk.db, desk.shops.tmall, { kind: "entry_reopen", amountFen: 0, order: { priorRefund: "succeeded", completedAt: new Date(Date.now() - 100 * 24 * hourMs) } });
    const response = await expectNothingChanged(desk.db, () => callRoute(decide, { as: desk.agent, method: "POST", params: { id: requestId }, json: { decision: "approve" } }));
    expect(await expectApiError(response, 422, "not_eligible")).toMatchObject({ reason: "prior_refund", eligibility: { eligible: false } });
  });

  it.each([
    ["a prior refund stored as unknown", { priorRefund: "unknown", unknownFacts: ["prior_refund"], completedAt: new Date(Date.now() - 100 * 24 * hourMs) }, ["prior_refund"]],
    ["a row from before 'unknown' was stored: 'none' beside prior_refund in unknown_facts", { priorRefund: "none", unknownFacts: ["prior_refund"], completedAt: new Date(Date.now() - 100 * 24 * hourMs) }, ["prior_refund"]],
    ["a completion the platform could not tell", { priorRefund: "none", unknownFacts: ["completed"], completedAt: null }, ["completed"]],
  ] as const)("422 not_eligible unknown_facts for re-opening with %s, never not_completed or as if no refund", async (_label, order, facts) => {
    const { requestId } = await addPendingRequest(desk.db, desk.shops.tmall, { kind: "entry_reopen", amountFen: 0, order: { ...order, unknownFacts: [...order.unknownFacts] } });
    const response = await expectNothingChanged(desk.db, () => callRoute(decide, { as: desk.agent, method: "POST", params: { id: requestId }, json: { decision: "approve" } }));
    expect(await expectApiError(response, 422, "not_eligible")).toMatchObject({ reason: "unknown_facts", eligibility: { eligible: false, reason: "unknown_facts", unknownFacts: facts } });
  });

  it("422 evidence_not_found for proof uploaded to another shop", async () => {
    const { requestId } = await addShippedRefund(desk.shops.tmall);
    const elsewhere = newId("evd");
    await desk.db.insert(evidenceFiles).values({ id: elsewhere, shopId: desk.shops.douyin, name: "x.png", mimeType: "image/png", bytes: png });
    const response = await expectNothingChanged(desk.db, () => reject(desk.agent, requestId, { reasonCode: "no_quality_issue", message: "商品无质量问题", evidenceIds: [elsewhere] }));
    expect((await expectApiError(response, 422, "evidence_not_found")).evidenceIds).toEqual([elsewhere]);
  });

  it("409 negotiation_lock while Douyin's proposal is valid", async () => {
    const { requestId } = await addLockedDouyinRefund();
    const response = await expectNothingChanged(desk.db, () => reject(desk.douyinAgent, requestId, { reasonCode: "past_period", message: "已超出售后期限" }));
    const error = await expectApiError(response, 409, "negotiation_lock");
    expect(Date.parse(String(error.until))).toBeGreaterThan(Date.now());
  });

  it("approves: the card, its audit row, and 409 already_decided naming the winner for the next click", async () => {
    const { requestId } = await addPendingRequest(desk.db, desk.shops.tmall);
    const response = await callRoute(decide, { as: desk.agent, method: "POST", params: { id: requestId }, json: { decision: "approve" } });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { card: RequestCard }).card).toMatchObject({ id: requestId, status: "approved", decidedBy: { id: desk.agent.id } });
    expect(await rowOf(requestId)).toMatchObject({ status: "approved", decision: "approve", decidedBy: desk.agent.id });
    expect(await desk.db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.requestId, requestId))).toEqual([{ action: "approved" }]);

    const second = await expectNothingChanged(desk.db, () => callRoute(decide, { as: desk.owner, method: "POST", params: { id: requestId }, json: { decision: "approve" } }));
    const error = await expectApiError(second, 409, "already_decided");
    expect(error).toMatchObject({ decision: "approve", decidedBy: { id: desk.agent.id, name: "王芳" } });
    expect(error.message).toContain("王芳");
  });

  it("409 already_decided for a card the platform cancelled, without a decider", async () => {
    const { requestId } = await addPendingRequest(desk.db, desk.shops.tmall);
    await desk.db.update(requests).set({ status: "cancelled" }).where(eq(requests.id, requestId));
    const response = await expectNothingChanged(desk.db, () => callRoute(decide, { as: desk.agent, method: "POST", params: { id: requestId }, json: { decision: "approve" } }));
    expect((await expectApiError(response, 409, "already_decided")).status).toBe("cancelled");
  });

  it("rejects with the proof uploaded for it, which the caller's merchant can then read back", async () => {
    const { requestId } = await addShippedRefund(desk.shops.tmall);
    const uploaded = await upload(desk.agent, requestId, new Blob([png], { type: "text/plain" }), "../签收\u0007照片.png");
    expect(uploaded.status).toBe(201);
    const { evidence } = (await uploaded.json()) as { evidence: { id: string; url: string; name: string } };
    expect(evidence.url).toBe(`/api/evidence/${evidence.id}`);
    // The type is what the bytes are; the name loses its path separators and control characters
    expect((await desk.db.select({ mimeType: evidenceFiles.mimeType, name: evidenceFiles.name }).from(evidenceFiles).where(eq(evidenceFiles.id, evidence.id)))[0]).toEqual({
      mimeType: "image/png",
      name: ".._签收_照片.png",
    });

    const response = await reject(desk.agent, requestId, { reasonCode: "no_quality_issue", message: "商品无质量问题，见签收照片", evidenceIds: [evidence.id] });
    expect(response.status).toBe(200);
    expect(await rowOf(requestId)).toMatchObject({ status: "rejected", rejectReasonCode: "no_quality_issue", rejectMessage: "商品无质量问题，见签收照片" });

    const file = await callRoute(getEvidence, { as: desk.owner, params: { id: evidence.id } });
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("image/png");
    expect(file.headers.get("content-security-policy")).toBeTruthy();
    expect(Buffer.from(await file.arrayBuffer()).equals(png)).toBe(true);
  });
});

describe("POST /api/requests/:id/rejection-evidence", () => {
  it("401 without a session, 400 invalid_id, 404 for another merchant's card; nothing stored", async () => {
    const theirs = await addPendingRequest(desk.db, desk.other.shop);
    await expectApiError(await expectNothingChanged(desk.db, () => upload(null as unknown as Member, theirs.requestId, new Blob([png]))), 401, "unauthenticated");
    await expectApiError(await upload(desk.agent, "evd_1", new Blob([png])), 400, "invalid_id");
    await expectApiError(await expectNothingChanged(desk.db, () => upload(desk.agent, theirs.requestId, new Blob([png]))), 404, "not_found");
  });

  it("422 invalid_body for a body that is not a form, a form without the file, an empty file", async () => {
    const { requestId } = await addShippedRefund(desk.shops.tmall);
    const notForm = await expectNothingChanged(desk.db, () => callRoute(uploadEvidence, { as: desk.agent, method: "POST", params: { id: requestId }, json: { file: "x" } }));
    await expectApiError(notForm, 422, "invalid_body");
    const form = new FormData();
    form.set("photo", new Blob([png]), "x.png");
    const noFile = await expectNothingChanged(desk.db, () => callRoute(uploadEvidence, { as: desk.agent, method: "POST", params: { id: requestId }, body: form }));
    await expectApiError(noFile, 422, "invalid_body");
    await expectApiError(await expectNothingChanged(desk.db, () => upload(desk.agent, requestId, new Blob([]))), 422, "invalid_body");
  });

  it("415 for bytes that are no image or PDF, whatever the name says", async () => {
    const { requestId } = await addShippedRefund(desk.shops.tmall);
    const response = await expectNothingChanged(desk.db, () => upload(desk.agent, requestId, new Blob(["<svg onload=alert(1)>"], { type: "image/png" }), "x.png"));
    expect((await expectApiError(response, 415, "unsupported_media_type")).allowedTypes).toContain("image/png");
  });

  it("413 for a file over the platform's 5 MB", async () => {
    const { requestId } = await addShippedRefund(desk.shops.tmall);
    const big = new Uint8Array(5 * 1024 * 1024 + 1);
    big.set(png);
    const response = await expectNothingChanged(desk.db, () => upload(desk.agent, requestId, new Blob([big])));
    expect((await expectApiError(response, 413, "payload_too_large")).maxBytesEach).toBe(5 * 1024 * 1024);
  });
});

describe("GET /api/evidence/:id", () => {
  it("401 without a session, 400 invalid_id, 404 for another merchant's file", async () => {
    const id = newId("evd");
    await desk.db.insert(evidenceFiles).values({ id, shopId: desk.shops.tmall, name: "x.png", mimeType: "image/png", bytes: png });
    await expectApiError(await callRoute(getEvidence, { as: null, params: { id } }), 401, "unauthenticated");
    await expectApiError(await callRoute(getEvidence, { as: desk.owner, params: { id: "req_1" } }), 400, "invalid_id");
    await expectApiError(await callRoute(getEvidence, { as: desk.other.owner, params: { id } }), 404, "not_found");
  });
});

describe("POST /api/requests/:id/counter-offer", () => {
  const offer = (as: Member, id: string, json: unknown) => callRoute(counterOffer, { as, method: "POST", params: { id }, json });

  it("401 without a session, 400 invalid_id", async () => {
    const { requestId } = await addShippedRefund(desk.shops.tmall);
    await expectApiError(await offer(null as unknown as Member, requestId, { kind: "return_refund" }), 401, "unauthenticated");
    await expectApiError(await offer(desk.agent, "x", { kind: "return_refund" }), 400, "invalid_id");
  });

  it.each([
    ["an unknown kind", { kind: "voucher" }],
    ["a partial refund without an amount", { kind: "partial_refund" }],
    ["an amount as text", { kind: "partial_refund", amountFen: "50" }],
  ])("422 invalid_body for %s, and nothing changes", async (_label, json) => {
    const { requestId } = await addShippedRefund(desk.shops.tmall);
    await expectApiError(await expectNothingChanged(desk.db, () => offer(desk.agent, requestId, json)), 422, "invalid_body");
  });

  it("404 for another merchant's card", async () => {
    const { requestId } = await addShippedRefund(desk.other.shop);
    await expectApiError(await expectNothingChanged(desk.db, () => offer(desk.owner, requestId, { kind: "return_refund" })), 404, "not_found");
  });

  it("422 invalid_counter_offer for an amount not below the request's, 422 not_negotiable for an exchange", async () => {
    const { requestId } = await addShippedRefund(desk.shops.tmall);
    const tooMuch = await expectNothingChanged(desk.db, () => offer(desk.agent, requestId, { kind: "partial_refund", amountFen: 9900 }));
    expect((await expectApiError(tooMuch, 422, "invalid_counter_offer")).problems).toEqual([{ code: "amount_not_below_requested", amountFen: 9900, requestedFen: 9900 }]);
    const exchange = await addPendingRequest(desk.db, desk.shops.tmall, { kind: "exchange" });
    await expectApiError(await expectNothingChanged(desk.db, () => offer(desk.agent, exchange.requestId, { kind: "partial_refund", amountFen: 100 })), 422, "not_negotiable");
  });

  it("409 negotiation_lock on Douyin while its proposal is valid, 409 already_decided once decided", async () => {
    const locked = await addLockedDouyinRefund();
    await expectApiError(await expectNothingChanged(desk.db, () => offer(desk.douyinAgent, locked.requestId, { kind: "return_refund" })), 409, "negotiation_lock");
    const decided = await addShippedRefund(desk.shops.tmall);
    expect((await callRoute(decide, { as: desk.agent, method: "POST", params: { id: decided.requestId }, json: { decision: "approve" } })).status).toBe(200);
    await expectApiError(await expectNothingChanged(desk.db, () => offer(desk.agent, decided.requestId, { kind: "return_refund" })), 409, "already_decided");
  });

  it("201 with the offer; the card stays pending for the buyer's answer", async () => {
    const { requestId } = await addShippedRefund(desk.shops.tmall);
    const response = await offer(desk.agent, requestId, { kind: "partial_refund", amountFen: 5000 });
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ counterOffer: { kind: "partial_refund", amountFen: 5000 } });
    expect(await desk.db.select({ amountFen: counterOffers.amountFen, createdBy: counterOffers.createdBy }).from(counterOffers).where(eq(counterOffers.requestId, requestId))).toEqual([
      { amountFen: 5000, createdBy: desk.agent.id },
    ]);
    expect((await rowOf(requestId)).status).toBe("pending");
  });
});

describe("GET /api/requests/:id/reject-reasons", () => {
  it("401, 400, 404 as the other card routes", async () => {
    const theirs = await addPendingRequest(desk.db, desk.other.shop);
    await expectApiError(await callRoute(rejectReasons, { as: null, params: { id: theirs.requestId } }), 401, "unauthenticated");
    await expectApiError(await callRoute(rejectReasons, { as: desk.agent, params: { id: "x" } }), 400, "invalid_id");
    await expectApiError(await callRoute(rejectReasons, { as: desk.agent, params: { id: theirs.requestId } }), 404, "not_found");
  });

  it("a shop not connected to its platform uses the desk's own list", async () => {
    const { requestId } = await addPendingRequest(desk.db, desk.shops.tmall);
    const response = await callRoute(rejectReasons, { as: desk.agent, params: { id: requestId } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ source: "desk" });
  });
});
