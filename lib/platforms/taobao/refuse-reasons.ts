import { PlatformMessageError, toIdString } from "@/lib/platforms/common";
import { readTopList, readTopResponse, topText } from "@/lib/platforms/taobao/top-api";
import type { PlatformRejectReason } from "@/lib/platforms/types";

// The reasons Taobao/Tmall accept for a refusal (docs/platforms/taobao.md)

/** taobao.refund.refusereason.get's fields (bububa/opentaobao metadata/assets/json/tbrefund/taobao_refund_refusereason_get.json). */
export const taobaoRefuseReasonFields = "reason_id,reason_text,reason_tips";

/** `reasons.reason[]` → our list; on Tmall every reason needs proof (refund.refuse's refuse_proof is required there). */
export function parseTaobaoRefuseReasons(body: unknown, isTmall: boolean): PlatformRejectReason[] {
  const inner = readTopResponse(body, "taobao.refund.refusereason.get");
  return readTopList(inner.reasons, "reason").flatMap((reason) => {
    const id = reason.reason_id === undefined ? null : toIdString(reason.reason_id, "reason_id");
    const label = topText(reason.reason_text);
    return id && label ? [{ id, text: label.slice(0, 200), tips: topText(reason.reason_tips), isEvidenceRequired: isTmall }] : [];
  });
}

/** tmall.exchange.refusereason.get: `result.results.reason[]` (reason_id, reason_text); Tmall wants proof with each. */
export function parseTmallExchangeRefuseReasons(body: unknown): PlatformRejectReason[] {
  const result = readTopResponse(body, "tmall.exchange.refusereason.get").result as Record<string, unknown> | undefined;
  if (!result) throw new PlatformMessageError("tmall.exchange.refusereason.get: no result");
  const reasons = readTopList(result.results, "reason");
  if (reasons.length === 0 && (topText(result.error_code) || topText(result.exception))) {
    throw new PlatformMessageError(`tmall.exchange.refusereason.get: ${topText(result.error_msg) ?? topText(result.exception) ?? topText(result.error_code)}`);
  }
  return reasons.flatMap((reason) => {
    const id = reason.reason_id === undefined ? null : toIdString(reason.reason_id, "reason_id");
    const label = topText(reason.reason_text);
    return id && label ? [{ id, text: label.slice(0, 200), tips: null, isEvidenceRequired: true }] : [];
  });
}

/** tmall.exchange.refusereason.get's dispute_type: 1 售中, 2 售后, 0 any. */
export function getExchangeDisputeType(refundPhase: string | undefined): string {
  return refundPhase === "onsale" ? "1" : refundPhase === "aftersale" ? "2" : "0";
}
