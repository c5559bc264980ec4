import { douyinReasons } from "@/lib/platforms/reasons";
import { PlatformMessageError, platformEventId, rfc3339ToIso, toIdString, unixSecondsToIso } from "@/lib/platforms/common";
import { getDouyinOrderFacts, toWebhookOrderFacts } from "@/lib/platforms/douyin-order";
import type { MappedMessage, NativeRefund, OrderFacts } from "@/lib/platforms/types";
import type { WebhookEvent, WebhookOrder } from "@/lib/webhook/events";
import { asInt, asRecord, douyinArbitrateStatuses, douyinTags, getDouyinAftersaleId, getDouyinKind, isDouyinRefundTag, optionalInt, type DouyinPushMessage } from "@/lib/platforms/douyin/push";

// A push message (+ the after-sale's detail) → our events and the refund's native state (docs/platforms/douyin.md)

const eventTimeField: Partial<Record<number, string>> = {
  200: "apply_time",
  201: "agree_time",
  202: "agree_time",
  203: "return_time",
  204: "refuse_time",
  205: "refuse_time",
  206: "success_time",
  207: "close_time",
  208: "modify_time",
};

/** The parts of /afterSale/Detail we read (data.process_info.after_sale_info, arbitrate_info, data.order_info). */
export type DouyinDetail = {
  reason: string | null;
  reasonRemark: string | null;
  evidence: string[];
  statusDeadline: string | null;
  orderId: string | null;
  skuOrders: { skuOrderId: string; productName: string; payAmountFen: number }[];
};

export function parseDouyinDetail(response: unknown): DouyinDetail {
  const body = asRecord(response, "detail");
  if (body.code !== undefined && asInt(body.code, "code") !== 10000) throw new PlatformMessageError(`afterSale/Detail failed: ${String(body.msg ?? body.sub_msg)}`);
  const data = asRecord(body.data, "data");
  const process = asRecord(data.process_info, "data.process_info");
  const info = asRecord(process.after_sale_info, "data.process_info.after_sale_info");
  const order = data.order_info ? asRecord(data.order_info, "data.order_info") : {};
  const deadline = optionalInt(info.status_deadline, "status_deadline");
  const skuOrders = Array.isArray(order.sku_order_infos) ? order.sku_order_infos : [];
  return {
    reason: typeof info.reason === "string" && info.reason ? info.reason : null,
    reasonRemark: typeof info.reason_remark === "string" && info.reason_remark ? info.reason_remark : null,
    evidence: Array.isArray(info.evidence) ? info.evidence.filter((url): url is string => typeof url === "string" && /^https?:\/\//.test(url)) : [],
    statusDeadline: deadline && deadline > 0 ? unixSecondsToIso(deadline, "status_deadline") : null,
    orderId: order.shop_order_id === undefined ? null : toIdString(order.shop_order_id, "shop_order_id"),
    skuOrders: skuOrders.map((entry, index) => {
      const sku = asRecord(entry, `sku_order_infos[${index}]`);
      return {
        skuOrderId: toIdString(sku.sku_order_id, "sku_order_id"),
        productName: typeof sku.product_name === "string" && sku.product_name ? sku.product_name.slice(0, 200) : "抖店商品",
        payAmountFen: asInt(sku.pay_amount ?? 0, "pay_amount"),
      };
    }),
  };
}

function getReason(reasonCode: number | null, detail: DouyinDetail | null): { reasonCode: string; noReason: boolean } {
  const known = reasonCode === null ? undefined : douyinReasons[reasonCode];
  const code = known?.code ?? detail?.reason ?? (reasonCode === null ? "other" : `douyin_reason_${reasonCode}`);
  return { reasonCode: code.slice(0, 200), noReason: known?.noReason ?? false };
}

/** The native version is update_time; a message without it (209, some arbitration) only versions its event id. */
function getVersion(message: DouyinPushMessage): { version: string | null; eventKey: string; updateTime?: string } {
  const { data } = message;
  if (typeof data.update_time === "string") {
    const version = String(Date.parse(rfc3339ToIso(data.update_time, "data.update_time")) / 1000);
    return { version, eventKey: version, updateTime: data.update_time };
  }
  const timeField = eventTimeField[message.tag];
  const time = timeField ? optionalInt(data[timeField], `data.${timeField}`) : null;
  const deadline = optionalInt(data.status_deadline, "data.status_deadline");
  const arbitrate = optionalInt(data.arbitrate_status, "data.arbitrate_status");
  return { version: null, eventKey: String(time ?? deadline ?? `arb${arbitrate ?? 0}`) };
}

/** The push's s_id (the sku order the after-sale is about), null when the message carries none. */
export function getDouyinSkuOrderId(message: DouyinPushMessage): string | null {
  return message.data.s_id === undefined || message.data.s_id === null ? null : toIdString(message.data.s_id, "data.s_id");
}

/** Which order and sub-order a created message's facts are read for: the push's p_id and s_id, else the detail's. */
export function getDouyinOrderRef(
  message: DouyinPushMessage,
  detail: DouyinDetail,
): { orderId: string | null; aftersaleId: string; aftersaleType: number | null; skuOrderId: string | null } {
  const { data } = message;
  return {
    orderId: data.p_id === undefined || data.p_id === null ? detail.orderId : toIdString(data.p_id, "data.p_id"),
    aftersaleId: getDouyinAftersaleId(message),
    aftersaleType: optionalInt(data.aftersale_type, "data.aftersale_type"),
    skuOrderId: getDouyinSkuOrderId(message) ?? (detail.skuOrders.length === 1 ? detail.skuOrders[0].skuOrderId : null),
  };
}

/**
 * One push message (+ the detail when needsDouyinDetail) → our events and the refund's native state.
 * `receivedAt` dates only messages that carry no time of their own (209, arbitration). `facts` are the order's
 * facts from /order/orderDetail (douyin-order.ts); without them a created card says which facts are unknown,
 * using only what aftersale_type itself tells (未发货仅退款: not shipped).
 */
export function mapDouyinMessage(
  message: DouyinPushMessage,
  detail: DouyinDetail | null,
  options: { receivedAt: Date; facts?: OrderFacts },
): MappedMessage {
  const { tag, data } = message;
  if (!isDouyinRefundTag(tag)) return { events: [], native: null, note: `tag ${tag} is not an after-sales message` };
  const requestId = getDouyinAftersaleId(message);
  const status = optionalInt(data.aftersale_status, "data.aftersale_status");
  const aftersaleType = optionalInt(data.aftersale_type, "data.aftersale_type");
  const kind = aftersaleType === null ? null : getDouyinKind(aftersaleType);
  const { version, eventKey, updateTime } = getVersion(message);
  const timeField = eventTimeField[tag];
  const ownTime = timeField ? optionalInt(data[timeField], `data.${timeField}`) : null;
  const occurredAt = ownTime
    ? unixSecondsToIso(ownTime, `data.${timeField}`)
    : typeof data.update_time === "string"
      ? rfc3339ToIso(data.update_time, "data.update_time")
      : options.receivedAt.toISOString();
  const arbitrateStatus = optionalInt(data.arbitrate_status, "data.arbitrate_status");
  const amountFen = optionalInt(data.refund_amount, "data.refund_amount");
  const native: NativeRefund = {
    protocol: "douyin_push",
    refundId: requestId,
    orderId: data.p_id === undefined ? null : toIdString(data.p_id, "data.p_id"),
    status: status === null ? "" : String(status),
    platformType: aftersaleType === null ? "" : String(aftersaleType),
    kind,
    version: version ?? "",
    ...(version === null ? { isPartial: true } : {}),
    ...(updateTime ? { updateTime } : {}),
    ...(amountFen === null ? {} : { amountFen }),
    intervention: tag >= 212 && arbitrateStatus !== null ? (douyinArbitrateStatuses[arbitrateStatus] ?? String(arbitrateStatus)) : null,
  };
  if (aftersaleType !== null && kind === null) return { events: [], native: null, note: `aftersale_type ${aftersaleType} is not a request the seller decides` };
  const id = platformEventId("dy", requestId, status ?? "x", tag, eventKey);
  const reasonCode = optionalInt(data.reason_code, "data.reason_code");

  if (tag === 200) {
    if (!detail) throw new PlatformMessageError("RefundCreated needs the after-sales detail");
    if (kind === null || amountFen === null) throw new PlatformMessageError("RefundCreated lacks aftersale_type or refund_amount");
    const skuOrderId = getDouyinSkuOrderId(message);
    const sku = detail.skuOrders.find((candidate) => candidate.skuOrderId === skuOrderId) ?? detail.skuOrders[0];
    const facts =
      options.facts ??
      getDouyinOrderFacts({ aftersaleId: requestId, aftersaleType, skuOrderId: skuOrderId ?? sku?.skuOrderId ?? null, order: null, aftersales: null, categoryNames: null });
    const order: WebhookOrder = {
      orderId: native.orderId ?? detail.orderId ?? requestId,
      title: sku?.productName ?? facts.title ?? "抖店商品",
      amountFen: sku?.payAmountFen ?? facts.amountFen ?? amountFen,
      supportedKinds: [...new Set(["refund_only", "return_refund", kind === "entry_reopen" ? "refund_only" : kind] as const)],
      ...toWebhookOrderFacts(facts),
    };
    const reason = getReason(reasonCode, detail);
    const event: WebhookEvent = {
      id,
      type: "request.created",
      occurredAt,
      data: {
        requestId,
        kind,
        order,
        buyer: { id: `dy-${order.orderId}`, nick: "" },
        reasonCode: reason.reasonCode,
        ...(detail.reasonRemark || detail.reason ? { reasonText: (detail.reasonRemark ?? detail.reason ?? "").slice(0, 2000) } : {}),
        evidence: detail.evidence.slice(0, 50),
        amountFen,
        ...(detail.statusDeadline ? { platformDeadline: detail.statusDeadline } : {}),
      },
    };
    return { events: [event], native };
  }
  if (tag === 208) {
    const reason = getReason(reasonCode, detail);
    const event: WebhookEvent = {
      id,
      type: "request.updated",
      occurredAt,
      data: {
        requestId,
        ...(kind && kind !== "entry_reopen" ? { kind } : {}),
        ...(amountFen === null ? {} : { amountFen }),
        reasonCode: reason.reasonCode,
        ...(detail?.reasonRemark ? { reasonText: detail.reasonRemark.slice(0, 2000) } : {}),
        ...(detail ? { evidence: detail.evidence.slice(0, 50) } : {}),
      },
    };
    return { events: [event], native };
  }
  if (tag === 209) {
    const deadline = optionalInt(data.status_deadline, "data.status_deadline");
    if (!deadline) throw new PlatformMessageError("ExpirationChange lacks status_deadline");
    return { events: [{ id, type: "deadline.changed", occurredAt, data: { requestId, platformDeadline: unixSecondsToIso(deadline, "status_deadline") } }], native };
  }
  // Success or closed on the platform while the card is open: it leaves the inbox (a decided card stays decided)
  if (tag === 206 || tag === 207) return { events: [{ id, type: "request.cancelled", occurredAt, data: { requestId } }], native };
  // Agreed/refused/returned/exchange confirmed echo a decision or a later stage; arbitration is native state only
  return { events: [], native, note: `${douyinTags[tag as keyof typeof douyinTags]}: native state only` };
}
