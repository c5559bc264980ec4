import { eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { addOrder, callRoute, expectApiError, expectNothingChanged, setUpRouteDesk } from "@/app/_server/test-support";
import { createShop } from "@/db/factories";
import { orders, shops } from "@/db/schema";
import type { OrderRow } from "@/lib/api-types";
import { dayMs } from "@/lib/time";

vi.mock("server-only", () => ({}));

const { GET: listOrders } = await import("@/app/api/orders/route");
const { POST: openEntry } = await import("@/app/api/orders/[id]/entry/route");
const { PUT: putEntrySetting } = await import("@/app/api/orders/entry-settings/route");

const desk = setUpRouteDesk();
const daysAgo = (days: number) => new Date(Date.now() - days * dayMs);
const orderOf = async (id: string) => (await desk.db.select().from(orders).where(eq(orders.id, id)))[0];

describe("GET /api/orders", () => {
  it("401 without a session", async () => {
    await expectApiError(await callRoute(listOrders, { as: null, path: "/api/orders" }), 401, "unauthenticated");
  });

  it("400 invalid_query for a limit out of range", async () => {
    const error = await expectApiError(await callRoute(listOrders, { as: desk.owner, path: "/api/orders?limit=0" }), 400, "invalid_query");
    expect(error.issues).toEqual([expect.objectContaining({ path: "limit" })]);
  });

  it("finds the caller's orders by title, never another merchant's", async () => {
    const mine = await addOrder(desk.db, desk.shops.tmall, { title: "真丝衬衫-订单页", completedAt: daysAgo(10) });
    await addOrder(desk.db, desk.other.shop, { title: "真丝衬衫-订单页", completedAt: daysAgo(10) });
    const response = await callRoute(listOrders, { as: desk.agent, path: `/api/orders?q=${encodeURIComponent("真丝衬衫-订单页")}` });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { items: OrderRow[]; serverNow: string };
    expect(body.items.map((order) => order.id)).toEqual([mine]);
  });
});

describe("POST /api/orders/:id/entry", () => {
  it("401 without a session, 400 invalid_id", async () => {
    const id = await addOrder(desk.db, desk.shops.tmall, { completedAt: daysAgo(100) });
    await expectApiError(await callRoute(openEntry, { as: null, method: "POST", params: { id } }), 401, "unauthenticated");
    await expectApiError(await callRoute(openEntry, { as: desk.owner, method: "POST", params: { id: "req_1" } }), 400, "invalid_id");
  });

  it("404 for another merchant's order, and it stays closed", async () => {
    const id = await addOrder(desk.db, desk.other.shop, { completedAt: daysAgo(100) });
    const response = await expectNothingChanged(desk.db, () => callRoute(openEntry, { as: desk.owner, method: "POST", params: { id } }));
    await expectApiError(response, 404, "not_found");
  });

  it("422 not_eligible with the reason for a deal over two years old", async () => {
    const id = await addOrder(desk.db, desk.shops.tmall, { completedAt: daysAgo(2 * 365 + 2) });
    const response = await expectNothingChanged(desk.db, () => callRoute(openEntry, { as: desk.owner, method: "POST", params: { id } }));
    const error = await expectApiError(response, 422, "not_eligible");
    expect(error).toMatchObject({ reason: "too_old", eligibility: { eligible: false, reason: "too_old" } });
  });

  it("the owner opens it; an agent gets 403 until the owner allows agents in that shop", async () => {
    const shop = await createShop(desk.db, { merchantId: desk.merchantId, platform: "tmall", name: "A 入口店" });
    const byOwner = await addOrder(desk.db, shop, { completedAt: daysAgo(100) });
    const byAgent = await addOrder(desk.db, shop, { completedAt: daysAgo(100) });

    const opened = await callRoute(openEntry, { as: desk.owner, method: "POST", params: { id: byOwner } });
    expect(opened.status).toBe(200);
    expect(((await opened.json()) as { order: OrderRow }).order).toMatchObject({ id: byOwner, entryTimesOpened: 1 });
    expect((await orderOf(byOwner)).entryTimesOpened).toBe(1);

    const refused = await expectNothingChanged(desk.db, () => callRoute(openEntry, { as: desk.agent, method: "POST", params: { id: byAgent } }));
    await expectApiError(refused, 403, "forbidden");

    expect((await callRoute(putEntrySetting, { as: desk.owner, method: "PUT", json: { shopId: shop, agentsMayOpenEntry: true } })).status).toBe(200);
    expect((await callRoute(openEntry, { as: desk.agent, method: "POST", params: { id: byAgent } })).status).toBe(200);
    expect((await orderOf(byAgent)).entryTimesOpened).toBe(1);
  });
});

describe("PUT /api/orders/entry-settings", () => {
  it("401 without a session, 403 for an agent; the setting stays", async () => {
    const json = { shopId: desk.shops.tmall, agentsMayOpenEntry: true };
    await expectApiError(await expectNothingChanged(desk.db, () => callRoute(putEntrySetting, { as: null, method: "PUT", json })), 401, "unauthenticated");
    await expectApiError(await expectNothingChanged(desk.db, () => callRoute(putEntrySetting, { as: desk.agent, method: "PUT", json })), 403, "forbidden");
  });

  it.each([
    ["a string for the switch", { shopId: "shop_0000000000000000000a", agentsMayOpenEntry: "yes" }],
    ["no shop", { agentsMayOpenEntry: true }],
    ["an extra field", { shopId: "shop_0000000000000000000a", agentsMayOpenEntry: true, role: "owner" }],
  ])("422 invalid_body for %s, and nothing changes", async (_label, json) => {
    await expectApiError(await expectNothingChanged(desk.db, () => callRoute(putEntrySetting, { as: desk.owner, method: "PUT", json })), 422, "invalid_body");
  });

  it("404 for another merchant's shop", async () => {
    const response = await expectNothingChanged(desk.db, () =>
      callRoute(putEntrySetting, { as: desk.owner, method: "PUT", json: { shopId: desk.other.shop, agentsMayOpenEntry: true } }),
    );
    await expectApiError(response, 404, "not_found");
  });

  it("switches the shop's setting and answers it", async () => {
    const response = await callRoute(putEntrySetting, { as: desk.owner, method: "PUT", json: { shopId: desk.shops.douyin, agentsMayOpenEntry: true } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ shopId: desk.shops.douyin, agentsMayOpenEntry: true });
    expect((await desk.db.select({ value: shops.agentsMayOpenEntry }).from(shops).where(eq(shops.id, desk.shops.douyin)))[0].value).toBe(true);
  });
});
