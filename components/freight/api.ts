import { ApiError } from "@/components/inbox/api";
import type { FreightInputsResponse, FreightSettings, SavedScenario, ScenarioBody } from "@/lib/return-freight/api";

/** One factory for the estimator's query keys. */
export const freightKeys = {
  all: ["freight"] as const,
  inputs: (shopId: string, windowDays: number) => [...freightKeys.all, "inputs", shopId, windowDays] as const,
  scenarios: (shopId: string) => [...freightKeys.all, "scenarios", shopId] as const,
};

async function readJson<T>(response: Response): Promise<T> {
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, body);
  return body as T;
}

export async function fetchFreightInputs(shopId: string, windowDays: number): Promise<FreightInputsResponse> {
  return readJson(await fetch(`/api/freight/inputs?${new URLSearchParams({ shop: shopId, window: String(windowDays) })}`, { cache: "no-store" }));
}

export async function putFreightSettings(shopId: string, settings: FreightSettings): Promise<{ settings: FreightSettings }> {
  return readJson(
    await fetch(`/api/freight/settings?${new URLSearchParams({ shop: shopId })}`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(settings),
    }),
  );
}

export async function fetchScenarios(shopId: string): Promise<{ scenarios: SavedScenario[] }> {
  return readJson(await fetch(`/api/freight/scenarios?${new URLSearchParams({ shop: shopId })}`, { cache: "no-store" }));
}

export async function postScenario(body: ScenarioBody): Promise<{ scenario: SavedScenario }> {
  return readJson(await fetch("/api/freight/scenarios", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }));
}

export async function deleteScenario(id: string): Promise<void> {
  const response = await fetch(`/api/freight/scenarios/${id}`, { method: "DELETE" });
  if (!response.ok) throw new ApiError(response.status, await response.json().catch(() => null));
}

export function getScenarioExportUrl(shopId: string, locale: "zh" | "en", ids?: string[]): string {
  const params = new URLSearchParams({ shop: shopId, locale });
  if (ids?.length) params.set("ids", ids.join(","));
  return `/api/freight/scenarios/export?${params}`;
}
