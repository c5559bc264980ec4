import { describe, expect, it } from "vitest";
import { decisionBody } from "@/lib/api-schemas";
import { checkDecisionInput } from "@/lib/decision";
import { getPolicyProfile } from "@/lib/policy/profiles";

const policy = getPolicyProfile("tmall");

describe("decisionBody + checkDecisionInput", () => {
  it.each([
    ["approve", { decision: "approve" }, []],
    ["reject with 2 chars", { decision: "reject", reasonCode: "other", message: "不行" }, []],
    ["reject with 200 chars", { decision: "reject", reasonCode: "other", message: "好".repeat(200) }, []],
    ["reject with 1 char", { decision: "reject", reasonCode: "other", message: "不" }, ["message"]],
    ["reject with 201 chars", { decision: "reject", reasonCode: "other", message: "好".repeat(201) }, ["message"]],
    ["reject with unknown reason", { decision: "reject", reasonCode: "nope", message: "不行啊" }, ["reasonCode"]],
  ])("%s", (_label, input, paths) => {
    const parsed = decisionBody.parse(input);
    expect(checkDecisionInput(policy, parsed).map((issue) => issue.path)).toEqual(paths);
  });

  it.each([
    ["unknown decision", { decision: "maybe" }],
    ["reject without reason", { decision: "reject", message: "不行啊" }],
    ["reject without message", { decision: "reject", reasonCode: "other" }],
    ["extra field", { decision: "approve", amountFen: 1 }],
    ["not an object", "approve"],
  ])("refuses %s at the schema", (_label, input) => {
    expect(decisionBody.safeParse(input).success).toBe(false);
  });

  it("counts characters, not UTF-16 units (emoji)", () => {
    const parsed = decisionBody.parse({ decision: "reject", reasonCode: "other", message: "😀😀" });
    expect(checkDecisionInput(policy, parsed)).toEqual([]);
  });
});
