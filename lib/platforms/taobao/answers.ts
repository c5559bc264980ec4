import { PlatformMessageError, toIdString } from "@/lib/platforms/common";
import { readTopList, readTopResponse, topText } from "@/lib/platforms/taobao/top-api";
import type { AnswerAction, AnswerDraft, AnswerProblem, AnswerTable, NativeRefund, NotOfferedReason, OutboundDecision } from "@/lib/platforms/types";

// The answer table (docs/platforms/taobao.md "Answers"): which TOP method answers a card, its parameters and the checks before it

export type TaobaoAnswerMethod =
  | "taobao.rp.refunds.agree"
  | "taobao.refund.refuse"
  | "taobao.rp.returngoods.agree"
  | "taobao.rp.returngoods.refuse"
  | "tmall.exchange.agree"
  | "tmall.exchange.refuse"
  | "tmall.exchange.returngoods.agree"
  | "tmall.exchange.returngoods.refuse";

const noCounterOffer = { notOffered: "counter_offer_not_offered" } as const;
const noKind = { approve: { notOffered: "no_api_for_kind" }, reject: { notOffered: "no_api_for_kind" }, counter_offer: noCounterOffer } as const;
const entryReopen = { approve: { notOffered: "entry_reopen_in_backend" }, reject: { notOffered: "entry_reopen_in_backend" }, counter_offer: noCounterOffer } as const;

/** Taobao (集市): refunds and returns only; 换货/维修 have no open API, nor does a counter-offer or re-opening the entry. */
export const taobaoAnswerTable: AnswerTable = {
  refund_only: { approve: { apis: ["taobao.rp.refunds.agree"] }, reject: { apis: ["taobao.refund.refuse"] }, counter_offer: noCounterOffer },
  return_refund: { approve: { apis: ["taobao.rp.returngoods.agree", "taobao.rp.refunds.agree"] }, reject: { apis: ["taobao.refund.refuse"] }, counter_offer: noCounterOffer },
  exchange: noKind,
  repair: noKind,
  entry_reopen: entryReopen,
};

/** Tmall adds 拒绝退货 (rp.returngoods.refuse) and the tmall.exchange.* answers for 天猫换货. */
export const tmallAnswerTable: AnswerTable = {
  ...taobaoAnswerTable,
  return_refund: { approve: { apis: ["taobao.rp.returngoods.agree", "taobao.rp.refunds.agree"] }, reject: { apis: ["taobao.refund.refuse", "taobao.rp.returngoods.refuse"] }, counter_offer: noCounterOffer },
  exchange: { approve: { apis: ["tmall.exchange.agree", "tmall.exchange.returngoods.agree"] }, reject: { apis: ["tmall.exchange.refuse", "tmall.exchange.returngoods.refuse"] }, counter_offer: noCounterOffer },
};

/** refund.refuse's refuse_proof: at most 130,000 bytes, GIF/JPG/PNG (taobao_refund_refuse.json). */
export const maxRefuseProofBytes = 130_000;
/** rp.returngoods.refuse's refuse_proof: "不能超过5M", read as 5,000,000 bytes (the smaller reading). */
export const maxReturnGoodsProofBytes = 5_000_000;
/** tmall.exchange.* leave_message_pics: no documented limit ⚑, so the strictest Taobao limit is used. */
const maxExchangeProofBytes = maxRefuseProofBytes;

export type TaobaoProofSlot = { field: "refuse_proof" | "leave_message_pics"; maxBytes: number; isRequired: boolean };

export type TaobaoAnswerRoute =
  | { ok: true; method: TaobaoAnswerMethod; proof: TaobaoProofSlot | null; needsAddress: boolean }
  | { ok: false; notOffered: NotOfferedReason };

/** Waiting for the seller's first answer; the buyer has sent the goods back (second-stage answers). Exchange states
 * as tmall.exchange.get numbers them (1 换货待处理, 3 买家已退货待收货) are accepted too. */
const firstStage = new Set(["WAIT_SELLER_AGREE", "1"]);
const returnedStage = new Set(["WAIT_SELLER_CONFIRM_GOODS", "3"]);

/** Which API answers this refund in its current state, or why none does (the cell of the answer table, refined by state). */
export function routeTaobaoAnswer(native: Pick<NativeRefund, "kind" | "status" | "platformType">, action: AnswerAction, isTmall: boolean): TaobaoAnswerRoute {
  const kind = native.kind;
  if (!kind) return { ok: false, notOffered: "no_api_for_kind" };
  const cell = (isTmall ? tmallAnswerTable : taobaoAnswerTable)[kind][action];
  if ("notOffered" in cell) return { ok: false, notOffered: cell.notOffered };
  const isFirst = firstStage.has(native.status);
  const isReturned = returnedStage.has(native.status);
  const refuseProof = (isRequired: boolean): TaobaoProofSlot => ({ field: "refuse_proof", maxBytes: maxRefuseProofBytes, isRequired });
  const exchangeProof: TaobaoProofSlot = { field: "leave_message_pics", maxBytes: maxExchangeProofBytes, isRequired: true };
  const route = (method: TaobaoAnswerMethod, proof: TaobaoProofSlot | null = null, needsAddress = false): TaobaoAnswerRoute => ({ ok: true, method, proof, needsAddress });
  switch (kind) {
    case "refund_only":
      if (!isFirst) break;
      return action === "approve" ? route("taobao.rp.refunds.agree") : route("taobao.refund.refuse", refuseProof(isTmall));
    case "return_refund":
      if (isFirst) return action === "approve" ? route("taobao.rp.returngoods.agree", null, true) : route("taobao.refund.refuse", refuseProof(isTmall));
      if (!isReturned) break;
      if (action === "approve") return route("taobao.rp.refunds.agree");
      return isTmall ? route("taobao.rp.returngoods.refuse", { field: "refuse_proof", maxBytes: maxReturnGoodsProofBytes, isRequired: true }) : route("taobao.refund.refuse", refuseProof(false));
    case "exchange":
      // Only a 天猫换货 has an API; 淘宝换货 and 补寄 (also our "exchange") do not
      if (native.platformType !== "TMALL_EXCHANGE") return { ok: false, notOffered: "no_api_for_kind" };
      if (isFirst) return action === "approve" ? route("tmall.exchange.agree", null, true) : route("tmall.exchange.refuse", exchangeProof);
      if (isReturned) return action === "approve" ? route("tmall.exchange.returngoods.agree") : route("tmall.exchange.returngoods.refuse", exchangeProof);
      break;
    default:
      return { ok: false, notOffered: "no_api_for_kind" };
  }
  return { ok: false, notOffered: "no_api_for_state" };
}

/** A seller address from taobao.logistics.address.search (the address library; contact_id is the address id). */
export type TaobaoAddress = { contactId: string; name: string; province: string; city: string; district: string; addr: string; zip: string; phone: string; mobile: string; isReturnDefault: boolean };

export function parseTaobaoAddresses(body: unknown): TaobaoAddress[] {
  const inner = readTopResponse(body, "taobao.logistics.address.search");
  return readTopList(inner.addresses, "address_result").flatMap((entry) => {
    if (entry.contact_id === undefined) return [];
    return [
      {
        contactId: toIdString(entry.contact_id, "contact_id"),
        name: topText(entry.contact_name) ?? "",
        province: topText(entry.province) ?? "",
        city: topText(entry.city) ?? "",
        district: topText(entry.country) ?? "",
        addr: topText(entry.addr) ?? "",
        zip: topText(entry.zip_code) ?? "",
        phone: topText(entry.phone) ?? "",
        mobile: topText(entry.mobile_phone) ?? "",
        isReturnDefault: entry.cancel_def === true || entry.cancel_def === "true",
      },
    ];
  });
}

/** The configured address, else the library's 默认退货地址 (cancel_def), else null. */
export function pickReturnAddress(addresses: readonly TaobaoAddress[], configuredId: string | undefined): TaobaoAddress | null {
  if (configuredId) return addresses.find((address) => address.contactId === configuredId) ?? null;
  return addresses.find((address) => address.isReturnDefault) ?? null;
}

/** What TOP counts as refuse_message's length (docs/platforms/taobao.md): code points for the minimum, UTF-16 units for the maximum. */
export function measureRefuseMessage(message: string | undefined): { chars: number; ok: boolean } {
  const trimmed = message?.trim() ?? "";
  const codePoints = [...trimmed].length;
  const units = trimmed.length;
  if (codePoints < 2) return { chars: codePoints, ok: false };
  return { chars: units, ok: units <= 200 };
}

/** Our remark when agreeing a Tmall return without a message of the agent's (remark is required on Tmall). */
export const defaultReturnRemark = "同意退货，请按售后地址寄回商品并填写物流单号。";

const exchangeFields = "dispute_id,bizorder_id,modified,status";

export type TaobaoAnswerContext = {
  isTmall: boolean;
  /** The platform reason id (the decision's reasonCode), required for every refusal. */
  reasonId: string | null;
  address: TaobaoAddress | null;
  /** When the seller address is configured and the API needs only its id. */
  addressId: string | null;
};

/** The parameters of one answer call (the proof file is attached by the caller). Throws when a required value is missing. */
export function buildTaobaoAnswerParams(method: TaobaoAnswerMethod, native: NativeRefund, decision: OutboundDecision, context: TaobaoAnswerContext): Record<string, string> {
  const { isTmall } = context;
  const phase = native.refundPhase;
  if (isTmall && !phase && method.startsWith("taobao.")) throw new PlatformMessageError(`${method}: refund_phase is required on Tmall and unknown for refund ${native.refundId}`);
  const tmallExtras: Record<string, string> = isTmall && phase ? { refund_phase: phase, refund_version: native.version } : {};
  const message = decision.message?.trim() ?? "";
  const reasonId = () => {
    if (!context.reasonId) throw new PlatformMessageError(`${method}: no platform reason id`);
    return context.reasonId;
  };
  const addressId = () => {
    const id = context.addressId ?? context.address?.contactId;
    if (!id) throw new PlatformMessageError(`${method}: no seller return address`);
    return id;
  };
  switch (method) {
    case "taobao.rp.refunds.agree": {
      const amountFen = native.amountFen ?? decision.amountFen;
      const [refundInfos] = batchRefundInfos([{ refundId: native.refundId, amountFen, version: native.version, phase: phase ?? "" }], isTmall);
      return { refund_infos: refundInfos };
    }
    case "taobao.refund.refuse":
      return { refund_id: native.refundId, refuse_message: message, refuse_reason_id: reasonId(), ...tmallExtras };
    case "taobao.rp.returngoods.agree": {
      if (isTmall) return { refund_id: native.refundId, seller_address_id: addressId(), ...tmallExtras, remark: (message || defaultReturnRemark).slice(0, 200) };
      const address = context.address;
      if (!address) throw new PlatformMessageError(`${method}: Taobao needs the return address's name, address, post and phone`);
      const full = `${address.province}${address.city}${address.district}${address.addr}`;
      return Object.fromEntries(
        Object.entries({ refund_id: native.refundId, seller_address_id: address.contactId, name: address.name, address: full, post: address.zip, tel: address.phone, mobile: address.mobile }).filter(([, value]) => value !== ""),
      );
    }
    case "taobao.rp.returngoods.refuse":
      return { refund_id: native.refundId, refund_phase: phase ?? "", refund_version: native.version, refuse_reason_id: reasonId() };
    case "tmall.exchange.agree":
      return { dispute_id: native.refundId, address_id: addressId(), fields: exchangeFields, ...(message ? { leave_message: message } : {}) };
    case "tmall.exchange.returngoods.agree":
      return { dispute_id: native.refundId, fields: exchangeFields };
    case "tmall.exchange.refuse":
      return { dispute_id: native.refundId, seller_refuse_reason_id: reasonId(), fields: exchangeFields, ...(message ? { leave_message: message } : {}) };
    case "tmall.exchange.returngoods.refuse":
      return { dispute_id: native.refundId, seller_refuse_reason_id: reasonId(), ...(message ? { leave_message: message } : {}) };
  }
}

export type RefundInfo = { refundId: string; amountFen: number; version: string; phase: string };

/** rp.refunds.agree batches: ≤20 refunds and ¥6,000 (Taobao) or ≤30 and ¥10,000 (Tmall) per call; phase only when known. */
export function batchRefundInfos(items: readonly RefundInfo[], isTmall: boolean): string[] {
  const maxCount = isTmall ? 30 : 20;
  const maxFen = isTmall ? 1_000_000 : 600_000;
  const batches: RefundInfo[][] = [];
  for (const item of items) {
    if (item.amountFen > maxFen) throw new PlatformMessageError(`Refund ${item.refundId} is over the batch limit; agree it alone in the seller backend`);
    const current = batches.at(-1);
    const total = current?.reduce((sum, entry) => sum + entry.amountFen, 0) ?? 0;
    if (current && current.length < maxCount && total + item.amountFen <= maxFen) current.push(item);
    else batches.push([item]);
  }
  return batches.map((batch) => batch.map((item) => [item.refundId, item.amountFen, item.version, ...(item.phase ? [item.phase] : [])].join("|")).join(","));
}

/** Types the desk converts to JPEG for TOP (sharp reads them); GIF/JPG/PNG is what TOP takes after conversion. */
export const convertibleProofTypes = ["image/jpeg", "image/png", "image/gif", "image/webp", "image/avif", "image/tiff"] as const;

/** What Taobao/Tmall would refuse in this answer (docs/platforms/taobao.md "Checks before an answer"). */
export function checkTaobaoAnswer(draft: AnswerDraft, options: { isTmall: boolean }): AnswerProblem[] {
  const route = draft.native ? routeTaobaoAnswer({ ...draft.native, kind: draft.native.kind ?? draft.kind }, draft.action, options.isTmall) : null;
  if (route && !route.ok) return [{ code: "answer_not_offered", reason: route.notOffered }];
  if (draft.action !== "reject") return [];
  const problems: AnswerProblem[] = [];
  const measured = measureRefuseMessage(draft.message);
  if (!measured.ok) problems.push({ code: "message_length", min: 2, max: 200, chars: measured.chars });
  const isProofRequired = route?.ok ? route.proof?.isRequired === true : options.isTmall;
  if (isProofRequired && draft.proof.length === 0) problems.push({ code: "proof_required" });
  // Each API takes one image (the profile allows one, lib/policy/profiles.ts); it is converted, so any type sharp reads will do
  const [first] = draft.proof;
  if (first && !(convertibleProofTypes as readonly string[]).includes(first.type.toLowerCase())) problems.push({ code: "proof_type", fileName: first.name, type: first.type });
  if (!draft.reasonCode) problems.push({ code: "reason_not_platform", reasonCode: "" });
  else if (draft.reasons && !draft.reasons.some((reason) => reason.id === draft.reasonCode)) problems.push({ code: "reason_not_platform", reasonCode: draft.reasonCode });
  return problems;
}
