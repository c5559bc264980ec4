import { describe, expect, it } from "vitest";
import { describeRuleIssue } from "@/components/rules/rule-issue";
import { ruleSetBody, type AutoRule } from "@/lib/rules/schema";

const rule = (overrides: Omit<Partial<AutoRule>, "conditions"> & { conditions?: Record<string, unknown> } = {}) => ({
  id: "rule-1",
  name: "小额仅退款",
  enabled: true,
  mode: "dry_run",
  action: "approve",
  ...overrides,
  conditions: overrides.conditions ?? {},
});

function firstIssue(rules: unknown[]) {
  const parsed = ruleSetBody.safeParse({ autoOpenEntry: false, rules });
  expect(parsed.success).toBe(false);
  return parsed.error?.issues[0];
}

describe("describeRuleIssue: the editor's problem in the owner's words", () => {
  it.each([
    ["an empty name", [rule(), rule({ id: "rule-2", name: "  " })], { key: "name", number: 2 }],
    ["a name over 40 characters", [rule({ name: "长".repeat(41) })], { key: "name", number: 1 }],
    ["at least more days than at most", [rule({ conditions: { minDaysSinceCompleted: 30, maxDaysSinceCompleted: 7 } })], { key: "days", number: 1 }],
    ["a negative amount", [rule({ conditions: { maxOrderAmountFen: -1 } })], { key: "number", number: 1, field: "maxOrderAmount" }],
    ["a fractional day count", [rule({ conditions: { maxDaysSinceCompleted: 1.5 } })], { key: "number", number: 1, field: "maxDays" }],
    ["an unknown platform", [rule({ conditions: { platforms: ["jd"] } })], { key: "choice", number: 1, field: "platforms" }],
    ["a condition the editor does not know", [rule({ conditions: { colour: "red" } })], { key: "rule", number: 1 }],
    ["51 rules", Array.from({ length: 51 }, (_, index) => rule({ id: `rule-${index}` })), { key: "tooMany" }],
    ["two rules with one id", [rule(), rule()], { key: "general" }],
  ])("%s", (_label, rules, expected) => {
    expect(describeRuleIssue(firstIssue(rules))).toEqual(expected);
  });

  it("says something general without an issue", () => {
    expect(describeRuleIssue(undefined)).toEqual({ key: "general" });
  });
});
