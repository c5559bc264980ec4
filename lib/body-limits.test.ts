import { describe, expect, it } from "vitest";
import { bulkDecisionBody, decisionBody } from "@/lib/api-schemas";
import { bodyLimits, isDeclaredLengthOver, maxEvidenceFileBytes, multipartOverheadBytes } from "@/lib/body-limits";
import { buyerReasonCodes } from "@/lib/buyer-reasons";
import { platforms, requestKinds } from "@/lib/domain";
import { productCategories } from "@/lib/policy/categories";
import { backtestBody, saveRulesBody } from "@/lib/rules/schema";

const id = (prefix: string, fill: string) => `${prefix}_${fill.repeat(20)}`;
const bytesOf = (body: unknown) => Buffer.byteLength(JSON.stringify(body));

/** The biggest rule the editor can build: every box ticked, every number at its largest, a 40-character Chinese name. */
function fullRule(index: number) {
  return {
    id: `rule-${String(index).padStart(35, "0")}`,
    name: "规".repeat(40),
    enabled: true,
    mode: "dry_run",
    action: "approve",
    conditions: {
      platforms: [...platforms],
      kinds: [...requestKinds],
      categories: [...productCategories],
      maxOrderAmountFen: 10_000_000_000,
      maxRequestedAmountFen: 10_000_000_000,
      minDaysSinceCompleted: 3650,
      maxDaysSinceCompleted: 3650,
      reasonCodes: [...buyerReasonCodes],
      hasEvidence: true,
      maxBuyerRequests90d: 10_000,
      isNoReason7d: false,
    },
  };
}

const fullRuleSet = { autoOpenEntry: true, rules: Array.from({ length: 50 }, (_, index) => fullRule(index)) };

describe("the JSON cap holds every body the desk sends", () => {
  it.each([
    ["rules editor: save 50 full rules", saveRulesBody, { shopId: id("shop", "a"), expectedVersion: 2_147_483_647, ruleSet: fullRuleSet }],
    ["rules editor: backtest 50 full rules", backtestBody, { shopId: id("shop", "a"), windowDays: 90, ruleSet: fullRuleSet }],
    ["bulk decision: 200 ids", bulkDecisionBody, { decision: "approve", ids: Array.from({ length: 200 }, () => id("req", "b")) }],
    ["a rejection: 2,000 Chinese characters and 20 proofs", decisionBody, { decision: "reject", reasonCode: "x".repeat(64), message: "退".repeat(2000), evidenceIds: Array.from({ length: 20 }, () => id("evd", "c")) }],
  ])("%s", (_label, schema, body) => {
    // The body is one the schema takes, so it is one the route must accept
    expect(schema.safeParse(body).success).toBe(true);
    // With an eighth of the cap to spare (the full rule set is about 47 kB): a new field that outgrows it raises the cap here
    expect(bytesOf(body)).toBeLessThanOrEqual(bodyLimits.json * 0.875);
  });
});

describe("the upload cap", () => {
  it("is the largest proof file plus its multipart framing, and no more", () => {
    expect(maxEvidenceFileBytes).toBe(5 * 1024 * 1024);
    expect(bodyLimits.evidenceUpload).toBe(maxEvidenceFileBytes + multipartOverheadBytes);
  });

  it("holds a largest file sent as the browser sends it (a long Chinese file name, its type)", async () => {
    const form = new FormData();
    form.set("file", new File([new Uint8Array(maxEvidenceFileBytes)], `${"退货凭证".repeat(60)}.jpeg`, { type: "image/jpeg" }));
    const encoded = new Uint8Array(await new Response(form).arrayBuffer());
    expect(encoded.byteLength).toBeGreaterThan(maxEvidenceFileBytes);
    expect(encoded.byteLength).toBeLessThanOrEqual(bodyLimits.evidenceUpload);
  });
});

describe("isDeclaredLengthOver", () => {
  it.each([
    [null, 10, false],
    ["", 10, false],
    ["10", 10, false],
    ["11", 10, true],
    [" 11 ", 10, true],
    ["8388608", 262_144, true],
    ["-5", 10, false],
    ["1e9", 10, false],
    ["abc", 10, false],
  ])("%o at a cap of %d → %s", (header, cap, expected) => {
    expect(isDeclaredLengthOver(header, cap)).toBe(expected);
  });
});
