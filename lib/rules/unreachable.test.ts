import { describe, expect, it } from "vitest";
import type { AutoRule, RuleConditions } from "@/lib/rules/schema";
import { coversConditions, findUnreachableRules } from "@/lib/rules/unreachable";

function rule(id: string, conditions: RuleConditions, overrides: Partial<AutoRule> = {}): AutoRule {
  return { id, name: id, enabled: true, mode: "live", conditions, action: "approve", ...overrides };
}

describe("coversConditions", () => {
  it.each<[string, RuleConditions, RuleConditions, boolean]>([
    ["no conditions cover anything", {}, { platforms: ["tmall"], maxRequestedAmountFen: 10 }, true],
    ["a wider platform list covers a narrower one", { platforms: ["tmall", "taobao"] }, { platforms: ["tmall"] }, true],
    ["a narrower platform list does not cover a wider one", { platforms: ["tmall"] }, { platforms: ["tmall", "taobao"] }, false],
    ["a set list does not cover an unset one", { platforms: ["tmall"] }, {}, false],
    ["a higher amount limit covers a lower one", { maxRequestedAmountFen: 100 }, { maxRequestedAmountFen: 50 }, true],
    ["an equal limit covers", { maxRequestedAmountFen: 100 }, { maxRequestedAmountFen: 100 }, true],
    ["a lower limit does not cover a higher one", { maxRequestedAmountFen: 50 }, { maxRequestedAmountFen: 100 }, false],
    ["a minimum of days covers a larger minimum", { minDaysSinceCompleted: 3 }, { minDaysSinceCompleted: 5 }, true],
    ["a minimum does not cover a smaller one", { minDaysSinceCompleted: 5 }, { minDaysSinceCompleted: 3 }, false],
    ["a days condition does not cover no days condition", { maxDaysSinceCompleted: 30 }, {}, false],
    ["evidence must agree", { hasEvidence: true }, { hasEvidence: false }, false],
    ["unset evidence covers either", {}, { hasEvidence: false }, true],
    ["7天无理由 covers the same reason listed", { isNoReason7d: true }, { reasonCodes: ["no_reason_7d"] }, true],
    ["a reason list with 7天无理由 covers the 7天无理由 flag", { reasonCodes: ["no_reason_7d", "wrong_item"] }, { isNoReason7d: true }, true],
    ["all but 7天无理由 covers other reasons", { isNoReason7d: false }, { reasonCodes: ["wrong_item"] }, true],
    ["all but 7天无理由 does not cover it", { isNoReason7d: false }, { reasonCodes: ["no_reason_7d"] }, false],
    ["a reason list does not cover all but 7天无理由", { reasonCodes: ["wrong_item"] }, { isNoReason7d: false }, false],
    ["a buyer limit covers a lower one", { maxBuyerRequests90d: 3 }, { maxBuyerRequests90d: 1 }, true],
  ])("%s", (_label, earlier, later, expected) => {
    expect(coversConditions(earlier, later)).toBe(expected);
  });
});

describe("findUnreachableRules", () => {
  it("warns of a rule an earlier one catches entirely, naming the earlier one", () => {
    const warnings = findUnreachableRules({
      autoOpenEntry: false,
      rules: [rule("wide", { maxRequestedAmountFen: 10_000 }), rule("narrow", { maxRequestedAmountFen: 5_000, platforms: ["tmall"] })],
    });
    expect(warnings).toEqual([{ ruleId: "narrow", reason: "shadowed", byRuleId: "wide", byRuleName: "wide" }]);
  });

  it("does not warn when the order puts the narrow rule first", () => {
    expect(
      findUnreachableRules({
        autoOpenEntry: false,
        rules: [rule("narrow", { maxRequestedAmountFen: 5_000, platforms: ["tmall"] }), rule("wide", { maxRequestedAmountFen: 10_000 })],
      }),
    ).toEqual([]);
  });

  it("a disabled earlier rule catches nothing", () => {
    expect(findUnreachableRules({ autoOpenEntry: false, rules: [rule("all", {}, { enabled: false }), rule("b", { kinds: ["repair"] })] })).toEqual([]);
  });

  it("a 只记录 rule still catches what comes after it", () => {
    expect(findUnreachableRules({ autoOpenEntry: false, rules: [rule("all", {}, { mode: "dry_run" }), rule("b", {})] })).toHaveLength(1);
  });

  it("the auto-open switch catches a later rule for re-open requests only", () => {
    const rules = [rule("reopen", { kinds: ["entry_reopen"], platforms: ["taobao"] }), rule("mixed", { kinds: ["entry_reopen", "repair"] })];
    expect(findUnreachableRules({ autoOpenEntry: true, rules })).toEqual([
      { ruleId: "reopen", reason: "shadowed", byRuleId: "auto_open_entry", byRuleName: "自动开启售后入口" },
    ]);
    expect(findUnreachableRules({ autoOpenEntry: false, rules })).toEqual([]);
  });

  it("warns of a rule whose own conditions contradict each other", () => {
    expect(findUnreachableRules({ autoOpenEntry: false, rules: [rule("x", { isNoReason7d: true, reasonCodes: ["wrong_item"] })] })).toEqual([
      { ruleId: "x", reason: "never_matches" },
    ]);
  });
});
