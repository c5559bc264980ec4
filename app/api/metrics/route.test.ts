import { describe, expect, it, vi } from "vitest";
import { addPendingRequest, callRoute, expectApiError, setUpRouteDesk } from "@/app/_server/test-support";
import { createShop } from "@/db/factories";
import type { MetricsReport, StaffingForecast } from "@/lib/metrics/report-types";
import { zhCNMessages as zh } from "@/lib/i18n/messages/merged";

vi.mock("server-only", () => ({}));
// The CSV export reads its headings through next-intl, which outside Next has no request to take a locale from
vi.mock("next-intl/server", async () => {
  const { createTranslator } = await import("next-intl");
  const messages = (await import("@/lib/i18n/messages/merged")).zhCNMessages;
  return { getTranslations: async () => createTranslator({ locale: "zh-CN", messages }) };
});

const { GET: getReport } = await import("@/app/api/metrics/route");
const { GET: getLive } = await import("@/app/api/metrics/live/route");
const { GET: getStaffing } = await import("@/app/api/metrics/staffing/route");
const { GET: exportCsv } = await import("@/app/api/metrics/export/route");
const { POST: decide } = await import("@/app/api/requests/[id]/decision/route");

const desk = setUpRouteDesk();

/** A shop of its own with one card approved now, so its figures are known. */
async function shopWithOneApproval(): Promise<string> {
  const shop = await createShop(desk.db, { merchantId: desk.merchantId, platform: "tmall", name: "A 报表店" });
  const { requestId } = await addPendingRequest(desk.db, shop);
  expect((await callRoute(decide, { as: desk.agent, method: "POST", params: { id: requestId }, json: { decision: "approve" } })).status).toBe(200);
  return shop;
}

describe("every metrics route", () => {
  it.each([
    ["report", () => callRoute(getReport, { as: null, path: "/api/metrics" })],
    ["live", () => callRoute(getLive, { as: null, path: "/api/metrics/live" })],
    ["staffing", () => callRoute(getStaffing, { as: null, path: "/api/metrics/staffing" })],
    ["export", () => callRoute(exportCsv, { as: null, path: "/api/metrics/export?table=summary" })],
  ])("%s: 401 without a session", async (_label, call) => {
    await expectApiError(await call(), 401, "unauthenticated");
  });

  it.each([
    ["report", () => callRoute(getReport, { as: desk.owner, path: `/api/metrics?shop=${desk.other.shop}` })],
    ["report, a shop the agent may not see", () => callRoute(getReport, { as: desk.douyinAgent, path: `/api/metrics?shop=${desk.shops.tmall}` })],
    ["staffing", () => callRoute(getStaffing, { as: desk.owner, path: `/api/metrics/staffing?shop=${desk.other.shop}` })],
    ["export", () => callRoute(exportCsv, { as: desk.owner, path: `/api/metrics/export?table=shop&shop=${desk.other.shop}` })],
    ["staffing export", () => callRoute(exportCsv, { as: desk.owner, path: `/api/metrics/export?table=staffing&shop=${desk.other.shop}` })],
  ])("%s: 404 for another merchant's shop", async (_label, call) => {
    await expectApiError(await call(), 404, "not_found");
  });

  it.each([
    ["report, a custom range ending before it starts", () => callRoute(getReport, { as: desk.owner, path: "/api/metrics?range=custom&from=2026-11-20&to=2026-11-01" })],
    ["report, an unknown preset", () => callRoute(getReport, { as: desk.owner, path: "/api/metrics?range=decade" })],
    ["staffing, a target of 0.5", () => callRoute(getStaffing, { as: desk.owner, path: "/api/metrics/staffing?target=0.5" })],
    ["staffing, a shop that is no shop id", () => callRoute(getStaffing, { as: desk.owner, path: "/api/metrics/staffing?shop=tmall" })],
    ["export, an unknown table", () => callRoute(exportCsv, { as: desk.owner, path: "/api/metrics/export?table=salaries" })],
    ["export, a bad range", () => callRoute(exportCsv, { as: desk.owner, path: "/api/metrics/export?table=summary&range=decade" })],
    ["staffing export, 0 agents", () => callRoute(exportCsv, { as: desk.owner, path: "/api/metrics/export?table=staffing&agents=0" })],
  ])("%s: 400 invalid_query with the issues", async (_label, call) => {
    const error = await expectApiError(await call(), 400, "invalid_query");
    expect(Array.isArray(error.issues)).toBe(true);
  });
});

describe("GET /api/metrics, /live and /staffing", () => {
  it("the report counts the shop's approval, for the owner and the agent who made it", async () => {
    const shop = await shopWithOneApproval();
    for (const as of [desk.owner, desk.agent]) {
      const response = await callRoute(getReport, { as, path: `/api/metrics?range=7&shop=${shop}` });
      expect(response.status).toBe(200);
      const report = (await response.json()) as MetricsReport;
      expect(report).toMatchObject({ shopId: shop, viewer: { userId: as.id }, figures: { received: { current: 1 }, approved: { current: 1 } } });
    }
  });

  it("live answers this hour's figures for the caller's shops", async () => {
    const response = await callRoute(getLive, { as: desk.douyinAgent });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toEqual(expect.objectContaining({ hourStart: expect.any(String) }));
  });

  it("staffing forecasts tomorrow with the agents and target asked for", async () => {
    const response = await callRoute(getStaffing, { as: desk.owner, path: `/api/metrics/staffing?agents=3&target=0.9&shop=${desk.shops.tmall}` });
    expect(response.status).toBe(200);
    const forecast = (await response.json()) as StaffingForecast;
    expect(forecast).toMatchObject({ agentsOnShift: 3, targetLevel: 0.9, weeks: 4 });
    expect(forecast.hours).toHaveLength(24);
  });
});

describe("GET /api/metrics/export", () => {
  const csvOf = async (response: Response) => {
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    return { name: response.headers.get("content-disposition"), lines: (await response.text()).trim().split(/\r?\n/) };
  };

  it.each(["summary", "shop", "agent", "platform", "kind", "day", "heatmap"])("%s: a CSV in the merchant's words", async (table) => {
    const shop = await shopWithOneApproval();
    const { name, lines } = await csvOf(await callRoute(exportCsv, { as: desk.owner, path: `/api/metrics/export?table=${table}&range=7&shop=${shop}` }));
    expect(name).toMatch(new RegExp(`^attachment; filename="metrics-${table}-\\d{4}-\\d{2}-\\d{2}_\\d{4}-\\d{2}-\\d{2}\\.csv"$`));
    expect(lines.length).toBeGreaterThan(1);
    // No message key is left untranslated
    expect(lines.join("\n")).not.toMatch(/metrics\.[a-zA-Z]+\./);
  });

  it("the platform and kind tables name them as the page does", async () => {
    const shop = await shopWithOneApproval();
    const platforms = await csvOf(await callRoute(exportCsv, { as: desk.owner, path: `/api/metrics/export?table=platform&range=7&shop=${shop}` }));
    expect(platforms.lines[1].startsWith(zh.platform.tmall)).toBe(true);
    const kinds = await csvOf(await callRoute(exportCsv, { as: desk.owner, path: `/api/metrics/export?table=kind&range=7&shop=${shop}` }));
    expect(kinds.lines[1].startsWith(zh.kind.refund_only)).toBe(true);
  });

  it("staffing: one row per hour of tomorrow", async () => {
    const { name, lines } = await csvOf(await callRoute(exportCsv, { as: desk.owner, path: "/api/metrics/export?table=staffing&agents=2" }));
    expect(name).toMatch(/^attachment; filename="metrics-staffing-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(lines).toHaveLength(25);
  });
});
