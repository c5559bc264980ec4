import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

// A fake WeChat 小店 for the simulator, unit tests and e2e, written apart from the desk's adapter (it imports nothing
// from lib/platforms or app/_server/platforms): its own msg_signature and AES-CBC code from WeChat's 消息加解密
// description, and answers shaped like WeChat's documented ones (docs/platforms/wechat.md has the sources).
// It pushes channels_ec_aftersale_update in plain or safe mode and serves getaftersaleorder, order/get, product/get,
// category/detail, rejectreason/get, basics/img/upload (multipart, size and type checked), acceptapply, rejectapply,
// acceptexchangereship, rejectexchangereship and stable_token. `failNext` answers the next call with an errcode.
// Values marked ⚑ are the fake's own (no public source gives them).

/** RESHIP (补寄) is a WeChat type the desk has no kind for and no answer to (its answer-table cells are not offered). */
export type FakeWechatType = "REFUND" | "RETURN" | "EXCHANGE" | "RESHIP";

export type FakeWechatAftersale = {
  afterSaleOrderId: string;
  orderId: string;
  type: FakeWechatType;
  status: string;
  reason: string;
  reasonText: string;
  desc: string;
  amountFen: number;
  productId: string;
  skuId: string;
  /** The buyer's images (media ids). */
  mediaIds: string[];
  updateTimeS: number;
  /** Seconds left to act, as the detail reports them. */
  deadlineS: number;
  /** The product's title on the order this fake creates for the after-sale (order/get product_infos[].title). */
  title?: string;
};

export type FakeWechatOrder = {
  orderId: string;
  /** 10 待付款, 20 待发货, 21 部分发货, 30 待收货, 100 完成, 200/250 取消. */
  status: number;
  productId: string;
  skuId: string;
  title: string;
  orderPriceFen: number;
  /** The parcel holding the line (delivery_product_info[].delivery_time), null when not shipped. */
  deliveryTimeS: number | null;
  shipDoneTimeS: number | null;
  /** ext_info.confirm_receipt_time, null before 确认收货. */
  confirmReceiptTimeS: number | null;
  /** aftersale_detail.aftersale_order_list, null to leave aftersale_detail out. */
  aftersaleIds: string[] | null;
};

export type FakeWechatRejectReason = { type: number; text: string; defaultText: string; scene: number };

export type FakeWechatOperation = { path: string; afterSaleOrderId: string; body: Record<string, unknown>; accepted: boolean; error?: string };

export type FakeWechatUpload = { mediaId: string; bytes: number; mimeType: string; width: number; height: number };

export type FakeWechatApp = { token: string; aesKey: string; appId: string; accessToken: string; appSecret?: string };

type Answer = { status: number; body: unknown };

/** WeChat's documented image limit for resp_type=0 uploads: 2 MB. */
const maxUploadBytes = 2 * 1024 * 1024;

/** Reasons as rejectreason/get answers them: types 6/4/1 (scene 1) are WeChat's documented sample, the rest ⚑. */
export const fakeWechatRejectReasons: FakeWechatRejectReason[] = [
  { type: 6, text: "买家误操作/已协商取消申请", defaultText: "亲，真是抱歉给您带来麻烦了，这次售后我先帮您取消。", scene: 1 },
  { type: 4, text: "包裹在买家发起售后时已完成发货/揽收", defaultText: "亲，您购买的商品已经在运输途中了，麻烦您收到货时重新发起售后。", scene: 1 },
  { type: 1, text: "已在约定时间发货且物流运输正常", defaultText: "亲，您购买的商品本店已在约定时间内完成发货了。", scene: 1 },
  { type: 20, text: "买家寄回商品影响二次销售", defaultText: "亲，您的退货我们已经收到，但是商品已经影响了二次销售。", scene: 4 },
  { type: 16, text: "商品未存在问题", defaultText: "亲，根据您的反馈没有看到商品存在质量问题。", scene: 4 },
  { type: 31, text: "换货商品已影响二次销售", defaultText: "亲，您申请换货的商品已影响二次销售。", scene: 5 },
  { type: 32, text: "寄回商品与发出商品不一致", defaultText: "亲，您寄回的商品与我们发出的不一致。", scene: 6 },
];

const sha1Sorted = (parts: string[]) => createHash("sha1").update([...parts].sort().join("")).digest("hex");
const fail = (errcode: number, errmsg: string) => ({ errcode, errmsg });

/** WeChat's safe-mode encryption: AES-256-CBC with key = base64(EncodingAESKey + "="), IV = its first 16 bytes. */
export function fakeWechatEncrypt(encodingAesKey: string, message: string, appId: string, random16: Buffer): string {
  const key = Buffer.from(`${encodingAesKey}=`, "base64");
  const text = Buffer.from(message, "utf8");
  const size = Buffer.alloc(4);
  size.writeUInt32BE(text.length, 0);
  const plain = Buffer.concat([random16, size, text, Buffer.from(appId, "utf8")]);
  // PKCS#7 padding to 32-byte blocks
  const padLength = 32 - (plain.length % 32);
  const cipher = createCipheriv("aes-256-cbc", key, key.subarray(0, 16)).setAutoPadding(false);
  return Buffer.concat([cipher.update(Buffer.concat([plain, Buffer.alloc(padLength, padLength)])), cipher.final()]).toString("base64");
}

/** The reverse, for checking the fake against WeChat's published sample. */
export function fakeWechatDecrypt(encodingAesKey: string, encrypted: string): { message: string; appId: string } {
  const key = Buffer.from(`${encodingAesKey}=`, "base64");
  const decipher = createDecipheriv("aes-256-cbc", key, key.subarray(0, 16)).setAutoPadding(false);
  const plain = Buffer.concat([decipher.update(Buffer.from(encrypted, "base64")), decipher.final()]);
  const unpadded = plain.subarray(0, plain.length - plain[plain.length - 1]);
  const size = unpadded.readUInt32BE(16);
  return { message: unpadded.subarray(20, 20 + size).toString("utf8"), appId: unpadded.subarray(20 + size).toString("utf8") };
}

export const fakeWechatMsgSignature = (token: string, timestamp: string, nonce: string, encrypted: string) => sha1Sorted([token, timestamp, nonce, encrypted]);

/** The `media` part of a multipart/form-data body, read with the fake's own parser. */
function readMultipartMedia(body: Buffer, contentType: string): { bytes: Buffer; contentType: string } | null {
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (!boundary) return null;
  const delimiter = Buffer.from(`--${boundary}`);
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const next = body.indexOf(delimiter, start + delimiter.length);
    if (next === -1) break;
    const part = body.subarray(start + delimiter.length, next);
    const headerEnd = part.indexOf("\r\n\r\n");
    if (headerEnd !== -1) {
      const headers = part.subarray(0, headerEnd).toString("utf8");
      if (/name="media"/i.test(headers)) {
        let content = part.subarray(headerEnd + 4);
        if (content.subarray(-2).toString() === "\r\n") content = content.subarray(0, -2);
        return { bytes: content, contentType: /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1]?.trim() ?? "" };
      }
    }
    start = next;
  }
  return null;
}

const imageType = (bytes: Buffer): string | null => {
  if (bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "image/jpeg";
  if (bytes.length > 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return "image/png";
  return null;
};

export class FakeWechat {
  readonly aftersales = new Map<string, FakeWechatAftersale>();
  readonly orders = new Map<string, FakeWechatOrder>();
  /** product id → cats_v2 ids, top level first. */
  readonly products = new Map<string, string[]>();
  readonly categories = new Map<string, string>([
    ["1001", "家居百货"],
    ["1002", "家纺"],
    ["1003", "床上用品"],
  ]);
  rejectReasons: FakeWechatRejectReason[] = [...fakeWechatRejectReasons];
  /** The list's field: WeChat's documents say reason_list, shops report reject_reason_list. */
  reasonListField: "reason_list" | "reject_reason_list" = "reason_list";
  readonly operations: FakeWechatOperation[] = [];
  readonly uploads: FakeWechatUpload[] = [];
  readonly detailFetches: string[] = [];
  /** Every open-API path called, in order. */
  readonly calls: string[] = [];
  readonly tokenGrants: { appid: string; forceRefresh: boolean }[] = [];
  private readonly failures: ({ path?: string } & ({ errcode: number; errmsg: string } | { httpStatus: number }))[] = [];
  private nonce = 1320562453;
  private mediaSequence = 0;

  constructor(readonly app: FakeWechatApp) {}

  get appSecret(): string {
    return this.app.appSecret ?? "fake-wechat-app-secret";
  }

  /** The next call (to `path`, or any) is answered with this errcode instead of its usual answer. */
  failNext(errcode: number, errmsg: string, path?: string): void {
    this.failures.push({ errcode, errmsg, ...(path ? { path } : {}) });
  }

  /** The next call (to `path`, or any) is answered with this HTTP status and no JSON. */
  failNextWithHttp(httpStatus: number, path?: string): void {
    this.failures.push({ httpStatus, ...(path ? { path } : {}) });
  }

  /** An after-sale, with its order and product unless they exist (a shipped, received, completed order). */
  addAftersale(values: Partial<FakeWechatAftersale> & { afterSaleOrderId: string }, nowS = Math.floor(Date.now() / 1000), order: Partial<FakeWechatOrder> = {}): FakeWechatAftersale {
    const record: FakeWechatAftersale = {
      orderId: `37${values.afterSaleOrderId.slice(2)}`,
      type: "REFUND",
      status: "MERCHANT_PROCESSING",
      reason: "QUALITY_ISSUE",
      reasonText: "质量问题",
      desc: "拉链坏了",
      amountFen: 12900,
      productId: "10000012345",
      skuId: "20000012345",
      mediaIds: [],
      updateTimeS: nowS,
      deadlineS: 48 * 3600,
      ...values,
    };
    this.aftersales.set(record.afterSaleOrderId, record);
    if (!this.orders.has(record.orderId)) {
      this.orders.set(record.orderId, {
        orderId: record.orderId,
        status: 100,
        productId: record.productId,
        skuId: record.skuId,
        title: record.title ?? "纯棉四件套 1.8m 床",
        orderPriceFen: 12900,
        deliveryTimeS: nowS - 6 * 86400,
        shipDoneTimeS: nowS - 6 * 86400,
        confirmReceiptTimeS: nowS - 3 * 86400,
        aftersaleIds: [record.afterSaleOrderId],
        ...order,
      });
    } else {
      const existing = this.orders.get(record.orderId)!;
      if (existing.aftersaleIds && !existing.aftersaleIds.includes(record.afterSaleOrderId)) existing.aftersaleIds.push(record.afterSaleOrderId);
    }
    if (!this.products.has(record.productId)) this.products.set(record.productId, ["1001", "1002", "1003"]);
    return record;
  }

  /** The query and body of one push about `record` as it is now; `createTimeS` is what a redelivery repeats. */
  buildPush(record: FakeWechatAftersale, options: { isSafeMode?: boolean; createTimeS?: number } = {}): { query: string; body: string } {
    const createTimeS = options.createTimeS ?? record.updateTimeS;
    const event = JSON.stringify({
      ToUserName: "gh_fake0wechat",
      FromUserName: "o-platform",
      CreateTime: createTimeS,
      MsgType: "event",
      Event: "channels_ec_aftersale_update",
      finder_shop_aftersale_status_update: { status: record.status, after_sale_order_id: record.afterSaleOrderId, order_id: record.orderId },
    });
    const timestamp = String(createTimeS);
    const nonce = String(++this.nonce);
    const query = new URLSearchParams({ signature: sha1Sorted([this.app.token, timestamp, nonce]), timestamp, nonce });
    if (!options.isSafeMode) return { query: query.toString(), body: event };
    const encrypted = fakeWechatEncrypt(this.app.aesKey, event, this.app.appId, randomBytes(16));
    query.set("encrypt_type", "aes");
    query.set("msg_signature", fakeWechatMsgSignature(this.app.token, timestamp, nonce, encrypted));
    return { query: query.toString(), body: JSON.stringify({ ToUserName: "gh_fake0wechat", Encrypt: encrypted }) };
  }

  /** The GET WeChat sends when the push URL is saved: the desk must echo `echostr`. */
  buildUrlCheck(echostr: string, timestampS = Math.floor(Date.now() / 1000)): string {
    const timestamp = String(timestampS);
    const nonce = String(++this.nonce);
    return new URLSearchParams({ signature: sha1Sorted([this.app.token, timestamp, nonce]), timestamp, nonce, echostr }).toString();
  }

  /** One open-API call, answered as WeChat would. */
  handle(url: URL, body: Buffer, contentType = "application/json"): Answer {
    const path = url.pathname;
    this.calls.push(path);
    const failure = this.failures.findIndex((candidate) => !candidate.path || candidate.path === path);
    if (failure !== -1) {
      const [next] = this.failures.splice(failure, 1);
      return "httpStatus" in next ? { status: next.httpStatus, body: "upstream unavailable" } : { status: 200, body: fail(next.errcode, next.errmsg) };
    }
    if (path === "/cgi-bin/stable_token") return { status: 200, body: this.stableToken(body) };
    if (url.searchParams.get("access_token") !== this.app.accessToken) return { status: 200, body: fail(40001, "invalid credential, access_token is invalid or not latest") };
    if (path === "/channels/ec/basics/img/upload") return { status: 200, body: this.upload(url, body, contentType) };
    let json: Record<string, unknown>;
    try {
      json = JSON.parse(body.toString("utf8")) as Record<string, unknown>;
    } catch {
      return { status: 200, body: fail(47001, "data format error") };
    }
    switch (path) {
      case "/channels/ec/aftersale/getaftersaleorder":
        return { status: 200, body: this.detail(json) };
      case "/channels/ec/order/get":
        return { status: 200, body: this.order(json) };
      case "/channels/ec/product/get":
        return { status: 200, body: this.product(json) };
      case "/channels/ec/category/detail":
        return { status: 200, body: this.category(json) };
      case "/channels/ec/aftersale/rejectreason/get":
        return { status: 200, body: { errcode: 0, errmsg: "ok", [this.reasonListField]: this.rejectReasons.map((reason) => ({ reject_reason_type: reason.type, reject_reason_type_text: reason.text, reject_reason: reason.defaultText, reject_scene: reason.scene })) } };
      case "/channels/ec/aftersale/acceptapply":
      case "/channels/ec/aftersale/rejectapply":
      case "/channels/ec/aftersale/acceptexchangereship":
      case "/channels/ec/aftersale/rejectexchangereship":
        return { status: 200, body: this.operate(path, json) };
      default:
        return { status: 200, body: fail(40066, "invalid url") };
    }
  }

  private stableToken(body: Buffer): unknown {
    let json: Record<string, unknown>;
    try {
      json = JSON.parse(body.toString("utf8")) as Record<string, unknown>;
    } catch {
      return fail(47001, "data format error");
    }
    if (json.grant_type !== "client_credential") return fail(40002, "invalid grant_type");
    if (json.appid !== this.app.appId) return fail(40013, "invalid appid");
    if (json.secret !== this.appSecret) return fail(40125, "invalid appsecret");
    if (json.force_refresh !== undefined && typeof json.force_refresh !== "boolean") return fail(47001, "data format error");
    this.tokenGrants.push({ appid: json.appid, forceRefresh: json.force_refresh === true });
    return { access_token: this.app.accessToken, expires_in: 7200 };
  }

  private upload(url: URL, body: Buffer, contentType: string): unknown {
    const query = url.searchParams;
    if (query.get("upload_type") !== "0" || query.get("resp_type") !== "0") return fail(9700224, "参数错误: upload_type/resp_type");
    const width = Number(query.get("width"));
    const height = Number(query.get("height"));
    if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) return fail(9700224, "参数错误: height/width");
    const media = readMultipartMedia(body, contentType);
    if (!media || media.bytes.length === 0) return fail(10020059, "图片为空");
    if (media.bytes.length > maxUploadBytes) return fail(10020060, "图片大小超出限制(2MB)");
    const mimeType = imageType(media.bytes);
    if (!mimeType) return fail(40005, "invalid file type");
    const mediaId = `fake-media-${++this.mediaSequence}`;
    this.uploads.push({ mediaId, bytes: media.bytes.length, mimeType, width, height });
    return { errcode: 0, errmsg: "ok", pic_file: { media_id: mediaId, pay_media_id: `pay-${mediaId}` } };
  }

  private detail(json: Record<string, unknown>): unknown {
    const id = String(json.after_sale_order_id ?? "");
    this.detailFetches.push(id);
    const record = this.aftersales.get(id);
    if (!record) return fail(10020000, "售后单号不存在");
    return {
      errcode: 0,
      errmsg: "ok",
      after_sale_order: {
        after_sale_order_id: record.afterSaleOrderId,
        order_id: record.orderId,
        type: record.type,
        status: record.status,
        reason: record.reason,
        reason_text: record.reasonText,
        details: { desc: record.desc, receive_product: record.type !== "REFUND", media_id_list: record.mediaIds },
        product_info: { product_id: record.productId, sku_id: record.skuId, count: 1 },
        refund_info: { amount: record.amountFen },
        create_time: record.updateTimeS,
        update_time: record.updateTimeS,
        ...(["MERCHANT_PROCESSING", "MERCHANT_WAIT_RECEIPT"].includes(record.status) ? { deadline: record.deadlineS } : {}),
      },
    };
  }

  private order(json: Record<string, unknown>): unknown {
    const order = this.orders.get(String(json.order_id ?? ""));
    if (!order) return fail(100002, "订单不存在"); // ⚑ errcode
    return {
      errcode: 0,
      errmsg: "ok",
      order: {
        order_id: order.orderId,
        status: order.status,
        create_time: (order.deliveryTimeS ?? 1_763_000_000) - 3600,
        update_time: order.confirmReceiptTimeS ?? order.deliveryTimeS ?? 1_763_000_000,
        order_detail: {
          product_infos: [{ product_id: order.productId, sku_id: order.skuId, sku_cnt: 1, title: order.title, sale_price: order.orderPriceFen }],
          price_info: { product_price: order.orderPriceFen, order_price: order.orderPriceFen, freight: 0 },
          delivery_info: {
            delivery_product_info: order.deliveryTimeS ? [{ waybill_id: "SF1234567890", delivery_id: "SF", delivery_time: order.deliveryTimeS, product_infos: [{ product_id: order.productId, sku_id: order.skuId, product_cnt: 1 }] }] : [],
            ...(order.shipDoneTimeS ? { ship_done_time: order.shipDoneTimeS } : {}),
          },
          ext_info: order.confirmReceiptTimeS ? { confirm_receipt_time: order.confirmReceiptTimeS } : {},
        },
        ...(order.aftersaleIds ? { aftersale_detail: { aftersale_order_list: order.aftersaleIds.map((id) => ({ aftersale_order_id: id })), on_aftersale_order_cnt: order.aftersaleIds.length } } : {}),
      },
    };
  }

  private product(json: Record<string, unknown>): unknown {
    const cats = this.products.get(String(json.product_id ?? ""));
    if (!cats) return fail(10020015, "商品不存在"); // ⚑ errcode
    return { errcode: 0, errmsg: "ok", product: { product_id: String(json.product_id), title: "纯棉四件套", cats_v2: cats.map((catId) => ({ cat_id: catId })) } };
  }

  private category(json: Record<string, unknown>): unknown {
    if (typeof json.cat_id !== "number") return fail(47001, "data format error");
    const name = this.categories.get(String(json.cat_id));
    return name ? { errcode: 0, errmsg: "ok", info: { cat_id: String(json.cat_id), name } } : fail(10020100, "类目不存在"); // ⚑ errcode
  }

  private operate(path: string, body: Record<string, unknown>): unknown {
    const id = typeof body.after_sale_order_id === "string" ? body.after_sale_order_id : "";
    const record = this.aftersales.get(id);
    const check = !record ? { errcode: 10020000, error: "售后单号不存在" } : this.checkOperation(path, record, body);
    this.operations.push({ path, afterSaleOrderId: id, body, accepted: !check, ...(check ? { error: check.error } : {}) });
    if (check) return fail(check.errcode, check.error);
    record!.status = this.nextStatus(path, record!, body);
    record!.updateTimeS += 1;
    return { errcode: 0, errmsg: "ok" };
  }

  private nextStatus(path: string, record: FakeWechatAftersale, body: Record<string, unknown>): string {
    if (path.endsWith("/rejectapply")) return { REFUND: "MERCHANT_REJECT_REFUND", RETURN: "MERCHANT_REJECT_RETURN", EXCHANGE: "MERCHANT_REJECT_EXCHANGE", RESHIP: record.status }[record.type];
    if (path.endsWith("/rejectexchangereship")) return "MERCHANT_REJECT_RESHIP";
    if (path.endsWith("/acceptexchangereship")) return "USER_WAIT_RECEIPT";
    if (record.type === "REFUND") return "MERCHANT_REFUND_SUCCESS";
    return body.accept_type === 1 || record.status === "MERCHANT_PROCESSING" ? "USER_WAIT_RETURN" : "MERCHANT_RETURN_SUCCESS";
  }

  private checkOperation(path: string, record: FakeWechatAftersale, body: Record<string, unknown>): { errcode: number; error: string } | null {
    const badState = { errcode: 10020001, error: "售后单状态不合法" };
    const badParam = (what: string) => ({ errcode: 9700224, error: `参数错误: ${what}` });
    const { type, status } = record;
    // 补寄 has no answer call on the desk's side; the fake refuses any it is sent (⚑ the fake's own answer)
    if (type === "RESHIP") return badState;
    if (path.endsWith("/acceptapply")) {
      // accept_type 1: agree that the goods come back (return/exchange); 2: refund (refund-only, or goods received)
      const acceptType = body.accept_type;
      if (acceptType !== undefined && acceptType !== 1 && acceptType !== 2) return badParam("accept_type");
      if (status === "MERCHANT_PROCESSING") {
        if (type === "REFUND") return acceptType === 1 ? badParam("仅退款不能使用 accept_type=1") : null;
        if (acceptType === 2) return badParam("同意退货需要 accept_type=1");
        return typeof body.address_id === "string" && body.address_id ? null : { errcode: 10021060, error: "缺少退货地址address_id参数" };
      }
      if (status === "MERCHANT_WAIT_RECEIPT" && type === "RETURN") return acceptType === 1 ? badParam("确认收货退款需要 accept_type=2") : null;
      return badState;
    }
    if (path.endsWith("/acceptexchangereship")) {
      if (type !== "EXCHANGE" || status !== "MERCHANT_WAIT_RECEIPT") return badState;
      return typeof body.waybill_id === "string" && body.waybill_id && typeof body.delivery_id === "string" && body.delivery_id ? null : badParam("waybill_id/delivery_id");
    }
    const isReship = path.endsWith("/rejectexchangereship");
    if (isReship ? type !== "EXCHANGE" || status !== "MERCHANT_WAIT_RECEIPT" : !["MERCHANT_PROCESSING", "MERCHANT_WAIT_RECEIPT"].includes(status) || (type === "EXCHANGE" && status !== "MERCHANT_PROCESSING")) return badState;
    const scene = isReship ? 6 : { REFUND: 1, RETURN: 4, EXCHANGE: 5 }[type as Exclude<FakeWechatType, "RESHIP">];
    if (typeof body.reject_reason_type !== "number" || !this.rejectReasons.some((reason) => reason.type === body.reject_reason_type && reason.scene === scene)) return badParam("reject_reason_type");
    if (body.reject_reason !== undefined && typeof body.reject_reason !== "string") return badParam("reject_reason");
    const certificates = body.reject_certificates;
    if (certificates !== undefined && (!Array.isArray(certificates) || certificates.some((mediaId) => !this.uploads.some((upload) => upload.mediaId === mediaId)))) return badParam("reject_certificates");
    return null;
  }

  /** An in-process fetch that answers like the HTTP server (for unit tests). */
  readonly fetch: typeof fetch = async (input, init) => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    const headers = new Headers(init?.headers);
    const raw = init?.body;
    const body = raw === undefined || raw === null ? Buffer.alloc(0) : typeof raw === "string" ? Buffer.from(raw, "utf8") : raw instanceof Uint8Array ? Buffer.from(raw) : Buffer.from(String(raw));
    const answer = this.handle(url, body, headers.get("content-type") ?? "");
    return typeof answer.body === "string" ? new Response(answer.body, { status: answer.status }) : Response.json(answer.body, { status: answer.status });
  };

  listen(port = 0, host = "127.0.0.1"): Promise<{ server: http.Server; baseUrl: string }> {
    const server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        const answer = this.handle(new URL(request.url ?? "/", "http://fake"), Buffer.concat(chunks), request.headers["content-type"] ?? "");
        const isText = typeof answer.body === "string";
        response.writeHead(answer.status, { "content-type": isText ? "text/plain" : "application/json" }).end(isText ? answer.body : JSON.stringify(answer.body));
      });
    });
    return new Promise((resolve) => server.listen(port, host, () => resolve({ server, baseUrl: `http://${host}:${(server.address() as AddressInfo).port}` })));
  }
}
