import { requestJson } from "@/components/request-json";
import type { BacktestReport, ShopRuleSettings } from "@/lib/rules/api-types";
import type { BacktestBody, SaveRulesBody } from "@/lib/rules/schema";

export async function putRules(body: SaveRulesBody): Promise<{ settings: ShopRuleSettings }> {
  return requestJson("/api/rules", { method: "PUT", json: body });
}

export async function postBacktest(body: BacktestBody): Promise<{ report: BacktestReport }> {
  return requestJson("/api/rules/backtest", { method: "POST", json: body });
}
