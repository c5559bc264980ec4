import { eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { callRoute, expectApiError, expectNothingChanged, setUpRouteDesk } from "@/app/_server/test-support";
import { freightScenarios, freightSettings } from "@/db/schema-freight";
import type { FreightInputsResponse, FreightSettings, SavedScenario } from "@/lib/return-freight/api";
import { createEstimatorParameters } from "@/lib/return-freight/parameters";

vi.mock("server-only", () => ({}));
// The CSV export reads its words through next-intl in the locale its link names; outside Next there is no request config
vi.mock("next-intl/server", async () => {
  const { createTranslator } = await import("next-intl");
  const messages = (await import("@/lib/i18n/messages/merged")).messagesByLocale;
  return {
    getTranslations: async ({ locale, namespace }: { locale: "zh-CN" | "en"; namespace: "freight" }) => createTranslator({ locale, messages: messages[locale], namespace }),
  };
});

// The 退货宝 estimator's routes: all owner-only (withScope's role option, app/_server/api.ts), all scoped to the owner's merchant.
const { GET: getInputs } = await import("@/app/api/freight/inputs/route");
const { PUT: putSettings } = await import("@/app/api/freight/settings/route");
const { GET: listScenarios, POST: createScenario } = await import("@/app/api/freight/scenarios/route");
const { DELETE: deleteScenario } = await import("@/app/api/freight/scenarios/[id]/route");
const { GET: exportScenarios } = await import("@/app/api/freight/scenarios/export/route");

const desk = setUpRouteDesk();

const parameters = createEstimatorParameters({ categories: [{ categoryId: "apparel", shippedOrders: 100 }], isFreeReturnPromised: true });
const settings: FreightSettings = { quotedPremiumFen: 320, isFreeReturnPromised: true, isSubscribed: false, overrides: { loading: 1.2 } };
const scenariosOf = (shopId: string) => desk.db.select().from(freightScenarios).where(eq(freightScenarios.shopId, shopId));

async function addScenario(shopId: string, name: string): Promise<SavedScenario> {
  const response = await callRoute(createScenario, { as: desk.owner, method: "POST", json: { shopId, name, windowDays: 90, parameters } });
  expect(response.status).toBe(201);
  return ((await response.json()) as { scenario: SavedScenario }).scenario;
}

describe("every freight route", () => {
  it.each([
    ["GET inputs", () => callRoute(getInputs, { as: null, path: `/api/freight/inputs?shop=${desk.shops.tmall}` })],
    ["PUT settings", () => callRoute(putSettings, { as: null, method: "PUT", path: `/api/freight/settings?shop=${desk.shops.tmall}`, json: settings })],
    ["GET scenarios", () => callRoute(listScenarios, { as: null, path: `/api/freight/scenarios?shop=${desk.shops.tmall}` })],
  ])("%s: 401 without a session", async (_label, call) => {
    await expectApiError(await expectNothingChanged(desk.db, call), 401, "unauthenticated");
  });

  it.each([
    ["GET inputs", () => callRoute(getInputs, { as: desk.agent, path: `/api/freight/inputs?shop=${desk.shops.tmall}` })],
    ["PUT settings", () => callRoute(putSettings, { as: desk.agent, method: "PUT", path: `/api/freight/settings?shop=${desk.shops.tmall}`, json: settings })],
    ["GET scenarios", () => callRoute(listScenarios, { as: desk.agent, path: `/api/freight/scenarios?shop=${desk.shops.tmall}` })],
    ["POST scenarios", () => callRoute(createScenario, { as: desk.agent, method: "POST", json: { shopId: desk.shops.tmall, name: "x", windowDays: 90, parameters } })],
    ["DELETE scenario", () => callRoute(deleteScenario, { as: desk.agent, method: "DELETE", params: { id: "fsc_0000000000000000000a" } })],
    ["GET export", () => callRoute(exportScenarios, { as: desk.agent, path: `/api/freight/scenarios/export?shop=${desk.shops.tmall}` })],
  ])("%s: 403 for an agent", async (_label, call) => {
    await expectApiError(await expectNothingChanged(desk.db, call), 403, "forbidden");
  });

  it.each([
    ["GET inputs", () => callRoute(getInputs, { as: desk.owner, path: "/api/freight/inputs?shop=tmall" })],
    ["GET inputs, a window of 45 days", () => callRoute(getInputs, { as: desk.owner, path: `/api/freight/inputs?shop=${desk.shops.tmall}&window=45` })],
    ["PUT settings", () => callRoute(putSettings, { as: desk.owner, method: "PUT", path: "/api/freight/settings", json: settings })],
    ["GET scenarios", () => callRoute(listScenarios, { as: desk.owner, path: "/api/freight/scenarios" })],
    ["GET export, a bad scenario id", () => callRoute(exportScenarios, { as: desk.owner, path: `/api/freight/scenarios/export?shop=${desk.shops.tmall}&ids=req_1` })],
  ])("%s: 400 invalid_query", async (_label, call) => {
    await expectApiError(await call(), 400, "invalid_query");
  });

  it.each([
    ["GET inputs", () => callRoute(getInputs, { as: desk.owner, path: `/api/freight/inputs?shop=${desk.other.shop}` })],
    ["PUT settings", () => callRoute(putSettings, { as: desk.owner, method: "PUT", path: `/api/freight/settings?shop=${desk.other.shop}`, json: settings })],
    ["GET scenarios", () => callRoute(listScenarios, { as: desk.owner, path: `/api/freight/scenarios?shop=${desk.other.shop}` })],
    ["POST scenarios", () => callRoute(createScenario, { as: desk.owner, method: "POST", json: { shopId: desk.other.shop, name: "x", windowDays: 90, parameters } })],
    ["GET export", () => callRoute(exportScenarios, { as: desk.owner, path: `/api/freight/scenarios/export?shop=${desk.other.shop}` })],
  ])("%s: 404 for another merchant's shop, and nothing changes", async (_label, call) => {
    await expectApiError(await expectNothingChanged(desk.db, call), 404, "not_found");
  });
});

describe("GET /api/freight/inputs and PUT /api/freight/settings", () => {
  it("422 invalid_body for settings out of range, and nothing is saved", async () => {
    const response = await expectNothingChanged(desk.db, () =>
      callRoute(putSettings, { as: desk.owner, method: "PUT", path: `/api/freight/settings?shop=${desk.shops.tmall}`, json: { ...settings, overrides: { loading: 9 } } }),
    );
    await expectApiError(response, 422, "invalid_body");
  });

  it("saves the owner's settings and answers them with the shop's history", async () => {
    const saved = await callRoute(putSettings, { as: desk.owner, method: "PUT", path: `/api/freight/settings?shop=${desk.shops.douyin}`, json: settings });
    expect(saved.status).toBe(200);
    expect(await saved.json()).toEqual({ settings });
    expect(await desk.db.select().from(freightSettings).where(eq(freightSettings.shopId, desk.shops.douyin))).toHaveLength(1);

    const inputs = await callRoute(getInputs, { as: desk.owner, path: `/api/freight/inputs?shop=${desk.shops.douyin}&window=30` });
    expect(inputs.status).toBe(200);
    const body = (await inputs.json()) as FreightInputsResponse;
    expect(body.settings).toEqual(settings);
    expect(body.inputs).toMatchObject({ shop: { id: desk.shops.douyin }, windowDays: 30 });
  });
});

describe("the scenarios", () => {
  it("422 invalid_body for a scenario without a name, and nothing is saved", async () => {
    const response = await expectNothingChanged(desk.db, () =>
      callRoute(createScenario, { as: desk.owner, method: "POST", json: { shopId: desk.shops.tmall, name: " ", windowDays: 90, parameters } }),
    );
    await expectApiError(response, 422, "invalid_body");
  });

  it("saves, lists, exports as CSV and deletes the owner's scenarios", async () => {
    const first = await addScenario(desk.shops.tmall, "报价 3.20");
    const second = await addScenario(desk.shops.tmall, "报价 2.80");
    expect(first).toMatchObject({ shopId: desk.shops.tmall, name: "报价 3.20", createdBy: { id: desk.owner.id } });

    const listed = (await (await callRoute(listScenarios, { as: desk.owner, path: `/api/freight/scenarios?shop=${desk.shops.tmall}` })).json()) as { scenarios: SavedScenario[] };
    expect(listed.scenarios.map((scenario) => scenario.name).sort()).toEqual(["报价 2.80", "报价 3.20"]);

    const csv = await callRoute(exportScenarios, { as: desk.owner, path: `/api/freight/scenarios/export?shop=${desk.shops.tmall}&ids=${second.id}&locale=en` });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(csv.headers.get("content-disposition")).toContain("attachment");
    const bytes = Buffer.from(await csv.arrayBuffer());
    // The BOM, so Excel reads UTF-8
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString("utf8");
    expect(text).toContain("报价 2.80");
    expect(text).not.toContain("报价 3.20");
    // In the language the link asked for
    expect(text).toContain("Scenario,Shipped orders per month");
    // A link from before the locales were the app's own (locale=zh) is still answered, in Chinese
    const older = await callRoute(exportScenarios, { as: desk.owner, path: `/api/freight/scenarios/export?shop=${desk.shops.tmall}&ids=${second.id}&locale=zh` });
    expect(older.status).toBe(200);
    expect(await older.text()).not.toContain("Scenario,Shipped orders per month");

    const deleted = await callRoute(deleteScenario, { as: desk.owner, method: "DELETE", params: { id: first.id } });
    expect(deleted.status).toBe(204);
    expect((await scenariosOf(desk.shops.tmall)).map((row) => row.id)).toEqual([second.id]);
  });

  it("DELETE: 400 invalid_id, and 404 for another merchant's scenario, which stays", async () => {
    await expectApiError(await callRoute(deleteScenario, { as: desk.owner, method: "DELETE", params: { id: "shop_1" } }), 400, "invalid_id");
    const theirs = await callRoute(createScenario, { as: desk.other.owner, method: "POST", json: { shopId: desk.other.shop, name: "B 的方案", windowDays: 30, parameters } });
    const { scenario } = (await theirs.json()) as { scenario: SavedScenario };
    const response = await expectNothingChanged(desk.db, () => callRoute(deleteScenario, { as: desk.owner, method: "DELETE", params: { id: scenario.id } }));
    await expectApiError(response, 404, "not_found");
  });
});
