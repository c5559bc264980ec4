import { eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { addPendingRequest, callRoute, expectApiError, expectNothingChanged, setUpRouteDesk, type Member } from "@/app/_server/test-support";
import { requests } from "@/db/schema";
import type { RequestCard } from "@/lib/api-types";

vi.mock("server-only", () => ({}));

const { GET: getCard } = await import("@/app/api/requests/[id]/route");
const { POST: claim, DELETE: release } = await import("@/app/api/requests/[id]/claim/route");
const { POST: assign } = await import("@/app/api/requests/[id]/assign/route");
const { POST: undo } = await import("@/app/api/requests/[id]/undo/route");
const { POST: decide } = await import("@/app/api/requests/[id]/decision/route");

const desk = setUpRouteDesk();

const rowOf = async (id: string) => (await desk.db.select().from(requests).where(eq(requests.id, id)))[0];
const approve = (as: Member, id: string) => callRoute(decide, { as, method: "POST", params: { id }, json: { decision: "approve" } });

describe("GET /api/requests/:id", () => {
  it("401 without a session", async () => {
    const { requestId } = await addPendingRequest(desk.db, desk.shops.tmall);
    await expectApiError(await callRoute(getCard, { as: null, params: { id: requestId } }), 401, "unauthenticated");
  });

  it("400 invalid_id for an id that is not a request id", async () => {
    await expectApiError(await callRoute(getCard, { as: desk.agent, params: { id: "ord_123" } }), 400, "invalid_id");
  });

  it("404 for another merchant's card, and for a shop the agent may not see", async () => {
    const theirs = await addPendingRequest(desk.db, desk.other.shop);
    const tmall = await addPendingRequest(desk.db, desk.shops.tmall);
    await expectApiError(await callRoute(getCard, { as: desk.owner, params: { id: theirs.requestId } }), 404, "not_found");
    await expectApiError(await callRoute(getCard, { as: desk.douyinAgent, params: { id: tmall.requestId } }), 404, "not_found");
  });

  it("answers the card with its audit trail", async () => {
    const { requestId } = await addPendingRequest(desk.db, desk.shops.tmall);
    expect((await approve(desk.agent, requestId)).status).toBe(200);
    const response = await callRoute(getCard, { as: desk.owner, params: { id: requestId } });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = (await response.json()) as { card: RequestCard; audit: { action: string }[] };
    expect(body.card).toMatchObject({ id: requestId, status: "approved", decidedBy: { id: desk.agent.id } });
    expect(body.audit.map((entry) => entry.action)).toEqual(["approved"]);
  });
});

describe("POST and DELETE /api/requests/:id/claim", () => {
  it("401 without a session, and nothing is claimed", async () => {
    const { requestId } = await addPendingRequest(desk.db, desk.shops.tmall);
    const response = await expectNothingChanged(desk.db, () => callRoute(claim, { as: null, method: "POST", params: { id: requestId } }));
    await expectApiError(response, 401, "unauthenticated");
  });

  it("400 invalid_id on either verb", async () => {
    await expectApiError(await callRoute(claim, { as: desk.agent, method: "POST", params: { id: "nope" } }), 400, "invalid_id");
    await expectApiError(await callRoute(release, { as: desk.agent, method: "DELETE", params: { id: "nope" } }), 400, "invalid_id");
  });

  it("404 for another merchant's card, which stays unclaimed", async () => {
    const { requestId } = await addPendingRequest(desk.db, desk.other.shop);
    const response = await expectNothingChanged(desk.db, () => callRoute(claim, { as: desk.agent, method: "POST", params: { id: requestId } }));
    await expectApiError(response, 404, "not_found");
  });

  it("claims for the caller; a colleague then gets 409 claimed_by_other and may not release it; the owner may", async () => {
    const { requestId } = await addPendingRequest(desk.db, desk.shops.douyin);
    const claimed = await callRoute(claim, { as: desk.agent, method: "POST", params: { id: requestId } });
    expect(claimed.status).toBe(200);
    expect(((await claimed.json()) as { card: RequestCard }).card.claimedBy).toMatchObject({ id: desk.agent.id, name: "王芳" });

    const taken = await expectNothingChanged(desk.db, () => callRoute(claim, { as: desk.douyinAgent, method: "POST", params: { id: requestId } }));
    const error = await expectApiError(taken, 409, "claimed_by_other");
    expect(error.claimedBy).toEqual({ id: desk.agent.id, name: "王芳" });

    const notTheirs = await expectNothingChanged(desk.db, () => callRoute(release, { as: desk.douyinAgent, method: "DELETE", params: { id: requestId } }));
    await expectApiError(notTheirs, 403, "forbidden");

    const released = await callRoute(release, { as: desk.owner, method: "DELETE", params: { id: requestId } });
    expect(released.status).toBe(200);
    expect((await rowOf(requestId)).claimedBy).toBeNull();
  });

  it("409 conflict for a card that is no longer pending", async () => {
    const { requestId } = await addPendingRequest(desk.db, desk.shops.tmall);
    expect((await approve(desk.agent, requestId)).status).toBe(200);
    const response = await expectNothingChanged(desk.db, () => callRoute(claim, { as: desk.agent, method: "POST", params: { id: requestId } }));
    await expectApiError(response, 409, "conflict");
  });
});

describe("POST /api/requests/:id/assign", () => {
  it("403 for an agent, and the card stays unassigned", async () => {
    const { requestId } = await addPendingRequest(desk.db, desk.shops.tmall);
    const response = await expectNothingChanged(desk.db, () =>
      callRoute(assign, { as: desk.agent, method: "POST", params: { id: requestId }, json: { userId: desk.agent.id } }),
    );
    await expectApiError(response, 403, "forbidden");
  });

  it("400 invalid_id for a bad request id", async () => {
    await expectApiError(await callRoute(assign, { as: desk.owner, method: "POST", params: { id: "req" }, json: { userId: desk.agent.id } }), 400, "invalid_id");
  });

  it.each([
    ["no user", {}],
    ["a user id that is no user id", { userId: "shop_1" }],
    ["an extra field", { userId: "usr_0000000000000000000a", note: "快" }],
  ])("422 invalid_body for %s, and nothing changes", async (_label, json) => {
    const { requestId } = await addPendingRequest(desk.db, desk.shops.tmall);
    const response = await expectNothingChanged(desk.db, () => callRoute(assign, { as: desk.owner, method: "POST", params: { id: requestId }, json }));
    await expectApiError(response, 422, "invalid_body");
  });

  it("404 for another merchant's card", async () => {
    const { requestId } = await addPendingRequest(desk.db, desk.other.shop);
    const response = await expectNothingChanged(desk.db, () =>
      callRoute(assign, { as: desk.owner, method: "POST", params: { id: requestId }, json: { userId: desk.agent.id } }),
    );
    await expectApiError(response, 404, "not_found");
  });

  it("403 when the assignee may not work the card's shop (an agent of another shop, another merchant's owner)", async () => {
    const { requestId } = await addPendingRequest(desk.db, desk.shops.tmall);
    for (const assignee of [desk.douyinAgent, desk.other.owner]) {
      const response = await expectNothingChanged(desk.db, () =>
        callRoute(assign, { as: desk.owner, method: "POST", params: { id: requestId }, json: { userId: assignee.id } }),
      );
      await expectApiError(response, 403, "forbidden");
    }
  });

  it("hands the card to a colleague who may work its shop", async () => {
    const { requestId } = await addPendingRequest(desk.db, desk.shops.douyin);
    const response = await callRoute(assign, { as: desk.owner, method: "POST", params: { id: requestId }, json: { userId: desk.douyinAgent.id } });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { card: RequestCard }).card.claimedBy).toMatchObject({ id: desk.douyinAgent.id });
    expect((await rowOf(requestId)).claimedBy).toBe(desk.douyinAgent.id);
  });
});

describe("POST /api/requests/:id/undo", () => {
  it("401 without a session", async () => {
    const { requestId } = await addPendingRequest(desk.db, desk.shops.tmall);
    await expectApiError(await callRoute(undo, { as: null, method: "POST", params: { id: requestId } }), 401, "unauthenticated");
  });

  it("400 invalid_id, 404 for another merchant's card", async () => {
    await expectApiError(await callRoute(undo, { as: desk.agent, method: "POST", params: { id: "x" } }), 400, "invalid_id");
    const { requestId } = await addPendingRequest(desk.db, desk.other.shop);
    await expectApiError(await callRoute(undo, { as: desk.agent, method: "POST", params: { id: requestId } }), 404, "not_found");
  });

  it("puts the card back to pending for the agent who decided, within the window", async () => {
    const { requestId } = await addPendingRequest(desk.db, desk.shops.tmall);
    expect((await approve(desk.agent, requestId)).status).toBe(200);
    const response = await callRoute(undo, { as: desk.agent, method: "POST", params: { id: requestId } });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { card: RequestCard }).card).toMatchObject({ id: requestId, status: "pending", decision: null });
    expect(await rowOf(requestId)).toMatchObject({ status: "pending", decidedBy: null });
  });

  it("409 undo_refused with the reason: nothing to undo, not yours, final", async () => {
    const pending = await addPendingRequest(desk.db, desk.shops.tmall);
    const notDecided = await expectNothingChanged(desk.db, () => callRoute(undo, { as: desk.agent, method: "POST", params: { id: pending.requestId } }));
    expect((await expectApiError(notDecided, 409, "undo_refused")).reason).toBe("not_decided");

    const decided = await addPendingRequest(desk.db, desk.shops.tmall);
    expect((await approve(desk.agent, decided.requestId)).status).toBe(200);
    const notYours = await expectNothingChanged(desk.db, () => callRoute(undo, { as: desk.owner, method: "POST", params: { id: decided.requestId } }));
    expect((await expectApiError(notYours, 409, "undo_refused")).reason).toBe("not_yours");

    // The window has passed: final a second ago
    await desk.db.update(requests).set({ finalAt: new Date(Date.now() - 1_000) }).where(eq(requests.id, decided.requestId));
    const final = await expectNothingChanged(desk.db, () => callRoute(undo, { as: desk.agent, method: "POST", params: { id: decided.requestId } }));
    expect((await expectApiError(final, 409, "undo_refused")).reason).toBe("final");
    expect((await rowOf(decided.requestId)).status).toBe("approved");
  });
});
