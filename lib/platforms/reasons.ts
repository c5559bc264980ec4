import type { BuyerReasonCode } from "@/lib/buyer-reasons";

// Platform buyer reasons → our reason codes (lib/buyer-reasons.ts). Unmapped reasons keep the platform's
// own text as the code, which the card shows as-is (a code with no `buyerReason` message is shown verbatim).

/** Douyin reason_code (docs/platforms/buyer-reasons.md); `noReason` marks the 无理由 codes. */
export const douyinReasons: Record<number, { code: BuyerReasonCode | null; noReason: boolean }> = {
  1: { code: "changed_mind", noReason: true },
  2: { code: null, noReason: false },
  5: { code: "missing_parts", noReason: false },
  6: { code: "no_reason_7d", noReason: true },
  7: { code: "quality_issue", noReason: false },
  9: { code: "not_as_described", noReason: false },
  13: { code: null, noReason: false },
  14: { code: null, noReason: false },
  15: { code: null, noReason: false },
  22: { code: "wrong_item", noReason: false },
};

/** WeChat 小店 reason enum (docs/platforms/buyer-reasons.md). */
export const wechatReasons: Record<string, BuyerReasonCode> = {
  INCORRECT_SELECTION: "changed_mind",
  NO_LONGER_WANT: "changed_mind",
  EMPTY_PACKAGE: "missing_parts",
  NOT_MATCH_PRODUCT_DESC: "not_as_described",
  QUALITY_ISSUE: "quality_issue",
  SEND_WRONG_GOODS: "wrong_item",
  NO_REASON_7_DAYS: "no_reason_7d",
};

/** Taobao sends the reason as text ("尺码不合适"); these are the texts our codes stand for. */
const taobaoReasonTexts: [RegExp, BuyerReasonCode][] = [
  [/七天无理由|7天无理由/, "no_reason_7d"],
  [/尺码|大小不合适/, "size_mismatch"],
  [/质量问题|做工|瑕疵/, "quality_issue"],
  [/与.*描述不符|描述不符/, "not_as_described"],
  [/发错货|卖家发错/, "wrong_item"],
  [/少件|漏发|空包/, "missing_parts"],
  [/未收到|没收到/, "not_received"],
  [/破损|压坏/, "damaged_in_transit"],
  [/不想要|拍错|多拍/, "changed_mind"],
  [/变质|腐烂/, "spoiled"],
];

export function mapTaobaoReason(text: string): string {
  return taobaoReasonTexts.find(([pattern]) => pattern.test(text))?.[1] ?? text.slice(0, 200);
}
