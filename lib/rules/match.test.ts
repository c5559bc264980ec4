import { describe, expect, it } from "vitest";
import { getPolicyProfile } from "@/lib/policy/profiles";
import {
  autoOpenRuleId,
  findFirstMatch,
  getAutoAnswer,
  getDaysSinceCompleted,
  getEffectiveRules,
  isApproveAllowed,
  matchesConditions,
  type RuleFacts,
} from "@/lib/rules/match";
import { autoRule, ruleSetBody, type AutoRule, type RuleConditions } from "@/lib/rules/schema";
import { dayMs } from "@/lib/time";

const receivedAtMs = Date.parse("2026-03-10T04:00:00Z");

const facts: RuleFacts = {
  platform: "tmall",
  kind: "refund_only",
  category: "apparel",
  orderAmountFen: 12_990,
  requestedAmountFen: 5_000,
  completedAtMs: receivedAtMs - 3 * dayMs - 1,
  receivedAtMs,
  reasonCode: "quality_issue",
  hasEvidence: true,
  buyerRequests90d: 1,
};

function rule(id: string, conditions: RuleConditions, overrides: Partial<AutoRule> = {}): AutoRule {
  return { id, name: `规则${id}`, enabled: true, mode: "live", conditions, action: "approve", ...overrides };
}

describe("matchesConditions", () => {
  it.each<[string, RuleConditions, boolean]>([
    ["no conditions match everything", {}, true],
    ["platform in the list", { platforms: ["taobao", "tmall"] }, true],
    ["platform not in the list", { platforms: ["douyin"] }, false],
    ["kind not in the list", { kinds: ["return_refund"] }, false],
    ["category in the list", { categories: ["apparel"] }, true],
    ["order amount exactly at the limit", { maxOrderAmountFen: 12_990 }, true],
    ["order amount 1 fen over", { maxOrderAmountFen: 12_989 }, false],
    ["requested amount at the limit", { maxRequestedAmountFen: 5_000 }, true],
    ["requested amount over", { maxRequestedAmountFen: 4_999 }, false],
    ["3 whole days since 交易成功 ≤ 3", { maxDaysSinceCompleted: 3 }, true],
    ["3 whole days is not ≤ 2", { maxDaysSinceCompleted: 2 }, false],
    ["at least 3 days", { minDaysSinceCompleted: 3 }, true],
    ["at least 4 days", { minDaysSinceCompleted: 4 }, false],
    ["reason in the list", { reasonCodes: ["quality_issue", "wrong_item"] }, true],
    ["reason not in the list", { reasonCodes: ["wrong_item"] }, false],
    ["has evidence", { hasEvidence: true }, true],
    ["needs no evidence", { hasEvidence: false }, false],
    ["buyer's requests at the limit", { maxBuyerRequests90d: 1 }, true],
    ["buyer's requests over the limit", { maxBuyerRequests90d: 0 }, false],
    ["only 7天无理由", { isNoReason7d: true }, false],
    ["all but 7天无理由", { isNoReason7d: false }, true],
    ["every condition holds together", { platforms: ["tmall"], kinds: ["refund_only"], maxRequestedAmountFen: 5_000, hasEvidence: true }, true],
    ["one failing condition fails the rule", { platforms: ["tmall"], kinds: ["refund_only"], maxRequestedAmountFen: 100 }, false],
  ])("%s", (_label, conditions, expected) => {
    expect(matchesConditions(conditions, facts)).toBe(expected);
  });

  it("reads an unmapped category as 其他", () => {
    expect(matchesConditions({ categories: ["other"] }, { ...facts, category: "玩具" })).toBe(true);
    expect(matchesConditions({ categories: ["apparel"] }, { ...facts, category: "玩具" })).toBe(false);
  });

  it("never matches a days condition when the deal had not succeeded before the request", () => {
    expect(matchesConditions({ maxDaysSinceCompleted: 30 }, { ...facts, completedAtMs: null })).toBe(false);
    expect(matchesConditions({ maxDaysSinceCompleted: 30 }, { ...facts, completedAtMs: receivedAtMs + 1 })).toBe(false);
    expect(getDaysSinceCompleted({ completedAtMs: receivedAtMs, receivedAtMs })).toBe(0);
  });

  it("never passes a buyer limit when the history was not counted", () => {
    expect(matchesConditions({ maxBuyerRequests90d: 100 }, { ...facts, buyerRequests90d: null })).toBe(false);
  });

  it("matches 7天无理由 by its reason code", () => {
    expect(matchesConditions({ isNoReason7d: true }, { ...facts, reasonCode: "no_reason_7d" })).toBe(true);
  });
});

describe("findFirstMatch (ordering)", () => {
  const small = rule("small", { maxRequestedAmountFen: 10_000 });
  const tmall = rule("tmall", { platforms: ["tmall"] });

  it("the first rule that matches wins", () => {
    expect(findFirstMatch([small, tmall], facts)?.id).toBe("small");
    expect(findFirstMatch([tmall, small], facts)?.id).toBe("tmall");
  });

  it("skips a rule that does not match", () => {
    expect(findFirstMatch([rule("douyin", { platforms: ["douyin"] }), tmall], facts)?.id).toBe("tmall");
  });

  it("skips disabled rules", () => {
    expect(findFirstMatch([{ ...small, enabled: false }, tmall], facts)?.id).toBe("tmall");
    expect(findFirstMatch([{ ...small, enabled: false }], facts)).toBeNull();
  });

  it("a 只记录 rule that matches first still wins (so switching it on changes nothing else)", () => {
    expect(findFirstMatch([{ ...small, mode: "dry_run" }, tmall], facts)?.id).toBe("small");
  });

  it("the auto-open switch comes before every rule and only for re-open requests", () => {
    const rules = getEffectiveRules({ autoOpenEntry: true, rules: [tmall] });
    expect(findFirstMatch(rules, { ...facts, kind: "entry_reopen" })?.id).toBe(autoOpenRuleId);
    expect(findFirstMatch(rules, facts)?.id).toBe("tmall");
    expect(findFirstMatch(getEffectiveRules({ autoOpenEntry: false, rules: [] }), { ...facts, kind: "entry_reopen" })).toBeNull();
  });
});

describe("getAutoAnswer", () => {
  const live = rule("live", {});
  it("approves with a live rule, tags with a 只记录 rule, and leaves an ineligible request to a person", async () => {
    expect((await getAutoAnswer([live], facts, () => true))?.outcome).toBe("approve");
    expect((await getAutoAnswer([{ ...live, mode: "dry_run" }], facts, () => true))?.outcome).toBe("dry_run");
    expect((await getAutoAnswer([live], facts, () => false))?.outcome).toBe("ineligible");
    expect(await getAutoAnswer([], facts, () => true)).toBeNull();
  });
});

describe("isApproveAllowed", () => {
  const tmall = getPolicyProfile("tmall");
  const now = new Date("2026-03-10T04:00:00Z");
  const order = {
    category: "apparel" as const,
    amountFen: 12_990,
    shippedAt: null,
    receivedAt: null,
    completedAt: new Date("2025-03-10T04:00:00Z"),
    priorRefundState: "none" as const,
    entryOpenedAt: null,
    timesOpened: 0,
  };
  const reopen = { kind: "entry_reopen" as const, amountFen: 0, receivedAt: now };

  it("allows an eligible re-open, refuses one past 2 years or after a refund (docs/domain/after-sales-entry.md)", () => {
    expect(isApproveAllowed(tmall, order, reopen, now)).toBe(true);
    expect(isApproveAllowed(tmall, { ...order, completedAt: new Date("2024-03-01T04:00:00Z") }, reopen, now)).toBe(false);
    expect(isApproveAllowed(tmall, { ...order, priorRefundState: "succeeded" }, reopen, now)).toBe(false);
    expect(isApproveAllowed(tmall, { ...order, priorRefundState: "closed" }, reopen, now)).toBe(true);
  });

  it("allows approving ordinary requests", () => {
    expect(isApproveAllowed(tmall, order, { kind: "refund_only", amountFen: 100, receivedAt: now }, now)).toBe(true);
  });
});

describe("schemas", () => {
  it("refuses a rule that rejects, an empty list, and min days over max days", () => {
    expect(autoRule.safeParse({ ...rule("a", {}), action: "reject" }).success).toBe(false);
    expect(autoRule.safeParse(rule("a", { platforms: [] })).success).toBe(false);
    expect(autoRule.safeParse(rule("a", { minDaysSinceCompleted: 5, maxDaysSinceCompleted: 4 })).success).toBe(false);
    expect(autoRule.safeParse(rule("a", { maxRequestedAmountFen: 1.5 })).success).toBe(false);
  });

  it("refuses duplicate rule ids", () => {
    expect(ruleSetBody.safeParse({ autoOpenEntry: false, rules: [rule("a", {}), rule("a", {})] }).success).toBe(false);
    expect(ruleSetBody.safeParse({ autoOpenEntry: true, rules: [rule("a", {}), rule("b", {})] }).success).toBe(true);
  });
});
