import http from "node:http";
import type { AddressInfo } from "node:net";
import { signDouyinApi, signDouyinPush } from "@/lib/platforms/douyin";

// A fake 抖店 (issue 11) for the simulator, unit tests and e2e: it sends pushes signed as Douyin does, serves
// /afterSale/Detail with ids as raw 19-digit JSON numbers, and checks /afterSale/operate as the platform would
// (signature, type code for the after-sale's type and status, reject reason code, remark, evidence, update_time).
// Its own tables below are written from the guide [8] independently of the adapter, so a wrong code is refused.

export type FakeAftersale = {
  aftersaleId: string;
  orderId: string;
  skuOrderId: string;
  status: number;
  type: number;
  reasonCode: number;
  reason: string;
  remark: string;
  evidence: string[];
  productName: string;
  payAmountFen: number;
  refundAmountFen: number;
  applyTimeS: number;
  updateTimeS: number;
  statusDeadlineS: number;
  /** arbitrate_status carried by the 212–218 arbitration pushes (1 客服处理中 unless set). */
  arbitrateStatus?: number;
};

export type FakeOperation = { type: number; aftersaleId: string; item: Record<string, unknown>; accepted: boolean; error?: string };

/** [aftersale_type:status] → the operate codes the platform takes there (guide [8]). */
const allowedCodes: Record<string, number[]> = {
  "0:6": [101, 102],
  "0:11": [111, 112],
  "1:6": [201, 202],
  "2:6": [401],
  "3:6": [301, 302],
  "3:11": [311, 312],
};
const refuseCodes = new Set([102, 112, 202, 302, 312]);
const statusAfter: Record<number, number> = { 101: 7, 102: 27, 111: 12, 112: 29, 201: 12, 202: 27, 301: 8, 302: 27, 311: 13, 312: 29, 401: 12 };
/** ⚑ The fake's /afterSale/rejectReasonCodeList: code → evidence_need. */
export const fakeRejectReasons: Record<number, { reason: string; evidenceNeed: boolean }> = {
  1: { reason: "商品已使用，影响二次销售", evidenceNeed: false },
  2: { reason: "商品无质量问题", evidenceNeed: false },
  3: { reason: "已超出售后期", evidenceNeed: false },
  4: { reason: "已与买家协商一致", evidenceNeed: false },
  5: { reason: "未收到退货", evidenceNeed: false },
  6: { reason: "退款金额不符", evidenceNeed: false },
  7: { reason: "生鲜不支持无理由", evidenceNeed: false },
  8: { reason: "其他", evidenceNeed: true },
};

const rfc3339 = (seconds: number) => `${new Date((seconds + 8 * 3600) * 1000).toISOString().slice(0, 19)}+08:00`;
const ok = (data: unknown = {}) => ({ code: 10000, msg: "success", data });
const refuse = (subMsg: string) => ({ code: 50002, msg: "业务处理失败", sub_code: "isv.business-failed", sub_msg: subMsg });

export class FakeDouyin {
  readonly aftersales = new Map<string, FakeAftersale>();
  readonly operations: FakeOperation[] = [];
  readonly detailFetches: string[] = [];
  /** When set, /afterSale/operate answers with this business error (code ≠ 10000) and changes nothing. */
  operateRefusal: { code: number; msg: string; sub_msg: string } | null = null;
  private sequence = 0;

  constructor(readonly app: { appKey: string; appSecret: string; shopId: string }) {}

  addAftersale(values: Partial<FakeAftersale> & { aftersaleId: string }, nowS = Math.floor(Date.now() / 1000)): FakeAftersale {
    const record: FakeAftersale = {
      orderId: `69${values.aftersaleId.slice(2)}`,
      skuOrderId: `68${values.aftersaleId.slice(2)}`,
      status: 6,
      type: 1,
      reasonCode: 7,
      reason: "商品瑕疵",
      remark: "收到时有破损",
      evidence: [],
      productName: "赣南脐橙 5斤装",
      payAmountFen: 3990,
      refundAmountFen: 3990,
      applyTimeS: nowS,
      updateTimeS: nowS,
      statusDeadlineS: nowS + 48 * 3600,
      ...values,
    };
    this.aftersales.set(record.aftersaleId, record);
    return record;
  }

  /** The raw push body and headers for one message about `record` (ids as raw JSON numbers, data a JSON string). */
  buildPush(tag: number, record: FakeAftersale, msgId = `73${Date.now()}${++this.sequence}`.slice(0, 19)) {
    const timeField: Record<number, string> = { 200: "apply_time", 201: "agree_time", 204: "refuse_time", 206: "success_time", 207: "close_time", 208: "modify_time" };
    const arbitrate = tag >= 212 ? `"arbitrate_id":79${record.aftersaleId.slice(2)},"arbitrate_status":${record.arbitrateStatus ?? 1},` : "";
    const extra = tag === 209 ? `"status_deadline":${record.statusDeadlineS}` : `${arbitrate}"${timeField[tag] ?? "apply_time"}":${record.updateTimeS},"update_time":"${rfc3339(record.updateTimeS)}"`;
    const data = `{"aftersale_id":${record.aftersaleId},"aftersale_status":${record.status},"aftersale_type":${record.type},"p_id":${record.orderId},"reason_code":${record.reasonCode},"refund_amount":${record.refundAmountFen},"refund_post_amount":0,"refund_voucher_num":0,"s_id":${record.skuOrderId},"shop_id":${this.app.shopId},${extra}}`;
    const body = JSON.stringify([{ tag: String(tag), msg_id: msgId, data }]);
    const headers = { "content-type": "application/json", "app-id": this.app.appKey, "event-sign": signDouyinPush(this.app.appKey, body, this.app.appSecret) };
    return { body, headers, msgId };
  }

  /** One open-API request, answered as Douyin would. */
  handle(url: URL, body: string): unknown {
    const method = url.pathname.replace(/^\//, "").replaceAll("/", ".");
    const timestamp = Number(url.searchParams.get("timestamp"));
    const expected = signDouyinApi(this.app.appKey, this.app.appSecret, method, timestamp, body);
    if (url.searchParams.get("app_key") !== this.app.appKey || url.searchParams.get("method") !== method || url.searchParams.get("sign") !== expected) {
      return { code: 30002, msg: "签名校验失败", sub_code: "isv.sign-invalid" };
    }
    let params: Record<string, unknown>;
    try {
      params = JSON.parse(body) as Record<string, unknown>;
    } catch {
      return refuse("param_json 不是 JSON");
    }
    if (method === "afterSale.Detail") return this.detail(String(params.after_sale_id));
    if (method === "afterSale.operate") return this.operate(params);
    return { code: 40004, msg: "方法不存在" };
  }

  private detail(aftersaleId: string): unknown {
    this.detailFetches.push(aftersaleId);
    const record = this.aftersales.get(aftersaleId);
    if (!record) return refuse("售后单不存在");
    // Serialized by hand so the ids stay raw 19-digit JSON numbers, as Douyin sends them
    return {
      raw: `{"code":10000,"msg":"success","data":{"process_info":{"after_sale_info":{"after_sale_id":${record.aftersaleId},"after_sale_status":${record.status},"after_sale_type":${record.type},"reason":${JSON.stringify(record.reason)},"reason_code":${record.reasonCode},"reason_remark":${JSON.stringify(record.remark)},"evidence":${JSON.stringify(record.evidence)},"refund_total_amount":${record.refundAmountFen},"apply_time":${record.applyTimeS},"update_time":${record.updateTimeS},"status_deadline":${record.statusDeadlineS}},"arbitrate_info":{"arbitrate_status":0}},"order_info":{"shop_order_id":${record.orderId},"sku_order_infos":[{"sku_order_id":${record.skuOrderId},"pay_amount":${record.payAmountFen},"product_name":${JSON.stringify(record.productName)}}]}}}`,
    };
  }

  private operate(params: Record<string, unknown>): unknown {
    const type = Number(params.type);
    const items = Array.isArray(params.items) ? (params.items as Record<string, unknown>[]) : [];
    if (items.length < 1 || items.length > 20) return refuse("items 需要 1–20 条");
    if (this.operateRefusal) {
      for (const item of items) this.operations.push({ type, aftersaleId: String(item.aftersale_id), item, accepted: false, error: this.operateRefusal.sub_msg });
      return { ...this.operateRefusal };
    }
    for (const item of items) {
      const aftersaleId = String(item.aftersale_id);
      const record = this.aftersales.get(aftersaleId);
      const error = this.checkItem(type, item, record);
      this.operations.push({ type, aftersaleId, item, accepted: !error, ...(error ? { error } : {}) });
      if (error) return refuse(error);
      record!.status = statusAfter[type];
      record!.updateTimeS += 1;
    }
    return ok({ items: items.map((item) => ({ aftersale_id: item.aftersale_id, status_code: 0, status_msg: "success" })) });
  }

  private checkItem(type: number, item: Record<string, unknown>, record: FakeAftersale | undefined): string | undefined {
    if (typeof item.aftersale_id !== "string" && typeof item.aftersale_id !== "number") return "aftersale_id 缺失";
    if (!record) return "售后单不存在";
    if (!(allowedCodes[`${record.type}:${record.status}`] ?? []).includes(type)) return `售后状态已变更或操作类型 ${type} 不适用（type ${record.type}, status ${record.status}）`;
    if (item.update_time !== undefined && item.update_time !== rfc3339(record.updateTimeS)) return "售后单已更新，请刷新后重试";
    if (type === 101 && !(item.logistics as { receiver_address_id?: unknown } | undefined)?.receiver_address_id) return "同意退货需要退货地址";
    if (refuseCodes.has(type)) {
      const reason = fakeRejectReasons[Number(item.reject_reason_code)];
      if (!reason) return "reject_reason_code 无效";
      if (typeof item.reason !== "string" || !item.reason) return "拒绝需要 reason";
      if (typeof item.remark !== "string" || item.remark.length < 1) return "拒绝需要 remark";
      if (reason.evidenceNeed && !(Array.isArray(item.evidence) && item.evidence.length > 0)) return "该拒绝原因需要上传凭证";
    }
    return undefined;
  }

  /** An in-process fetch that answers like the HTTP server (for unit tests). */
  readonly fetch: typeof fetch = async (input, init) => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    return toResponse(this.handle(url, String(init?.body ?? "")));
  };

  listen(port = 0, host = "127.0.0.1"): Promise<{ server: http.Server; baseUrl: string }> {
    const server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        const answer = this.handle(new URL(request.url ?? "/", "http://fake"), Buffer.concat(chunks).toString("utf8"));
        response.writeHead(200, { "content-type": "application/json" }).end(serialize(answer));
      });
    });
    return new Promise((resolve) => server.listen(port, host, () => resolve({ server, baseUrl: `http://${host}:${(server.address() as AddressInfo).port}` })));
  }
}

function serialize(answer: unknown): string {
  return typeof answer === "object" && answer !== null && "raw" in answer ? String((answer as { raw: string }).raw) : JSON.stringify(answer);
}

function toResponse(answer: unknown): Response {
  return new Response(serialize(answer), { status: 200, headers: { "content-type": "application/json" } });
}
