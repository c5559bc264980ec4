import { eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { callRoute, expectApiError, expectNothingChanged, setUpRouteDesk } from "@/app/_server/test-support";
import { autoRuleSets } from "@/db/schema-rules";
import type { RuleSet } from "@/lib/rules/schema";

vi.mock("server-only", () => ({}));

const { GET: getRules, PUT: putRules } = await import("@/app/api/rules/route");
const { POST: backtest } = await import("@/app/api/rules/backtest/route");

const desk = setUpRouteDesk();

const ruleSet: RuleSet = {
  autoOpenEntry: false,
  rules: [{ id: "small-refunds", name: "小额仅退款", enabled: true, mode: "live", conditions: { kinds: ["refund_only"], maxRequestedAmountFen: 2000 }, action: "approve" }],
};
const savedSetOf = async (shopId: string) => (await desk.db.select().from(autoRuleSets).where(eq(autoRuleSets.shopId, shopId)))[0];

describe("GET /api/rules", () => {
  it("401 without a session", async () => {
    await expectApiError(await callRoute(getRules, { as: null }), 401, "unauthenticated");
  });

  it("answers the caller's shops only, for agents too (read-only)", async () => {
    const response = await callRoute(getRules, { as: desk.douyinAgent });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { shops: { shopId: string; version: number; rules: unknown[] }[] };
    expect(body.shops.map((shop) => shop.shopId)).toEqual([desk.shops.douyin]);
    expect(body.shops[0]).toMatchObject({ version: 0, rules: [] });
  });
});

describe("PUT /api/rules", () => {
  it("401 without a session and 403 for an agent; nothing is saved", async () => {
    const json = { shopId: desk.shops.tmall, expectedVersion: 0, ruleSet };
    await expectApiError(await expectNothingChanged(desk.db, () => callRoute(putRules, { as: null, method: "PUT", json })), 401, "unauthenticated");
    await expectApiError(await expectNothingChanged(desk.db, () => callRoute(putRules, { as: desk.agent, method: "PUT", json })), 403, "forbidden");
  });

  it.each([
    ["a rule that rejects", { ...ruleSet, rules: [{ ...ruleSet.rules[0], action: "reject" }] }],
    ["two rules with one id", { ...ruleSet, rules: [ruleSet.rules[0], ruleSet.rules[0]] }],
    ["days out of order", { ...ruleSet, rules: [{ ...ruleSet.rules[0], conditions: { minDaysSinceCompleted: 9, maxDaysSinceCompleted: 3 } }] }],
  ])("422 invalid_body for %s, and nothing is saved", async (_label, badSet) => {
    const response = await expectNothingChanged(desk.db, () => callRoute(putRules, { as: desk.owner, method: "PUT", json: { shopId: desk.shops.tmall, expectedVersion: 0, ruleSet: badSet } }));
    await expectApiError(response, 422, "invalid_body");
  });

  it("404 for another merchant's shop", async () => {
    const response = await expectNothingChanged(desk.db, () => callRoute(putRules, { as: desk.owner, method: "PUT", json: { shopId: desk.other.shop, expectedVersion: 0, ruleSet } }));
    await expectApiError(response, 404, "not_found");
  });

  it("saves on the version edited; a save on an older version is 409 conflict with the current one and changes nothing", async () => {
    const saved = await callRoute(putRules, { as: desk.owner, method: "PUT", json: { shopId: desk.shops.douyin, expectedVersion: 0, ruleSet } });
    expect(saved.status).toBe(200);
    expect(await saved.json()).toMatchObject({ settings: { shopId: desk.shops.douyin, version: 1, rules: ruleSet.rules } });
    expect(await savedSetOf(desk.shops.douyin)).toMatchObject({ version: 1, rules: ruleSet.rules });

    const stale = await expectNothingChanged(desk.db, () =>
      callRoute(putRules, { as: desk.owner, method: "PUT", json: { shopId: desk.shops.douyin, expectedVersion: 0, ruleSet: { autoOpenEntry: true, rules: [] } } }),
    );
    expect((await expectApiError(stale, 409, "conflict")).currentVersion).toBe(1);
  });
});

describe("POST /api/rules/backtest", () => {
  const body = (shopId: string, windowDays = 30) => ({ shopId, windowDays, ruleSet });

  it("401 without a session, 403 for an agent", async () => {
    await expectApiError(await callRoute(backtest, { as: null, method: "POST", json: body(desk.shops.tmall) }), 401, "unauthenticated");
    await expectApiError(await callRoute(backtest, { as: desk.agent, method: "POST", json: body(desk.shops.tmall) }), 403, "forbidden");
  });

  it("422 invalid_body for a window that is not 30 or 90 days", async () => {
    const response = await expectNothingChanged(desk.db, () => callRoute(backtest, { as: desk.owner, method: "POST", json: body(desk.shops.tmall, 60) }));
    await expectApiError(response, 422, "invalid_body");
  });

  it("404 for another merchant's shop", async () => {
    await expectApiError(await callRoute(backtest, { as: desk.owner, method: "POST", json: body(desk.other.shop) }), 404, "not_found");
  });

  it("answers the report over the window, and saves nothing", async () => {
    const response = await expectNothingChanged(desk.db, () => callRoute(backtest, { as: desk.owner, method: "POST", json: body(desk.shops.tmall) }));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ report: { windowDays: 30 } });
  });
});
