import { getEffectiveRules, noReason7dCode } from "@/lib/rules/match";
import type { RuleConditions, RuleSet } from "@/lib/rules/schema";

// Warns of rules that can never match: their own conditions contradict each other, or an earlier
// enabled rule catches every request they would (first match wins). Only certain cases are reported.

export type RuleWarning =
  | { ruleId: string; reason: "never_matches" }
  | { ruleId: string; reason: "shadowed"; byRuleId: string; byRuleName: string };

/** The reasons a rule accepts: a finite list, or everything except a list. */
type ReasonConstraint = { allow: ReadonlySet<string> } | { deny: ReadonlySet<string> };

function getReasonConstraint(conditions: RuleConditions): ReasonConstraint {
  const { reasonCodes, isNoReason7d } = conditions;
  if (reasonCodes) {
    const allowed = reasonCodes.filter((code) => isNoReason7d === undefined || (code === noReason7dCode) === isNoReason7d);
    return { allow: new Set(allowed) };
  }
  if (isNoReason7d === true) return { allow: new Set([noReason7dCode]) };
  return { deny: new Set(isNoReason7d === false ? [noReason7dCode] : []) };
}

function isSubset<T>(inner: Iterable<T>, outer: ReadonlySet<T>): boolean {
  for (const item of inner) if (!outer.has(item)) return false;
  return true;
}

function coversReasons(earlier: ReasonConstraint, later: ReasonConstraint): boolean {
  if ("deny" in earlier) {
    if ("deny" in later) return isSubset(earlier.deny, later.deny);
    return [...later.allow].every((code) => !earlier.deny.has(code));
  }
  return "allow" in later && isSubset(later.allow, earlier.allow);
}

/** An unset list means any value; a set one covers the later rule only if the later one is set and inside it. */
function coversList<T>(earlier: readonly T[] | undefined, later: readonly T[] | undefined): boolean {
  return earlier === undefined || (later !== undefined && isSubset(later, new Set(earlier)));
}

function coversAtMost(earlier: number | undefined, later: number | undefined): boolean {
  return earlier === undefined || (later !== undefined && later <= earlier);
}

function coversAtLeast(earlier: number | undefined, later: number | undefined): boolean {
  return earlier === undefined || (later !== undefined && later >= earlier);
}

/** True when every request the later conditions match, the earlier ones match too. */
export function coversConditions(earlier: RuleConditions, later: RuleConditions): boolean {
  return (
    coversList(earlier.platforms, later.platforms) &&
    coversList(earlier.kinds, later.kinds) &&
    coversList(earlier.categories, later.categories) &&
    coversAtMost(earlier.maxOrderAmountFen, later.maxOrderAmountFen) &&
    coversAtMost(earlier.maxRequestedAmountFen, later.maxRequestedAmountFen) &&
    coversAtLeast(earlier.minDaysSinceCompleted, later.minDaysSinceCompleted) &&
    coversAtMost(earlier.maxDaysSinceCompleted, later.maxDaysSinceCompleted) &&
    coversAtMost(earlier.maxBuyerRequests90d, later.maxBuyerRequests90d) &&
    (earlier.hasEvidence === undefined || earlier.hasEvidence === later.hasEvidence) &&
    coversReasons(getReasonConstraint(earlier), getReasonConstraint(later))
  );
}

export function isSatisfiable(conditions: RuleConditions): boolean {
  const reasons = getReasonConstraint(conditions);
  if ("allow" in reasons && reasons.allow.size === 0) return false;
  const { minDaysSinceCompleted: min, maxDaysSinceCompleted: max } = conditions;
  return min === undefined || max === undefined || min <= max;
}

/** One warning per rule at most, the first earlier rule that catches it; the 自动开启售后入口 switch counts as the first rule. */
export function findUnreachableRules(ruleSet: RuleSet): RuleWarning[] {
  const rules = getEffectiveRules(ruleSet);
  const warnings: RuleWarning[] = [];
  rules.forEach((rule, index) => {
    if (index === 0) return;
    if (!isSatisfiable(rule.conditions)) {
      warnings.push({ ruleId: rule.id, reason: "never_matches" });
      return;
    }
    const shadow = rules.slice(0, index).find((earlier) => earlier.enabled && coversConditions(earlier.conditions, rule.conditions));
    if (shadow) warnings.push({ ruleId: rule.id, reason: "shadowed", byRuleId: shadow.id, byRuleName: shadow.name });
  });
  return warnings;
}
