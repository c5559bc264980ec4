import type { Platform, RequestKind } from "@/lib/domain";
import { getAllowedActions, type ActionOrder, type ActionRequest } from "@/lib/policy/allowed-actions";
import { isProductCategory } from "@/lib/policy/categories";
import type { PolicyProfile } from "@/lib/policy/profiles";
import type { AutoRule, RuleConditions, RuleSet } from "@/lib/rules/schema";
import { dayMs } from "@/lib/time";

// The one matcher: the webhook's live path and the backtest both ask it, so a backtest shows exactly
// what switching the rules on would do.


/** What the conditions read about a request at the moment it arrives; instants as epoch ms. */
export type RuleFacts = {
  platform: Platform;
  kind: RequestKind;
  category: string;
  orderAmountFen: number;
  requestedAmountFen: number;
  completedAtMs: number | null;
  receivedAtMs: number;
  reasonCode: string;
  hasEvidence: boolean;
  /** The buyer's other requests in the shop in the 90 days before; null when no rule asked for it. */
  buyerRequests90d: number | null;
};

export const noReason7dCode = "no_reason_7d";

/** The switch 自动开启售后入口 acts as a rule before all others: every eligible re-open request. */
export const autoOpenRuleId = "auto_open_entry";
export const autoOpenRuleName = "自动开启售后入口";

export function getEffectiveRules(ruleSet: RuleSet): AutoRule[] {
  const autoOpen: AutoRule = {
    id: autoOpenRuleId,
    name: autoOpenRuleName,
    enabled: ruleSet.autoOpenEntry,
    mode: "live",
    conditions: { kinds: ["entry_reopen"] },
    action: "approve",
  };
  return [autoOpen, ...ruleSet.rules];
}

/** Whole days from 交易成功 to the request; null when the deal had not succeeded before it. */
export function getDaysSinceCompleted(facts: Pick<RuleFacts, "completedAtMs" | "receivedAtMs">): number | null {
  if (facts.completedAtMs === null || facts.completedAtMs > facts.receivedAtMs) return null;
  return Math.floor((facts.receivedAtMs - facts.completedAtMs) / dayMs);
}

export function matchesConditions(conditions: RuleConditions, facts: RuleFacts): boolean {
  if (conditions.platforms && !conditions.platforms.includes(facts.platform)) return false;
  if (conditions.kinds && !conditions.kinds.includes(facts.kind)) return false;
  // An unmapped category is "other", as the policy rules read it
  if (conditions.categories && !conditions.categories.includes(isProductCategory(facts.category) ? facts.category : "other")) return false;
  if (conditions.maxOrderAmountFen !== undefined && facts.orderAmountFen > conditions.maxOrderAmountFen) return false;
  if (conditions.maxRequestedAmountFen !== undefined && facts.requestedAmountFen > conditions.maxRequestedAmountFen) return false;
  if (conditions.minDaysSinceCompleted !== undefined || conditions.maxDaysSinceCompleted !== undefined) {
    const days = getDaysSinceCompleted(facts);
    if (days === null) return false;
    if (conditions.minDaysSinceCompleted !== undefined && days < conditions.minDaysSinceCompleted) return false;
    if (conditions.maxDaysSinceCompleted !== undefined && days > conditions.maxDaysSinceCompleted) return false;
  }
  if (conditions.reasonCodes && !conditions.reasonCodes.includes(facts.reasonCode)) return false;
  if (conditions.hasEvidence !== undefined && facts.hasEvidence !== conditions.hasEvidence) return false;
  if (conditions.maxBuyerRequests90d !== undefined) {
    // Unknown history never passes a limit on it
    if (facts.buyerRequests90d === null || facts.buyerRequests90d > conditions.maxBuyerRequests90d) return false;
  }
  if (conditions.isNoReason7d !== undefined && (facts.reasonCode === noReason7dCode) !== conditions.isNoReason7d) return false;
  return true;
}

/** First match wins: the first enabled rule whose conditions hold decides, whatever its mode; disabled rules are skipped. */
export function findFirstMatch(rules: readonly AutoRule[], facts: RuleFacts): AutoRule | null {
  for (const rule of rules) {
    if (rule.enabled && matchesConditions(rule.conditions, facts)) return rule;
  }
  return null;
}

/** Whether any enabled rule reads the buyer's history, so it is only counted when needed. */
export function usesBuyerHistory(rules: readonly AutoRule[]): boolean {
  return rules.some((rule) => rule.enabled && rule.conditions.maxBuyerRequests90d !== undefined);
}

/** Platform rules still hold (docs/domain/automatic-rules.md): a rule may approve only what an agent could approve now. */
export function isApproveAllowed(profile: PolicyProfile, order: ActionOrder, request: ActionRequest, now: Date): boolean {
  // A Douyin proposal never blocks approving the original request, so none is passed
  return getAllowedActions(profile, order, request, null, now).approve.isAllowed;
}

export type AutoAnswer =
  | { outcome: "approve"; rule: AutoRule }
  | { outcome: "dry_run"; rule: AutoRule }
  | { outcome: "ineligible"; rule: AutoRule }
  | null;

/**
 * What the rules do with a request on arrival: answer it, only tag it (只记录), or leave it to a person. `isAllowed`
 * is asked only when a rule matches (it reads the card's platform facts).
 */
export async function getAutoAnswer(rules: readonly AutoRule[], facts: RuleFacts, isAllowed: () => boolean | Promise<boolean>): Promise<AutoAnswer> {
  const rule = findFirstMatch(rules, facts);
  if (!rule) return null;
  if (!(await isAllowed())) return { outcome: "ineligible", rule };
  return { outcome: rule.mode === "live" ? "approve" : "dry_run", rule };
}
