import { requestJson } from "@/components/request-json";
import type { FreightInputsResponse, FreightSettings, SavedScenario, ScenarioBody } from "@/lib/return-freight/api";

/** One factory for the estimator's query keys. */
export const freightKeys = {
  all: ["freight"] as const,
  inputs: (shopId: string, windowDays: number) => [...freightKeys.all, "inputs", shopId, windowDays] as const,
  scenarios: (shopId: string) => [...freightKeys.all, "scenarios", shopId] as const,
};

export async function fetchFreightInputs(shopId: string, windowDays: number): Promise<FreightInputsResponse> {
  return requestJson(`/api/freight/inputs?${new URLSearchParams({ shop: shopId, window: String(windowDays) })}`);
}

export async function putFreightSettings(shopId: string, settings: FreightSettings): Promise<{ settings: FreightSettings }> {
  return requestJson(`/api/freight/settings?${new URLSearchParams({ shop: shopId })}`, { method: "PUT", json: settings });
}

export async function fetchScenarios(shopId: string): Promise<{ scenarios: SavedScenario[] }> {
  return requestJson(`/api/freight/scenarios?${new URLSearchParams({ shop: shopId })}`);
}

export async function postScenario(body: ScenarioBody): Promise<{ scenario: SavedScenario }> {
  return requestJson("/api/freight/scenarios", { method: "POST", json: body });
}

export async function deleteScenario(id: string): Promise<void> {
  await requestJson(`/api/freight/scenarios/${id}`, { method: "DELETE" });
}

/** `locale` is the page's own (useLocale()): the file's headings and sentences come in it. */
export function getScenarioExportUrl(shopId: string, locale: string, ids?: string[]): string {
  const params = new URLSearchParams({ shop: shopId, locale });
  if (ids?.length) params.set("ids", ids.join(","));
  return `/api/freight/scenarios/export?${params}`;
}
