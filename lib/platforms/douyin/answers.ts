import { rfc3339ToIso } from "@/lib/platforms/common";
import type { AnswerAction, AnswerDraft, AnswerProblem, AnswerTable, NativeRefund, NotOfferedReason } from "@/lib/platforms/types";
import { DouyinInt64, readDouyinResponse } from "@/lib/platforms/douyin/open-api";

// The answer table (docs/platforms/douyin.md "Answer table"): /afterSale/operate type codes, the checks before an
// answer, its parameters and reading its result

/**
 * aftersale_type → aftersale_status → the operate type for each desk decision (guide question-docs/93/2752;
 * docs/platforms/douyin.md "Answer table"). Codes the desk never sends: 121 退货转退款, 203 同意拒签后退款, 321 换货转退款
 * (no desk decision means them) and 311 换货二次同意 (it needs the reship's logistics).
 */
export const douyinOperateCodes: Readonly<Record<number, Readonly<Record<number, Partial<Record<"approve" | "reject", number>>>>>> = {
  0: { 6: { approve: 101, reject: 102 }, 11: { approve: 111, reject: 112 } },
  1: { 6: { approve: 201, reject: 202 } },
  2: { 6: { approve: 401 } },
  3: { 6: { approve: 301, reject: 302 }, 11: { reject: 312 } },
};

/** Operate types that agree a return or an exchange: the buyer is sent the shop's return address. */
const addressTypes = new Set([101, 301]);

export type DouyinOperate = { ok: true; type: number; needsReturnAddress: boolean } | { ok: false; reason: NotOfferedReason };

/** The operate type for a decision on the refund's native state, or why Douyin's API offers none. */
export function getDouyinOperate(native: Pick<NativeRefund, "platformType" | "status">, action: "approve" | "reject"): DouyinOperate {
  const type = Number(native.platformType);
  const status = Number(native.status);
  const byStatus = douyinOperateCodes[type];
  if (!byStatus) return { ok: false, reason: "no_api_for_kind" };
  const code = byStatus[status]?.[action];
  if (code) return { ok: true, type: code, needsReturnAddress: addressTypes.has(code) };
  if (type === 2 && action === "reject") return { ok: false, reason: "unshipped_refund_cannot_reject" };
  if (type === 3 && status === 11 && action === "approve") return { ok: false, reason: "needs_logistics" };
  return { ok: false, reason: "no_api_for_state" };
}

const douyinNoCounterOffer = { notOffered: "counter_offer_not_offered" } as const;

/** Per kind: refund_only is aftersale_type 1/2, return_refund 0, exchange 3 (补寄 7 is not offered), repair 8. */
export const douyinAnswerTable: AnswerTable = {
  refund_only: { approve: { apis: ["/afterSale/operate 201", "/afterSale/operate 401"] }, reject: { apis: ["/afterSale/operate 202"] }, counter_offer: douyinNoCounterOffer },
  return_refund: { approve: { apis: ["/afterSale/operate 101", "/afterSale/operate 111"] }, reject: { apis: ["/afterSale/operate 102", "/afterSale/operate 112"] }, counter_offer: douyinNoCounterOffer },
  exchange: { approve: { apis: ["/afterSale/operate 301"] }, reject: { apis: ["/afterSale/operate 302", "/afterSale/operate 312"] }, counter_offer: douyinNoCounterOffer },
  repair: { approve: { notOffered: "no_api_for_kind" }, reject: { notOffered: "no_api_for_kind" }, counter_offer: douyinNoCounterOffer },
  entry_reopen: { approve: { notOffered: "entry_reopen_in_backend" }, reject: { notOffered: "entry_reopen_in_backend" }, counter_offer: douyinNoCounterOffer },
};

/**
 * Our own bound on the rejection remark (`remark`, 操作评论): Douyin requires it on a refusal but no public
 * source states a maximum, so 1–200 characters (Unicode code points) is the desk's guard (docs: unverified).
 */
export const douyinRemarkChars = { min: 1, max: 200 } as const;

/** Images the platform takes as evidence type 1 (we re-encode them to JPEG before the upload). */
const proofImageTypes = /^image\/(jpeg|png|webp|gif|heic|heif)$/;

/** What Douyin would refuse in this answer: no operate code for the state, the remark, the reason, missing proof. */
export function checkDouyinAnswer(draft: AnswerDraft): AnswerProblem[] {
  const action: AnswerAction = draft.action;
  if (action === "counter_offer") return [{ code: "answer_not_offered", reason: "counter_offer_not_offered" }];
  if (draft.native) {
    const operate = getDouyinOperate(draft.native, action);
    if (!operate.ok) return [{ code: "answer_not_offered", reason: operate.reason }];
  }
  if (action !== "reject") return [];
  const problems: AnswerProblem[] = [];
  const chars = Array.from(draft.message.trim()).length;
  if (chars < douyinRemarkChars.min || chars > douyinRemarkChars.max) problems.push({ code: "message_length", min: douyinRemarkChars.min, max: douyinRemarkChars.max, chars });
  const reason = draft.reasons?.find((candidate) => candidate.id === draft.reasonCode);
  if (draft.reasons && !reason) problems.push({ code: "reason_not_platform", reasonCode: draft.reasonCode ?? "" });
  if (reason?.isEvidenceRequired && draft.proof.length === 0) problems.push({ code: "proof_required" });
  for (const file of draft.proof) if (!proofImageTypes.test(file.type)) problems.push({ code: "proof_type", fileName: file.name, type: file.type });
  return problems;
}

/** One rejection as /afterSale/operate takes it: the platform's reason code and text, our remark, evidence URLs. */
export type DouyinRejection = { reasonCode: string; reasonText: string; remark: string; evidence: { url: string; desc: string }[] };

/**
 * The param_json of one /afterSale/operate call. update_time is the refund's version in Unix seconds (an int64
 * in the API's item struct), so the platform refuses the answer if the buyer changed the request since.
 */
export function buildDouyinOperateParams(
  native: NativeRefund,
  type: number,
  options: { returnAddressId?: string; rejection?: DouyinRejection },
): Record<string, unknown> {
  const item: Record<string, unknown> = { aftersale_id: native.refundId };
  const updateTimeS = getDouyinUpdateTimeS(native);
  if (updateTimeS !== null) item.update_time = updateTimeS;
  if (addressTypes.has(type) && options.returnAddressId) item.logistics = { receiver_address_id: new DouyinInt64(options.returnAddressId) };
  if (options.rejection) {
    item.reject_reason_code = /^\d{1,15}$/.test(options.rejection.reasonCode) ? Number(options.rejection.reasonCode) : new DouyinInt64(options.rejection.reasonCode);
    item.reason = options.rejection.reasonText;
    item.remark = options.rejection.remark;
    if (options.rejection.evidence.length > 0) item.evidence = options.rejection.evidence.map((entry) => ({ type: 1, url: entry.url, desc: entry.desc }));
  }
  return { type, items: [item] };
}

/** The version the platform knows: the push's update_time in Unix seconds; null when no message carried one. */
export function getDouyinUpdateTimeS(native: NativeRefund): number | null {
  if (native.updateTime) return Math.floor(Date.parse(rfc3339ToIso(native.updateTime, "update_time")) / 1000);
  return !native.isPartial && /^\d+$/.test(native.version) ? Number(native.version) : null;
}

/**
 * /afterSale/operate answered: 10000 with every item's status_code 0 is success; a failed item or any refusing
 * code is the platform refusing; a transient code is retried.
 */
export function readDouyinOperateAnswer(body: unknown): { ok: true } | { ok: false; transient: boolean; code: string; message: string } {
  const result = readDouyinResponse(body);
  if (!result.ok) return result;
  const items = Array.isArray(result.data.items) ? (result.data.items as Record<string, unknown>[]) : [];
  const failed = items.find((item) => item && item.status_code !== undefined && Number(item.status_code) !== 0);
  if (failed) return { ok: false, transient: false, code: String(failed.status_code), message: String(failed.status_msg ?? "售后操作失败").slice(0, 300) };
  return { ok: true };
}

/** Statuses after the seller's first answer: the decision is already on the platform, so a resend is skipped. */
export function isDouyinAlreadyAnswered(native: NativeRefund): boolean {
  return ["7", "8", "12", "13", "14", "27", "28", "29"].includes(native.status);
}
