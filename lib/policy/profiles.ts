import type { Platform } from "@/lib/domain";

// Platform rules as versioned data (DOMAIN.md: "numbers belong in a policy profile, never as literals").
// Sources: ../shared/NUMBERS.md §1d, §1e, §3. Confidence: H official/seed, M, L, E (our estimate).

export type RejectReason = {
  code: string;
  labelZh: string;
  labelEn: string;
};

export type PolicyProfile = {
  platform: Platform;
  version: string;
  /** The card must be answered within 3 minutes, like any message (seeds/002, H). */
  replyWindowMs: number;
  /** Warning state for the reply clock: the last minute. */
  replyWarningMs: number;
  /** Taobao refuse_message is 2–200 chars (NUMBERS.md §1e, M); we use the same bounds everywhere. */
  rejectMessageChars: { min: number; max: number };
  rejectReasons: RejectReason[];
};

const commonRejectReasons: RejectReason[] = [
  { code: "goods_intact_used", labelZh: "商品已使用/影响二次销售", labelEn: "Goods used or not resellable" },
  { code: "no_quality_issue", labelZh: "商品无质量问题，凭证不足", labelEn: "No quality issue shown by the evidence" },
  { code: "past_period", labelZh: "已超出售后期限", labelEn: "Past the after-sales period" },
  { code: "buyer_agreed_other", labelZh: "已与买家协商其他方案", labelEn: "Agreed another solution with the buyer" },
  { code: "not_received_return", labelZh: "未收到退货", labelEn: "Return not received" },
  { code: "amount_wrong", labelZh: "退款金额与协商不符", labelEn: "Refund amount differs from what was agreed" },
  { code: "other", labelZh: "其他原因", labelEn: "Other reason" },
];

const taobao: PolicyProfile = {
  platform: "taobao",
  version: "2026-01-draft",
  replyWindowMs: 180_000,
  replyWarningMs: 60_000,
  rejectMessageChars: { min: 2, max: 200 },
  rejectReasons: commonRejectReasons,
};

export const policyProfiles: Record<Platform, PolicyProfile> = {
  taobao,
  tmall: { ...taobao, platform: "tmall" },
  douyin: {
    platform: "douyin",
    version: "2026-01-draft",
    replyWindowMs: 180_000,
    replyWarningMs: 60_000,
    rejectMessageChars: { min: 2, max: 200 },
    rejectReasons: [
      ...commonRejectReasons.filter((reason) => reason.code !== "other"),
      { code: "fresh_no_return", labelZh: "生鲜商品不支持无理由退换", labelEn: "Fresh goods: no no-reason returns" },
      { code: "other", labelZh: "其他原因", labelEn: "Other reason" },
    ],
  },
};

export function getPolicyProfile(platform: Platform): PolicyProfile {
  return policyProfiles[platform];
}
