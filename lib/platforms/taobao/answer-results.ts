import { readTopList, readTopResponse, topText, TopApiError } from "@/lib/platforms/taobao/top-api";
import type { AnswerOutcome, NativeRefund } from "@/lib/platforms/types";

// Reading TOP's reply to an answer: success, TOP's refusal in its words, or a transient failure

export type AnswerRefusal = Exclude<AnswerOutcome, { ok: true }>;

/** Calls-limited (4–8) and session (26, 27, 53) platform codes: retried; the token upkeep refreshes a session. */
const transientCodes = new Set([4, 5, 6, 7, 8, 10, 26, 27, 53]);
/** Remote service error (15) and missing/invalid arguments (40, 41): the request itself was refused. */
const businessCodes = new Set([15, 40, 41]);

/** An error_response: isp.* and platform-level codes are transient, isv.* and 15/40/41 are TOP's refusal. */
export function classifyTopError(error: TopApiError): AnswerRefusal {
  const subCode = error.subCode ?? "";
  const words = error.subMsg ?? error.msg ?? `TOP error ${error.code ?? "?"}`;
  if (subCode.startsWith("isp.") || /sessionkey|session-/.test(subCode)) return { ok: false, refused: false, error: `${error.method}: ${words} (${subCode})` };
  if (error.code !== null && transientCodes.has(error.code)) return { ok: false, refused: false, error: `${error.method}: ${words} (${error.code})` };
  if (subCode.startsWith("isv.") || (error.code !== null && businessCodes.has(error.code))) return { ok: false, refused: true, message: words, code: subCode || String(error.code) };
  return { ok: false, refused: false, error: `${error.method}: ${words} (${subCode || error.code})` };
}

/** null when the answer call succeeded; else TOP's refusal (with its words) or a transient failure. */
export function readTaobaoAnswer(body: unknown, method: string, refundId: string): AnswerRefusal | null {
  let inner: Record<string, unknown>;
  try {
    inner = readTopResponse(body, method);
  } catch (error) {
    if (error instanceof TopApiError) return classifyTopError(error);
    return { ok: false, refused: false, error: error instanceof Error ? error.message : String(error) };
  }
  const isTrue = (value: unknown) => value === true || value === "true";
  switch (method) {
    case "taobao.rp.refunds.agree": {
      if (inner.msg_code === "OP_SUCC") return null;
      const results = readTopList(inner.results, "refund_mapping_result");
      const ours = results.find((entry) => String(entry.refund_id ?? "") === refundId);
      if (inner.msg_code === "SOME_OP_SUCC" && ours && isTrue(ours.succ)) return null;
      const words = topText(ours?.message) ?? topText(inner.message) ?? "同意退款未成功";
      return { ok: false, refused: true, message: words, code: String(inner.msg_code ?? "OP_FAILURE_UE") };
    }
    case "taobao.rp.returngoods.refuse":
      return isTrue(inner.result) ? null : { ok: false, refused: true, message: "拒绝退货未成功", code: "result_false" };
    case "taobao.refund.refuse":
    case "taobao.rp.returngoods.agree":
      return isTrue(inner.is_success) ? null : { ok: false, refused: true, message: `${method} 未成功`, code: "is_success_false" };
    default: {
      // tmall.exchange.*: result{success, msg_code, message}
      const result = inner.result as Record<string, unknown> | undefined;
      if (result && isTrue(result.success)) return null;
      if (!result) return { ok: false, refused: false, error: `${method}: no result` };
      return { ok: false, refused: true, message: topText(result.message) ?? `${method} 未成功`, code: topText(result.msg_code) ?? "success_false" };
    }
  }
}

/** Statuses past the seller's answer: a resend of the decision is not sent again. */
export function isTaobaoAlreadyAnswered(native: NativeRefund): boolean {
  return [
    "WAIT_BUYER_RETURN_GOODS",
    "SELLER_REFUSE_BUYER",
    "CLOSED",
    "SUCCESS",
    "WAIT_SELLER_CONSIGN_GOODS",
    "WAIT_BUYER_CONFIRM_EXCHANGE_SELLER_SEND_GOODS",
    "EXCHANGE_TRANSFORM_TO_REFUND",
  ].includes(native.status);
}
