import { afterSalesKinds, type AfterSalesKind, type Platform, type PriorRefundState } from "@/lib/domain";
import type { ProductCategory } from "@/lib/policy/categories";
import { dayMs, hourMs } from "@/lib/time";

// Platform rules as versioned data (docs/decisions/0006-policy-profiles.md): numbers live here, never as literals.
// Sources: each rule's page in docs/domain/. Confidence: H official/press, M, L, E (our estimate).

/** H official doc or seed · M rule table or two 3p sources · L one weak source · E our estimate (warnings only). */
export type Confidence = "H" | "M" | "L" | "E";

/**
 * The desk's own reject reasons, offered where the platform's list is not read (a shop not connected to its platform).
 * A code means the same on every platform; its words are in the messages files (`rejectReason.<code>`).
 */
export const fallbackRejectReasonCodes = ["goods_intact_used", "no_quality_issue", "past_period", "buyer_agreed_other", "not_received_return", "amount_wrong", "fresh_no_return", "other"] as const;

export type FallbackRejectReasonCode = (typeof fallbackRejectReasonCodes)[number];

export function isFallbackRejectReasonCode(code: string): code is FallbackRejectReasonCode {
  return (fallbackRejectReasonCodes as readonly string[]).includes(code);
}

export type RejectReason = {
  code: string;
  /** The platform's own words for a reason its API listed (lib/platforms/reject-reasons.ts); absent for the fallback reasons. */
  platformText?: string;
  /** The reason is a claim about facts the seller must prove (举证, docs/domain/rejections.md). Absent means no. */
  isEvidenceRequired?: boolean;
};

/** Requests a seller may not reject at all (docs/domain/rejections.md). */
export type UnrejectableRule = "refund_only_unshipped" | "seven_day_no_reason";

export type TimeoutStep =
  | "refund_only_unshipped_seller"
  | "refund_only_shipped_seller"
  | "return_refund_seller"
  | "buyer_revise_after_reject"
  | "intercept_no_response"
  | "buyer_ship_return"
  | "seller_confirm_receipt"
  | "after_sale_review_seller";

/** Fallback only: a deadline the platform sends on the request wins (docs/domain/clocks.md). */
export type PlatformTimeout = {
  durationMs: number;
  onTimeout: "auto_refund" | "auto_agree" | "close" | null;
  confidence: Confidence;
};

export type AfterSalesWindowRule = {
  defaultDays: number;
  longCategories: readonly ProductCategory[];
  longCategoryDays: number;
  /** 售后保 (docs/domain/after-sales-entry.md): 三包, the seller's promise, or late-showing goods extend the window; null = no such scheme. */
  shouhoubao: {
    lateShowingCategories: readonly ProductCategory[];
    lateShowingDays: number;
    lateShowingConfidence: Confidence;
  } | null;
  confidence: Confidence;
};

export type EntryReopenRule = {
  maxAgeYears: number;
  autoCloseDays: number;
  eligiblePriorRefundStates: readonly PriorRefundState[];
  /** null: no limit on how many times (docs/domain/after-sales-entry.md, was once). */
  maxOpenings: number | null;
  kinds: readonly AfterSalesKind[];
  confidence: Confidence;
};

export type PlatformNegotiationRule = {
  validMs: number;
  excludedCategories: readonly ProductCategory[];
  confidence: Confidence;
};

export type RejectRule = {
  /** Tmall: every rejection carries proof (docs/domain/rejections.md). */
  isEvidenceAlwaysRequired: boolean;
  unrejectable: readonly UnrejectableRule[];
  evidence: {
    /** Exact MIME types, compared case-insensitively. */
    allowedTypes: readonly string[];
    maxBytesEach: number;
    maxFiles: number;
  };
};

export type PolicyProfile = {
  platform: Platform;
  version: string;
  /** The card must be answered within 3 minutes, like any message (docs/domain/clocks.md, H). */
  replyWindowMs: number;
  /** Warning state for the reply clock: the last minute. */
  replyWarningMs: number;
  /** Taobao refuse_message is 2–200 chars (docs/domain/rejections.md, M); we use the same bounds everywhere. */
  rejectMessageChars: { min: number; max: number };
  rejectReasons: RejectReason[];
  reject: RejectRule;
  timeouts: Partial<Record<TimeoutStep, PlatformTimeout>>;
  afterSalesWindow: AfterSalesWindowRule;
  /** Seller re-opens the after-sales entry (Taobao/Tmall 2025, docs/domain/after-sales-entry.md); null where the platform has no such tool. */
  entryReopen: EntryReopenRule | null;
  /** Douyin 主动介入协商 (docs/domain/negotiation.md); null where the platform does not step in first. */
  platformNegotiation: PlatformNegotiationRule | null;
  /** Refund-only after receipt goes to seller–buyer negotiation first (Taobao 2025, docs/domain/negotiation.md); null otherwise. */
  sellerBuyerNegotiation: { confidence: Confidence } | null;
};

const megabyte = 1024 * 1024;

const commonRejectReasons: (RejectReason & { code: FallbackRejectReasonCode })[] = [
  { code: "goods_intact_used", isEvidenceRequired: true },
  { code: "no_quality_issue", isEvidenceRequired: true },
  { code: "past_period" },
  { code: "buyer_agreed_other", isEvidenceRequired: true },
  { code: "not_received_return", isEvidenceRequired: true },
  { code: "amount_wrong", isEvidenceRequired: true },
  { code: "other", isEvidenceRequired: true },
];

// Our uploads: images or PDF, ≤ 5 MB each (docs/domain/rejections.md); Taobao's proof API takes ≤ 130,000 bytes, so images are shrunk on send.
// No SVG: it can carry script when served back to the browser.
const evidenceLimits: RejectRule["evidence"] = {
  allowedTypes: ["image/jpeg", "image/png", "image/webp", "image/gif", "image/heic", "application/pdf"],
  maxBytesEach: 5 * megabyte,
  maxFiles: 5,
};

/** Taobao's refuse APIs take one refuse_proof image (docs/platforms/proof.md): a second would never reach the platform. */
const taobaoEvidenceLimits: RejectRule["evidence"] = { ...evidenceLimits, maxFiles: 1 };

const taobao: PolicyProfile = {
  platform: "taobao",
  version: "2026-01-draft",
  replyWindowMs: 180_000,
  replyWarningMs: 60_000,
  rejectMessageChars: { min: 2, max: 200 },
  rejectReasons: commonRejectReasons,
  reject: {
    isEvidenceAlwaysRequired: false,
    // docs/domain/rejections.md: unshipped and 7天无理由 refunds cannot be refused (M)
    unrejectable: ["refund_only_unshipped", "seven_day_no_reason"],
    evidence: taobaoEvidenceLimits,
  },
  timeouts: {
    refund_only_unshipped_seller: { durationMs: 24 * hourMs, onTimeout: "auto_refund", confidence: "M" },
    refund_only_shipped_seller: { durationMs: 36 * hourMs, onTimeout: "auto_agree", confidence: "M" },
    return_refund_seller: { durationMs: 120 * hourMs, onTimeout: "auto_agree", confidence: "L" },
    buyer_revise_after_reject: { durationMs: 5 * dayMs, onTimeout: "close", confidence: "M" },
    intercept_no_response: { durationMs: 3 * dayMs, onTimeout: "auto_agree", confidence: "M" },
    buyer_ship_return: { durationMs: 7 * dayMs, onTimeout: "close", confidence: "E" },
    seller_confirm_receipt: { durationMs: 10 * dayMs, onTimeout: "auto_refund", confidence: "E" },
  },
  afterSalesWindow: {
    // docs/domain/after-sales-entry.md: 15 days after 交易成功, 180 for 3C digital and home appliances
    defaultDays: 15,
    longCategories: ["3c_digital", "home_appliance"],
    longCategoryDays: 180,
    // 售后保 names plants, flowers, pets but no number: 180 days is our estimate
    shouhoubao: { lateShowingCategories: ["flowers_gardening", "live_pets"], lateShowingDays: 180, lateShowingConfidence: "E" },
    confidence: "H",
  },
  entryReopen: {
    // docs/domain/after-sales-entry.md: two years (was three months), no limit (was once), closes itself after 30 days
    maxAgeYears: 2,
    autoCloseDays: 30,
    eligiblePriorRefundStates: ["none", "closed"],
    maxOpenings: null,
    kinds: afterSalesKinds,
    confidence: "H",
  },
  platformNegotiation: null,
  // docs/domain/negotiation.md: proposed in 2025, the platform no longer steps in first on refund-only after receipt
  sellerBuyerNegotiation: { confidence: "M" },
};

/** The reasons WeChat's rejectapply can carry (lib/platforms/wechat.ts maps each to a reject_reason_type). */
const wechatRejectReasonCodes = new Set(["goods_intact_used", "no_quality_issue", "past_period", "other"]);

export const policyProfiles: Record<Platform, PolicyProfile> = {
  taobao,
  tmall: {
    ...taobao,
    platform: "tmall",
    // docs/domain/rejections.md: proof required on Tmall
    reject: { ...taobao.reject, isEvidenceAlwaysRequired: true },
  },
  douyin: {
    platform: "douyin",
    version: "2026-01-draft",
    replyWindowMs: 180_000,
    replyWarningMs: 60_000,
    rejectMessageChars: { min: 2, max: 200 },
    rejectReasons: [
      ...commonRejectReasons.filter((reason) => reason.code !== "other"),
      { code: "fresh_no_return" },
      { code: "other", isEvidenceRequired: true },
    ],
    // No public source for Douyin's unrejectable cases; the 48 h auto refund covers unshipped (docs/domain/clocks.md, L)
    reject: { isEvidenceAlwaysRequired: false, unrejectable: [], evidence: evidenceLimits },
    timeouts: {
      refund_only_unshipped_seller: { durationMs: 48 * hourMs, onTimeout: "auto_refund", confidence: "L" },
      after_sale_review_seller: { durationMs: 48 * hourMs, onTimeout: null, confidence: "E" },
      buyer_ship_return: { durationMs: 7 * dayMs, onTimeout: null, confidence: "E" },
      seller_confirm_receipt: { durationMs: 10 * dayMs, onTimeout: null, confidence: "L" },
    },
    // Douyin's window is not in our sources: Taobao's 15 days assumed, no 售后保
    afterSalesWindow: { defaultDays: 15, longCategories: [], longCategoryDays: 15, shouhoubao: null, confidence: "E" },
    entryReopen: null,
    // docs/domain/negotiation.md: proposal valid 12 h; not for 生鲜, 鲜花园艺, 宠物活体
    platformNegotiation: {
      validMs: 12 * hourMs,
      excludedCategories: ["fresh_food", "flowers_gardening", "live_pets"],
      confidence: "H",
    },
    sellerBuyerNegotiation: null,
  },
  wechat: {
    platform: "wechat",
    version: "2026-01-draft",
    // Assumption: no WeChat reply-time metric in our sources, so Taobao's 3-minute card rule (docs/domain/clocks.md) applies
    replyWindowMs: 180_000,
    replyWarningMs: 60_000,
    // WeChat takes ≤500 characters (docs/domain/rejections.md); the desk keeps its 2–200 bounds, which fit inside
    rejectMessageChars: { min: 2, max: 200 },
    rejectReasons: commonRejectReasons.filter((reason) => wechatRejectReasonCodes.has(reason.code)),
    // Assumption: no unrejectable cases for WeChat in our sources (as for Douyin)
    reject: { isEvidenceAlwaysRequired: false, unrejectable: [], evidence: evidenceLimits },
    // docs/domain/clocks.md, WeChat 小店 (H): refund 48 h, return 48 h, receipt 10 d, buyer logistics 7 d, buyer 介入 7 d;
    // what happens at each timeout is not in our sources, so onTimeout is null
    timeouts: {
      refund_only_unshipped_seller: { durationMs: 48 * hourMs, onTimeout: null, confidence: "H" },
      refund_only_shipped_seller: { durationMs: 48 * hourMs, onTimeout: null, confidence: "H" },
      return_refund_seller: { durationMs: 48 * hourMs, onTimeout: null, confidence: "H" },
      buyer_ship_return: { durationMs: 7 * dayMs, onTimeout: null, confidence: "H" },
      seller_confirm_receipt: { durationMs: 10 * dayMs, onTimeout: null, confidence: "H" },
      // Assumption: the buyer's 7 days to ask for 介入 after a rejection stands in for Taobao's revise step
      buyer_revise_after_reject: { durationMs: 7 * dayMs, onTimeout: null, confidence: "E" },
    },
    // Assumption: WeChat's after-sales window is not in our sources; Taobao's 15 days, no 售后保 (as for Douyin)
    afterSalesWindow: { defaultDays: 15, longCategories: [], longCategoryDays: 15, shouhoubao: null, confidence: "E" },
    entryReopen: null,
    platformNegotiation: null,
    sellerBuyerNegotiation: null,
  },
};

export function getPolicyProfile(platform: Platform): PolicyProfile {
  return policyProfiles[platform];
}
