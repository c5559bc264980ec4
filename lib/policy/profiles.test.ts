import { describe, expect, it } from "vitest";
import { platforms } from "@/lib/domain";
import { enMessages as en, zhCNMessages as zhCN } from "@/lib/i18n/messages/merged";
import { fallbackRejectReasonCodes, getPolicyProfile, isFallbackRejectReasonCode, policyProfiles } from "@/lib/policy/profiles";
import { hourMs } from "@/lib/time";


describe("policy profiles: the numbers of docs/domain/", () => {
  it.each([
    ["taobao", 15, 180, true, 2, false, null],
    ["tmall", 15, 180, true, 2, true, null],
    ["douyin", 15, 15, false, null, false, 12 * hourMs],
    ["wechat", 15, 15, false, null, false, null],
  ] as const)(
    "%s: window %i/%i d, 售后保 %s, re-open %s y, proof always %s, proposal %s ms",
    (platform, defaultDays, longCategoryDays, hasShouhoubao, maxAgeYears, isEvidenceAlwaysRequired, validMs) => {
      const profile = getPolicyProfile(platform);
      expect(profile.platform).toBe(platform);
      expect(profile.afterSalesWindow.defaultDays).toBe(defaultDays);
      expect(profile.afterSalesWindow.longCategoryDays).toBe(longCategoryDays);
      expect(profile.afterSalesWindow.shouhoubao !== null).toBe(hasShouhoubao);
      expect(profile.entryReopen?.maxAgeYears ?? null).toBe(maxAgeYears);
      expect(profile.reject.isEvidenceAlwaysRequired).toBe(isEvidenceAlwaysRequired);
      expect(profile.platformNegotiation?.validMs ?? null).toBe(validMs);
    },
  );

  it("re-opens on Taobao/Tmall as docs/domain/after-sales-entry.md says", () => {
    expect(getPolicyProfile("taobao").entryReopen).toEqual({
      maxAgeYears: 2,
      autoCloseDays: 30,
      eligiblePriorRefundStates: ["none", "closed"],
      maxOpenings: null,
      kinds: ["refund_only", "return_refund", "exchange", "repair"],
      confidence: "H",
    });
  });

  it.each(platforms.map((platform) => [platform]))("%s keeps the reply clock and message bounds", (platform) => {
    const profile = policyProfiles[platform];
    expect(profile.replyWindowMs).toBe(180_000);
    expect(profile.replyWarningMs).toBe(60_000);
    expect(profile.rejectMessageChars).toEqual({ min: 2, max: 200 });
  });

  it.each(platforms.map((platform) => [platform]))("%s has unique reason codes, each a fallback code with no platform words of its own", (platform) => {
    const reasons = policyProfiles[platform].rejectReasons;
    expect(new Set(reasons.map((reason) => reason.code)).size).toBe(reasons.length);
    for (const reason of reasons) {
      expect(isFallbackRejectReasonCode(reason.code), reason.code).toBe(true);
      expect(reason.platformText).toBeUndefined();
    }
  });

  it("labels every fallback reason in the messages, in zh-CN and en, and no code it does not have", () => {
    expect(Object.keys(zhCN.rejectReason).sort()).toEqual([...fallbackRejectReasonCodes].sort());
    expect(Object.keys(en.rejectReason).sort()).toEqual([...fallbackRejectReasonCodes].sort());
    for (const code of fallbackRejectReasonCodes) {
      expect(zhCN.rejectReason[code]).toMatch(/[\u4e00-\u9fff]/);
      expect(en.rejectReason[code]).toMatch(/^[A-Z]/);
    }
  });

  it.each(platforms.map((platform) => [platform]))("%s takes images and PDF up to 5 MB, no SVG", (platform) => {
    const { evidence } = policyProfiles[platform].reject;
    expect(evidence.maxBytesEach).toBe(5 * 1024 * 1024);
    expect(evidence.allowedTypes).toContain("application/pdf");
    expect(evidence.allowedTypes).toContain("image/jpeg");
    expect(evidence.allowedTypes).not.toContain("image/svg+xml");
  });

  it.each([
    ["taobao", "refund_only_unshipped_seller", 24 * hourMs, "auto_refund", "M"],
    ["taobao", "refund_only_shipped_seller", 36 * hourMs, "auto_agree", "M"],
    ["tmall", "buyer_revise_after_reject", 5 * 24 * hourMs, "close", "M"],
    ["taobao", "seller_confirm_receipt", 10 * 24 * hourMs, "auto_refund", "E"],
    ["douyin", "refund_only_unshipped_seller", 48 * hourMs, "auto_refund", "L"],
    ["douyin", "after_sale_review_seller", 48 * hourMs, null, "E"],
    ["wechat", "refund_only_shipped_seller", 48 * hourMs, null, "H"],
    ["wechat", "return_refund_seller", 48 * hourMs, null, "H"],
    ["wechat", "seller_confirm_receipt", 10 * 24 * hourMs, null, "H"],
  ] as const)("%s %s: fallback %i ms, then %s (%s)", (platform, step, durationMs, onTimeout, confidence) => {
    expect(policyProfiles[platform].timeouts[step]).toEqual({ durationMs, onTimeout, confidence });
  });
});
