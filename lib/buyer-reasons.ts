// Reasons a buyer gives for an after-sales request, as the platforms list them (labels shown on the card).
export const buyerReasons = {
  quality_issue: { zh: "质量问题", en: "Quality problem" },
  size_mismatch: { zh: "尺码不合适", en: "Wrong size" },
  not_as_described: { zh: "与商品描述不符", en: "Not as described" },
  damaged_in_transit: { zh: "运输途中破损", en: "Damaged in transit" },
  no_reason_7d: { zh: "七天无理由退换", en: "7-day no-reason return" },
  wrong_item: { zh: "卖家发错货", en: "Wrong item sent" },
  missing_parts: { zh: "少件/漏发", en: "Missing parts" },
  not_received: { zh: "未收到货", en: "Not received" },
  changed_mind: { zh: "不想要了", en: "Changed mind" },
  spoiled: { zh: "商品变质/腐烂", en: "Spoiled on arrival" },
  dead_on_arrival: { zh: "活体到货死亡", en: "Dead on arrival" },
  late_problem: { zh: "使用后出现问题（已过售后期）", en: "Problem appeared later (past the period)" },
  needs_repair: { zh: "故障需要维修", en: "Faulty, needs repair" },
} as const;

export type BuyerReasonCode = keyof typeof buyerReasons;

export function getBuyerReasonLabel(code: string, locale: string): string {
  const reason = (buyerReasons as Record<string, { zh: string; en: string }>)[code];
  if (!reason) return code;
  return locale === "en" ? reason.en : reason.zh;
}
