import { createHash, randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { encryptWechat, signWechatMessage } from "@/lib/platforms/wechat";

// A fake WeChat 小店 (issue 11) for the simulator, unit tests and e2e: it sends channels_ec_aftersale_update pushes
// in plain or safe mode (AES + msg_signature) as WeChat does, serves getaftersaleorder, and checks acceptapply /
// rejectapply as the platform would (access_token, the after-sale's type and status, accept_type, reject_reason
// 1–500 characters and an integer reject_reason_type from its own ⚑ rejectreason list).

export type FakeWechatAftersale = {
  afterSaleOrderId: string;
  orderId: string;
  type: "REFUND" | "RETURN" | "EXCHANGE";
  status: string;
  reason: string;
  desc: string;
  title: string;
  amountFen: number;
  updateTimeS: number;
  /** Seconds left at update_time. */
  deadlineS: number;
};

export type FakeWechatOperation = { path: string; afterSaleOrderId: string; body: Record<string, unknown>; accepted: boolean; error?: string };

/** ⚑ The fake's /channels/ec/aftersale/rejectreason/get: reject_reason_type values it takes. */
const rejectReasonTypes = new Set([1, 2, 3, 99]);
const sha1 = (parts: string[]) => createHash("sha1").update([...parts].sort().join("")).digest("hex");
const fail = (errcode: number, errmsg: string) => ({ errcode, errmsg });

export class FakeWechat {
  readonly aftersales = new Map<string, FakeWechatAftersale>();
  readonly operations: FakeWechatOperation[] = [];
  readonly detailFetches: string[] = [];
  private nonce = 1320562453;

  constructor(readonly app: { token: string; aesKey: string; appId: string; accessToken: string }) {}

  addAftersale(values: Partial<FakeWechatAftersale> & { afterSaleOrderId: string }, nowS = Math.floor(Date.now() / 1000)): FakeWechatAftersale {
    const record: FakeWechatAftersale = {
      orderId: `37${values.afterSaleOrderId.slice(2)}`,
      type: "REFUND",
      status: "MERCHANT_PROCESSING",
      reason: "QUALITY_ISSUE",
      desc: "拉链坏了",
      title: "纯棉四件套 1.8m 床",
      amountFen: 12900,
      updateTimeS: nowS,
      deadlineS: 48 * 3600,
      ...values,
    };
    this.aftersales.set(record.afterSaleOrderId, record);
    return record;
  }

  /** The query and body of one push about `record` as it is now; `createTimeS` is what a redelivery repeats. */
  buildPush(record: FakeWechatAftersale, options: { isSafeMode?: boolean; createTimeS?: number } = {}): { query: string; body: string } {
    const createTimeS = options.createTimeS ?? record.updateTimeS;
    const event = `{"ToUserName":"gh_fake0wechat","FromUserName":"o-platform","CreateTime":${createTimeS},"MsgType":"event","Event":"channels_ec_aftersale_update","finder_shop_aftersale_status_update":{"status":"${record.status}","after_sale_order_id":"${record.afterSaleOrderId}","order_id":"${record.orderId}"}}`;
    const timestamp = String(createTimeS);
    const nonce = String(++this.nonce);
    const signature = sha1([this.app.token, timestamp, nonce]);
    const query = new URLSearchParams({ signature, timestamp, nonce });
    if (!options.isSafeMode) return { query: query.toString(), body: event };
    const encrypted = encryptWechat(this.app.aesKey, event, this.app.appId, randomBytes(16));
    query.set("encrypt_type", "aes");
    query.set("msg_signature", signWechatMessage(this.app.token, timestamp, nonce, encrypted));
    return { query: query.toString(), body: JSON.stringify({ ToUserName: "gh_fake0wechat", Encrypt: encrypted }) };
  }

  /** The GET WeChat sends when the push URL is saved: the desk must echo `echostr`. */
  buildUrlCheck(echostr: string, timestampS = Math.floor(Date.now() / 1000)): string {
    const timestamp = String(timestampS);
    const nonce = String(++this.nonce);
    return new URLSearchParams({ signature: sha1([this.app.token, timestamp, nonce]), timestamp, nonce, echostr }).toString();
  }

  /** One open-API call, answered as WeChat would. */
  handle(url: URL, text: string): unknown {
    if (url.searchParams.get("access_token") !== this.app.accessToken) return fail(40001, "invalid credential, access_token is invalid");
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return fail(47001, "data format error");
    }
    const id = typeof body.after_sale_order_id === "string" ? body.after_sale_order_id : "";
    const record = this.aftersales.get(id);
    if (url.pathname === "/channels/ec/aftersale/getaftersaleorder") {
      this.detailFetches.push(id);
      if (!record) return fail(10020001, "售后单不存在");
      return {
        errcode: 0,
        errmsg: "ok",
        after_sale_order: {
          after_sale_order_id: record.afterSaleOrderId,
          order_id: record.orderId,
          type: record.type,
          status: record.status,
          reason: record.reason,
          details: { desc: record.desc, receive_product: record.type !== "REFUND" },
          product_info: { product_id: "10000012345", sku_id: "20000012345", count: 1, title: record.title },
          refund_info: { amount: record.amountFen },
          update_time: record.updateTimeS,
          deadline: record.deadlineS,
        },
      };
    }
    if (url.pathname !== "/channels/ec/aftersale/acceptapply" && url.pathname !== "/channels/ec/aftersale/rejectapply") return fail(40066, "invalid url");
    const error = !record ? "售后单不存在" : url.pathname.endsWith("acceptapply") ? this.checkAccept(record, body) : this.checkReject(record, body);
    this.operations.push({ path: url.pathname, afterSaleOrderId: id, body, accepted: !error, ...(error ? { error } : {}) });
    if (error) return fail(10020002, error);
    record!.status = url.pathname.endsWith("rejectapply")
      ? record!.type === "REFUND" ? "MERCHANT_REJECT_REFUND" : "MERCHANT_REJECT_RETURN"
      : body.accept_type === 1 ? "USER_WAIT_RETURN" : "MERCHANT_REFUND_SUCCESS";
    record!.updateTimeS += 1;
    return { errcode: 0, errmsg: "ok" };
  }

  private checkAccept(record: FakeWechatAftersale, body: Record<string, unknown>): string | undefined {
    if (record.status === "MERCHANT_PROCESSING") {
      if (record.type === "REFUND") return body.accept_type === undefined ? undefined : "仅退款不需要 accept_type";
      if (body.accept_type !== 1) return "同意退货需要 accept_type=1";
      return typeof body.address_id === "string" && body.address_id ? undefined : "同意退货需要 address_id";
    }
    if (record.status === "MERCHANT_WAIT_RECEIPT") return body.accept_type === 2 ? undefined : "确认收货需要 accept_type=2";
    return `售后单状态 ${record.status} 不可同意`;
  }

  private checkReject(record: FakeWechatAftersale, body: Record<string, unknown>): string | undefined {
    if (record.status !== "MERCHANT_PROCESSING" && record.status !== "MERCHANT_WAIT_RECEIPT") return `售后单状态 ${record.status} 不可拒绝`;
    const reason = typeof body.reject_reason === "string" ? body.reject_reason : "";
    // NUMBERS.md §1e: WeChat evidence ≤ 500 characters
    if (reason.length < 1 || reason.length > 500) return "reject_reason 需要 1–500 字";
    if (typeof body.reject_reason_type !== "number" || !rejectReasonTypes.has(body.reject_reason_type)) return "reject_reason_type 无效";
    return Array.isArray(body.reject_certificates) ? undefined : "reject_certificates 须为数组";
  }

  /** An in-process fetch that answers like the HTTP server (for unit tests). */
  readonly fetch: typeof fetch = async (input, init) => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    return Response.json(this.handle(url, String(init?.body ?? "")));
  };

  listen(port = 0, host = "127.0.0.1"): Promise<{ server: http.Server; baseUrl: string }> {
    const server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        const answer = this.handle(new URL(request.url ?? "/", "http://fake"), Buffer.concat(chunks).toString("utf8"));
        response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer));
      });
    });
    return new Promise((resolve) => server.listen(port, host, () => resolve({ server, baseUrl: `http://${host}:${(server.address() as AddressInfo).port}` })));
  }
}
