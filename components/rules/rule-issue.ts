import type { z } from "zod";

// The rule editor's validation problem in the owner's words (ownerPages.rules.issue), from the same schema
// the server checks with: never a field path or a schema message.

export type RuleIssueKey = "name" | "days" | "number" | "choice" | "rule" | "tooMany" | "general";

/** `field` is a key under rules.conditions (the label the owner sees), for "number" and "choice". */
export type RuleIssueText = { key: RuleIssueKey; number?: number; field?: string };

const conditionLabels: Record<string, { field: string; isList: boolean }> = {
  platforms: { field: "platforms", isList: true },
  kinds: { field: "kinds", isList: true },
  categories: { field: "categories", isList: true },
  reasonCodes: { field: "reasonCodes", isList: true },
  maxOrderAmountFen: { field: "maxOrderAmount", isList: false },
  maxRequestedAmountFen: { field: "maxRequestedAmount", isList: false },
  minDaysSinceCompleted: { field: "minDays", isList: false },
  maxDaysSinceCompleted: { field: "maxDays", isList: false },
  maxBuyerRequests90d: { field: "maxBuyerRequests", isList: false },
};

export function describeRuleIssue(issue: Pick<z.core.$ZodIssue, "code" | "path"> | undefined): RuleIssueText {
  if (!issue) return { key: "general" };
  const [top, index, part, field] = issue.path;
  if (top !== "rules") return { key: "general" };
  if (typeof index !== "number") return issue.code === "too_big" ? { key: "tooMany" } : { key: "general" };
  const number = index + 1;
  if (part === "name") return { key: "name", number };
  if (part !== "conditions" || typeof field !== "string") return { key: "rule", number };
  // The one cross-field check: at least N days must not exceed at most M days
  if (field === "minDaysSinceCompleted" && issue.code === "custom") return { key: "days", number };
  const label = conditionLabels[field];
  if (!label) return { key: "rule", number };
  return { key: label.isList ? "choice" : "number", number, field: label.field };
}
