import type { Platform } from "@/lib/domain";
import type { BacktestResult } from "@/lib/rules/backtest";
import type { RuleSet } from "@/lib/rules/schema";
import type { RuleWarning } from "@/lib/rules/unreachable";

// The JSON /api/rules answers with, shared by the routes and the rules page.

export type ShopRuleSettings = RuleSet & {
  shopId: string;
  shopName: string;
  platform: Platform;
  /** 0 until the owner first saves. */
  version: number;
  updatedAt: string | null;
  warnings: RuleWarning[];
};

export type BacktestReport = BacktestResult & {
  shopId: string;
  windowDays: number;
  from: string;
  to: string;
  /** Nothing records platform intervention yet (metrics' recordedSources), so its count is 0 and the page says so. */
  interventionRecorded: boolean;
  intervention: number;
  elapsedMs: number;
};
