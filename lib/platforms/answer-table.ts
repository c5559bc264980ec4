import type { Platform, RequestKind } from "@/lib/domain";
import type { AnswerAction, AnswerCell, AnswerDraft, AnswerProblem, AnswerTable, NativeRefund, NotOfferedReason } from "@/lib/platforms/types";
import { checkDouyinAnswer, douyinAnswerTable } from "@/lib/platforms/douyin/answers";
import { checkTaobaoAnswer, taobaoAnswerTable, tmallAnswerTable } from "@/lib/platforms/taobao/answers";
import { checkWechatAnswer, wechatAnswerTable } from "@/lib/platforms/wechat";

// Which API answers each kind and decision on each platform (docs/platforms/answer-table.md, the README's table).
// The decision endpoint asks checkPlatformAnswer before it records a decision for a connected shop, and the card
// disables a button whose cell is not offered, with the reason: the desk never shows an answer the platform cannot take.

export const answerTables: Record<Platform, AnswerTable> = {
  taobao: taobaoAnswerTable,
  tmall: tmallAnswerTable,
  douyin: douyinAnswerTable,
  wechat: wechatAnswerTable,
};

export function getAnswerCell(platform: Platform, kind: RequestKind, action: AnswerAction): AnswerCell {
  return answerTables[platform][kind][action];
}

/** The reason a cell is not offered, null when some API answers it. */
export function getNotOfferedReason(cell: AnswerCell): NotOfferedReason | null {
  return "notOffered" in cell ? cell.notOffered : null;
}

/** Everything the platform would refuse in this answer, as far as the desk can tell before sending it. */
export function checkPlatformAnswer(platform: Platform, draft: AnswerDraft): AnswerProblem[] {
  const reason = getNotOfferedReason(getAnswerCell(platform, draft.kind, draft.action));
  if (reason) return [{ code: "answer_not_offered", reason }];
  const problems = checkNativeAnswer(platform, draft);
  // The refund's state may leave no answer at all (Douyin 未发货仅退款): that is said first, reasons or not
  const notOffered = problems.filter((problem) => problem.code === "answer_not_offered");
  if (notOffered.length > 0) return notOffered;
  // A rejection carries one of the platform's own reasons: without its list the desk cannot send a valid one
  if (draft.action === "reject" && draft.reasons === null) return [{ code: "reasons_unavailable" }];
  return problems;
}

function checkNativeAnswer(platform: Platform, draft: AnswerDraft): AnswerProblem[] {
  switch (platform) {
    case "taobao":
    case "tmall":
      return checkTaobaoAnswer(draft, { isTmall: platform === "tmall" });
    case "douyin":
      return checkDouyinAnswer(draft);
    case "wechat":
      return checkWechatAnswer(draft);
  }
}

/** Which of a card's buttons the platform's API can answer now; null for an action it can, else why not. */
export type AnswerAvailability = Record<AnswerAction, NotOfferedReason | null>;

const answerActions: readonly AnswerAction[] = ["approve", "reject", "counter_offer"];

/** The card's buttons for a connected shop: the table's cell, then what the refund's platform state allows. */
export function getAnswerAvailability(platform: Platform, kind: RequestKind, native: NativeRefund | null): AnswerAvailability {
  const entries = answerActions.map((action) => {
    const problems = checkPlatformAnswer(platform, { kind, action, native, message: "", reasonCode: null, reasons: null, proof: [] });
    const notOffered = problems.find((problem) => problem.code === "answer_not_offered");
    return [action, notOffered ? notOffered.reason : null] as const;
  });
  return Object.fromEntries(entries) as AnswerAvailability;
}
