import { describe, expect, it, vi } from "vitest";
import { addPendingRequest, expectApiError, setUpRouteDesk, type Member } from "@/app/_server/test-support";
import { getScope, type Scope } from "@/db/queries/users";
import { newId } from "@/lib/ids";

vi.mock("server-only", () => ({}));

// The card loader the /api/requests/[id]/… routes share: 400 for a malformed id, 404 for a card out of scope.
const { findCardOr404, loadCardOr404, parseRequestId } = await import("@/app/_server/request-card");

const desk = setUpRouteDesk();

async function scopeOf(member: Member): Promise<Scope> {
  const scope = await getScope(desk.db, member.id);
  if (!scope) throw new Error(`No scope for ${member.id}`);
  return scope;
}

describe("parseRequestId", () => {
  it("answers the id for a request id and 400 invalid_id naming the value otherwise", async () => {
    const { requestId } = await addPendingRequest(desk.db, desk.shops.tmall);
    expect(parseRequestId(requestId)).toEqual({ id: requestId });
    const bad = parseRequestId("ord_123");
    if (!("error" in bad)) throw new Error("ord_123 was taken for a request id");
    const error = await expectApiError(bad.error, 400, "invalid_id");
    expect(error.message).toContain("ord_123");
  });
});

describe("loadCardOr404", () => {
  it("loads a card in the caller's scope", async () => {
    const { requestId } = await addPendingRequest(desk.db, desk.shops.douyin);
    const loaded = await loadCardOr404(desk.db, await scopeOf(desk.douyinAgent), requestId);
    if ("error" in loaded) throw new Error(`Expected the card, got ${loaded.error.status}`);
    expect(loaded.id).toBe(requestId);
    expect(loaded.card).toMatchObject({ id: requestId, status: "pending", shop: { id: desk.shops.douyin } });
  });

  it("400 invalid_id before any lookup, 404 not_found for another merchant's card and a shop the agent may not see", async () => {
    const theirs = await addPendingRequest(desk.db, desk.other.shop);
    const tmall = await addPendingRequest(desk.db, desk.shops.tmall);
    const cases = [
      { as: desk.owner, id: "nope", status: 400, code: "invalid_id" },
      { as: desk.owner, id: theirs.requestId, status: 404, code: "not_found" },
      { as: desk.douyinAgent, id: tmall.requestId, status: 404, code: "not_found" },
    ] as const;
    for (const { as, id, status, code } of cases) {
      const loaded = await loadCardOr404(desk.db, await scopeOf(as), id);
      if (!("error" in loaded)) throw new Error(`${id} was loaded for a caller who may not see it`);
      await expectApiError(loaded.error, status, code);
    }
  });

  it("findCardOr404 alone: the same 404 for an id no card has", async () => {
    const found = await findCardOr404(desk.db, await scopeOf(desk.owner), newId("req"));
    if (!("error" in found)) throw new Error("A card was found for an id no card has");
    await expectApiError(found.error, 404, "not_found");
  });
});
