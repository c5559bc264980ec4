import { eq, inArray } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { addMember, addPendingRequest, callRoute, expectApiError, expectNothingChanged, setUpRouteDesk } from "@/app/_server/test-support";
import { createShop } from "@/db/factories";
import { requests } from "@/db/schema";
import type { BulkDecisionResult, RequestCard } from "@/lib/api-types";

vi.mock("server-only", () => ({}));

const { GET: listCards } = await import("@/app/api/requests/route");
const { GET: countCards } = await import("@/app/api/requests/counts/route");
const { POST: bulkDecide } = await import("@/app/api/requests/bulk-decision/route");

const desk = setUpRouteDesk();

const statusOf = async (ids: string[]) =>
  Object.fromEntries((await desk.db.select({ id: requests.id, status: requests.status }).from(requests).where(inArray(requests.id, ids))).map((row) => [row.id, row.status]));

describe("GET /api/requests", () => {
  it("401 without a session", async () => {
    await expectApiError(await callRoute(listCards, { as: null, path: "/api/requests" }), 401, "unauthenticated");
  });

  it("lists the caller's shops' pending cards, never another merchant's", async () => {
    const mine = await addPendingRequest(desk.db, desk.shops.tmall, { order: { title: "羊毛围巾-列表" } });
    const theirs = await addPendingRequest(desk.db, desk.other.shop, { order: { title: "羊毛围巾-列表" } });
    const response = await callRoute(listCards, { as: desk.agent, path: `/api/requests?q=${encodeURIComponent("羊毛围巾-列表")}` });
    expect(response.status).toBe(200);
    const page = (await response.json()) as { items: RequestCard[]; nextCursor: string | null; serverNow: string };
    expect(page.items.map((card) => card.id)).toEqual([mine.requestId]);
    expect(page.items.map((card) => card.id)).not.toContain(theirs.requestId);
    expect(Number.isNaN(Date.parse(page.serverNow))).toBe(false);
  });

  it("an agent of one shop sees only that shop's cards", async () => {
    const tmallCard = await addPendingRequest(desk.db, desk.shops.tmall, { order: { title: "只看抖音" } });
    const douyinCard = await addPendingRequest(desk.db, desk.shops.douyin, { order: { title: "只看抖音" } });
    const response = await callRoute(listCards, { as: desk.douyinAgent, path: `/api/requests?q=${encodeURIComponent("只看抖音")}` });
    const page = (await response.json()) as { items: RequestCard[] };
    expect(page.items.map((card) => card.id)).toEqual([douyinCard.requestId]);
    expect(page.items.map((card) => card.id)).not.toContain(tmallCard.requestId);
  });

  it("pages with the cursor it answers", async () => {
    for (let index = 0; index < 3; index += 1) await addPendingRequest(desk.db, desk.shops.tmall, { order: { title: "分页商品" } });
    const first = (await (await callRoute(listCards, { as: desk.owner, path: `/api/requests?limit=2&q=${encodeURIComponent("分页商品")}` })).json()) as {
      items: RequestCard[];
      nextCursor: string;
    };
    expect(first.items).toHaveLength(2);
    const second = (await (
      await callRoute(listCards, { as: desk.owner, path: `/api/requests?limit=2&q=${encodeURIComponent("分页商品")}&cursor=${encodeURIComponent(first.nextCursor)}` })
    ).json()) as { items: RequestCard[]; nextCursor: string | null };
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    expect(new Set([...first.items, ...second.items].map((card) => card.id)).size).toBe(3);
  });

  it.each([
    ["an unknown status", "status=maybe"],
    ["a limit over 200", "limit=500"],
    ["a shop that is no shop id", "shop=tmall"],
  ])("400 invalid_query for %s, with the issues", async (_label, query) => {
    const error = await expectApiError(await callRoute(listCards, { as: desk.owner, path: `/api/requests?${query}` }), 400, "invalid_query");
    expect(error.issues).toEqual(expect.arrayContaining([expect.objectContaining({ path: query.split("=")[0] })]));
  });

  it("400 invalid_query for a cursor it never answered", async () => {
    const error = await expectApiError(await callRoute(listCards, { as: desk.owner, path: "/api/requests?cursor=not-a-cursor" }), 400, "invalid_query");
    expect(error.issues).toEqual([{ path: "cursor", message: "Unknown cursor" }]);
  });
});

describe("GET /api/requests/counts", () => {
  it("401 without a session", async () => {
    await expectApiError(await callRoute(countCards, { as: null }), 401, "unauthenticated");
  });

  it("counts the pending cards of the caller's shops by urgency", async () => {
    const shop = await createShop(desk.db, { merchantId: desk.merchantId, platform: "tmall", name: "A 计数店" });
    const member = await addMember(desk.db, desk.merchantId, "agent", { shopIds: [shop] });
    const now = Date.now();
    await addPendingRequest(desk.db, shop, { receivedAt: new Date(now - 30_000) });
    const overdue = await addPendingRequest(desk.db, shop, { receivedAt: new Date(now - 10 * 60_000) });
    await desk.db.update(requests).set({ respondBy: new Date(now - 60_000) }).where(eq(requests.id, overdue.requestId));
    await addPendingRequest(desk.db, desk.other.shop);
    const response = await callRoute(countCards, { as: member });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ pending: 2, overdue: 1 });
  });

  it("answers zeros for a member without shops", async () => {
    const member = await addMember(desk.db, desk.merchantId, "agent", { shopIds: [] });
    expect(await (await callRoute(countCards, { as: member })).json()).toMatchObject({ pending: 0, dueSoon: 0, overdue: 0 });
  });
});

describe("POST /api/requests/bulk-decision", () => {
  it("401 without a session, and nothing is decided", async () => {
    const card = await addPendingRequest(desk.db, desk.shops.tmall);
    const response = await expectNothingChanged(desk.db, () =>
      callRoute(bulkDecide, { as: null, method: "POST", json: { decision: "approve", ids: [card.requestId] } }),
    );
    await expectApiError(response, 401, "unauthenticated");
  });

  it("403 cross_origin from another site, and nothing is decided", async () => {
    const card = await addPendingRequest(desk.db, desk.shops.tmall);
    const response = await expectNothingChanged(desk.db, () =>
      callRoute(bulkDecide, { as: desk.agent, method: "POST", headers: { origin: "https://evil.example" }, json: { decision: "approve", ids: [card.requestId] } }),
    );
    await expectApiError(response, 403, "cross_origin");
  });

  it.each([
    ["a rejection", { decision: "reject", ids: ["req_0000000000000000000a"] }],
    ["no ids", { decision: "approve", ids: [] }],
    ["an id that is no request id", { decision: "approve", ids: ["ord_1"] }],
    ["an unknown field", { decision: "approve", ids: ["req_0000000000000000000a"], force: true }],
  ])("422 invalid_body for %s, and nothing is decided", async (_label, json) => {
    await addPendingRequest(desk.db, desk.shops.tmall);
    const response = await expectNothingChanged(desk.db, () => callRoute(bulkDecide, { as: desk.agent, method: "POST", json }));
    const error = await expectApiError(response, 422, "invalid_body");
    expect(Array.isArray(error.issues)).toBe(true);
  });

  it("400 malformed_json for a body that is not JSON", async () => {
    const response = await expectNothingChanged(desk.db, () =>
      callRoute(bulkDecide, { as: desk.agent, method: "POST", headers: { "content-type": "application/json" }, body: "{ids:" }),
    );
    await expectApiError(response, 400, "malformed_json");
  });

  it("approves each card on its own: another merchant's is not_found, a decided one already_decided, a refused one refused", async () => {
    const first = await addPendingRequest(desk.db, desk.shops.tmall);
    const second = await addPendingRequest(desk.db, desk.shops.tmall);
    const decided = await addPendingRequest(desk.db, desk.shops.tmall);
    // A re-open request on an order whose refund succeeded: the platform's rules refuse to open the entry
    const refused = await addPendingRequest(desk.db, desk.shops.tmall, { kind: "entry_reopen", amountFen: 0, order: { priorRefund: "succeeded", completedAt: new Date(Date.now() - 100 * 86_400_000) } });
    const theirs = await addPendingRequest(desk.db, desk.other.shop);
    expect((await callRoute(bulkDecide, { as: desk.owner, method: "POST", json: { decision: "approve", ids: [decided.requestId] } })).status).toBe(200);
    const ids = [first.requestId, second.requestId, first.requestId, decided.requestId, theirs.requestId, refused.requestId];
    const response = await callRoute(bulkDecide, { as: desk.agent, method: "POST", json: { decision: "approve", ids } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { results: BulkDecisionResult[]; approved: number };
    expect(body.approved).toBe(2);
    expect(body.results.map((result) => [result.id, result.outcome])).toEqual([
      [first.requestId, "approved"],
      [second.requestId, "approved"],
      [decided.requestId, "already_decided"],
      [theirs.requestId, "not_found"],
      [refused.requestId, "refused"],
    ]);
    expect(body.results[2]).toMatchObject({ decision: "approve", decidedBy: { id: desk.owner.id } });
    expect(body.results[4]).toMatchObject({ code: "not_eligible" });
    expect(await statusOf([first.requestId, second.requestId, theirs.requestId, refused.requestId])).toEqual({
      [first.requestId]: "approved",
      [second.requestId]: "approved",
      [theirs.requestId]: "pending",
      [refused.requestId]: "pending",
    });
  });
});
