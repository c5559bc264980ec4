import { ApiError } from "@/components/inbox/api";
import type { BacktestReport, ShopRuleSettings } from "@/lib/rules/api-types";
import type { BacktestBody, SaveRulesBody } from "@/lib/rules/schema";

async function readJson<T>(response: Response): Promise<T> {
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, body);
  return body as T;
}

export async function putRules(body: SaveRulesBody): Promise<{ settings: ShopRuleSettings }> {
  return readJson(await fetch("/api/rules", { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }));
}

export async function postBacktest(body: BacktestBody): Promise<{ report: BacktestReport }> {
  return readJson(await fetch("/api/rules/backtest", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }));
}
