import { createHash, createHmac } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

// A fake 抖店 for the simulator, unit tests and e2e. Written apart from the adapter (nothing imported from
// lib/platforms or app/_server/platforms): its own push signing and API sign check, from the platform's
// documents as docs/platforms/douyin.md records them. It sends pushes with ids as raw 19-digit JSON numbers and
// answers /afterSale/Detail, /order/orderDetail, /afterSale/List, /shop/getShopCategory,
// /afterSale/rejectReasonCodeList, /open/binaryupload, /material/uploadImageSync, /material/queryMaterialDetail,
// /afterSale/operate (checked as the platform would, every operation recorded) and /token/refresh.

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
  /** refund_status as /afterSale/List shows it: 1 待退款, 3 退款成功, 4 退款失败. */
  refundStatus: number;
  /** The sku order in /order/orderDetail: order_status (2 备货中, 3 已发货, 5 已完成) and its times (0 = none). */
  orderStatus: number;
  shipTimeS: number;
  logisticsReceiptTimeS: number;
  confirmReceiptTimeS: number;
  finishTimeS: number;
  /** first_cid … fourth_cid. */
  cids: number[];
};

export type FakeOperation = {
  type: number;
  aftersaleId: string;
  item: Record<string, unknown>;
  accepted: boolean;
  error?: string;
  /** The evidence[].url the answer carried. */
  evidenceUrls: string[];
  reason?: string;
  rejectReasonCode?: number;
};

/** ⚑ The fake's /afterSale/rejectReasonCodeList: code → reason text, evidence_need, evidence_description. */
export const fakeRejectReasons: Record<number, { reason: string; evidenceNeed: boolean; evidenceDescription: string }> = {
  1: { reason: "商品已使用，影响二次销售", evidenceNeed: true, evidenceDescription: "请上传商品使用痕迹的照片" },
  2: { reason: "商品无质量问题", evidenceNeed: false, evidenceDescription: "" },
  3: { reason: "已超出售后期", evidenceNeed: false, evidenceDescription: "" },
  4: { reason: "已与买家协商一致", evidenceNeed: false, evidenceDescription: "" },
  5: { reason: "未收到退货", evidenceNeed: false, evidenceDescription: "" },
  8: { reason: "其他", evidenceNeed: true, evidenceDescription: "请上传能说明情况的凭证" },
};

/** ⚑ The fake's category tree (parent cid → children) for /shop/getShopCategory. */
export const fakeCategoryTree: Record<number, { id: number; name: string }[]> = {
  0: [
    { id: 20000, name: "生鲜" },
    { id: 30000, name: "服饰内衣" },
    { id: 50000, name: "宠物用品" },
  ],
  20000: [
    { id: 20100, name: "水果" },
    { id: 20200, name: "蔬菜" },
  ],
  20100: [{ id: 20110, name: "橙子" }],
  30000: [{ id: 30100, name: "女装" }],
  50000: [{ id: 50100, name: "猫砂" }],
};

/** aftersale_type:aftersale_status → the operate types the platform takes there (guide question-docs/93/2752). */
const allowedTypes: Record<string, number[]> = {
  "0:6": [101, 102, 121],
  "0:11": [111, 112],
  "1:6": [201, 202, 203],
  "2:6": [401],
  "3:6": [301, 302, 321],
  "3:11": [311, 312, 321],
};
const refusingTypes = new Set([102, 112, 202, 302, 312]);
const addressTypes = new Set([101, 301]);
const statusAfter: Record<number, number> = { 101: 7, 102: 27, 111: 12, 112: 29, 121: 12, 201: 12, 202: 27, 203: 12, 301: 7, 302: 27, 311: 13, 312: 29, 321: 12, 401: 12 };

/** A JSON integer written as its raw digits (Douyin's int64 ids exceed 2^53). */
class Digits {
  constructor(readonly value: string) {}
}

function toJson(value: unknown): string {
  if (value instanceof Digits) return value.value;
  if (Array.isArray(value)) return `[${value.map(toJson).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .map(([key, item]) => `${JSON.stringify(key)}:${toJson(item)}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

/** The push signature as the message guide describes it: md5 over app_key, the raw body, app_secret, in lowercase hex. */
export function pushSign(appKey: string, appSecret: string, body: string): string {
  return createHash("md5").update(`${appKey}${body}${appSecret}`, "utf8").digest("hex");
}

/** The API signature as the call guide describes it: HMAC-SHA256 keyed by the secret, over the secret-wrapped parameter string. */
export function apiSign(appKey: string, appSecret: string, method: string, paramJson: string, timestamp: string): string {
  const pairs: [string, string][] = [
    ["app_key", appKey],
    ["method", method],
    ["param_json", paramJson],
    ["timestamp", timestamp],
    ["v", "2"],
  ];
  const text = appSecret + pairs.map(([key, value]) => key + value).join("") + appSecret;
  return createHmac("sha256", Buffer.from(appSecret, "utf8")).update(text, "utf8").digest("hex");
}

const rfc3339 = (seconds: number) => `${new Date((seconds + 8 * 3600) * 1000).toISOString().slice(0, 19)}+08:00`;
const success = (data: unknown = {}) => ({ code: 10000, msg: "success", data });
const businessError = (subMsg: string, subCode = "isv.business-failed:11005") => ({ code: 50002, msg: "业务处理失败", sub_code: subCode, sub_msg: subMsg });

type Answer = { status: number; body: string };

export class FakeDouyin {
  readonly aftersales = new Map<string, FakeAftersale>();
  readonly operations: FakeOperation[] = [];
  readonly detailFetches: string[] = [];
  /** Every API method called, in order ("afterSale.operate", "order.orderDetail", …). */
  readonly calls: string[] = [];
  /** Set by a test: /afterSale/operate answers this business error (and records the operation as refused). */
  operateRefusal: { code: number; msg: string; sub_msg: string } | null = null;
  /** Set by a test: method → an HTTP status (e.g. 503) or an error body the platform answers instead. */
  readonly failures = new Map<string, { httpStatus: number } | { code: number; msg: string; sub_code: string; sub_msg: string }>();
  /** audit_status a new material gets: 3 通过 (default), 1 待审核, 4 拒绝. */
  materialAudit: 1 | 3 | 4 = 3;
  /** When set, every call except /token/* must carry this access_token. */
  requiredAccessToken: string | null = null;
  /** Refresh tokens the platform accepts (refresh_token → the shop it belongs to). */
  readonly refreshTokens = new Set<string>();
  readonly uploads: { storeUri: string; bytes: Buffer }[] = [];
  readonly materials = new Map<string, { storeUri: string; name: string; url: string; audit: number }>();
  private sequence = 0;

  constructor(readonly app: { appKey: string; appSecret: string; shopId: string }) {}

  addAftersale(values: Partial<FakeAftersale> & { aftersaleId: string }, nowS = Math.floor(Date.now() / 1000)): FakeAftersale {
    const type = values.type ?? 1;
    const applyTimeS = values.applyTimeS ?? nowS;
    const isUnshipped = type === 2;
    const record: FakeAftersale = {
      orderId: `69${values.aftersaleId.slice(2)}`,
      skuOrderId: `68${values.aftersaleId.slice(2)}`,
      status: 6,
      type,
      reasonCode: 7,
      reason: "商品瑕疵",
      remark: "收到时有破损",
      evidence: [],
      productName: "赣南脐橙 5斤装",
      payAmountFen: 3990,
      refundAmountFen: 3990,
      applyTimeS,
      updateTimeS: applyTimeS,
      statusDeadlineS: nowS + 48 * 3600,
      refundStatus: 1,
      orderStatus: isUnshipped ? 2 : 3,
      shipTimeS: isUnshipped ? 0 : applyTimeS - 48 * 3600,
      logisticsReceiptTimeS: isUnshipped ? 0 : applyTimeS - 24 * 3600,
      confirmReceiptTimeS: 0,
      finishTimeS: 0,
      cids: [20000, 20100, 20110],
      ...values,
    };
    this.aftersales.set(record.aftersaleId, record);
    return record;
  }

  /** The raw push body and headers for one message about `record` (ids as raw JSON numbers, data a JSON string). */
  buildPush(tag: number, record: FakeAftersale, msgId = `73${Date.now()}${++this.sequence}`.slice(0, 19)) {
    const timeField: Record<number, string> = { 200: "apply_time", 201: "agree_time", 204: "refuse_time", 206: "success_time", 207: "close_time", 208: "modify_time" };
    const data: Record<string, unknown> = {
      aftersale_id: new Digits(record.aftersaleId),
      aftersale_status: record.status,
      aftersale_type: record.type,
      p_id: new Digits(record.orderId),
      reason_code: record.reasonCode,
      refund_amount: record.refundAmountFen,
      refund_post_amount: 0,
      refund_voucher_num: 0,
      s_id: new Digits(record.skuOrderId),
      shop_id: new Digits(this.app.shopId),
    };
    if (tag === 209) data.status_deadline = record.statusDeadlineS;
    else {
      if (tag >= 212) Object.assign(data, { arbitrate_id: new Digits(`79${record.aftersaleId.slice(2)}`), arbitrate_status: record.arbitrateStatus ?? 1 });
      data[timeField[tag] ?? "apply_time"] = record.updateTimeS;
      data.update_time = rfc3339(record.updateTimeS);
    }
    const body = JSON.stringify([{ tag: String(tag), msg_id: msgId, data: toJson(data) }]);
    const headers = { "content-type": "application/json", "app-id": this.app.appKey, "event-sign": pushSign(this.app.appKey, this.app.appSecret, body) };
    return { body, headers, msgId };
  }

  /** One open-API request, answered as Douyin would (status and raw body). */
  handle(url: URL, body: string): Answer {
    const reply = (value: unknown, status = 200): Answer => ({ status, body: toJson(value) });
    const method = url.pathname.replace(/^\//, "").replaceAll("/", ".");
    const query = url.searchParams;
    const sign = apiSign(this.app.appKey, this.app.appSecret, method, body, query.get("timestamp") ?? "");
    if (query.get("app_key") !== this.app.appKey || query.get("method") !== method || query.get("v") !== "2" || query.get("sign") !== sign) {
      return reply({ code: 40003, msg: "非法的参数", sub_code: "isv.signature-invalid", sub_msg: "签名校验失败" });
    }
    this.calls.push(method);
    const failure = this.failures.get(method);
    if (failure) return "httpStatus" in failure ? { status: failure.httpStatus, body: "<html>Service Unavailable</html>" } : reply(failure);
    if (!method.startsWith("token.") && this.requiredAccessToken !== null && query.get("access_token") !== this.requiredAccessToken) {
      return reply({ code: 40003, msg: "非法的参数", sub_code: "isv.access-token-expired", sub_msg: "access_token已过期" });
    }
    let params: Record<string, unknown>;
    try {
      params = JSON.parse(body) as Record<string, unknown>;
    } catch {
      return reply({ code: 40003, msg: "非法的参数", sub_code: "isv.parameter-format-invalid", sub_msg: "业务参数json解析失败" });
    }
    switch (method) {
      case "afterSale.Detail":
        return reply(this.detail(String(params.after_sale_id)));
      case "order.orderDetail":
        return reply(this.orderDetail(String(params.shop_order_id)));
      case "afterSale.List":
        return reply(this.list(String(params.order_id)));
      case "shop.getShopCategory":
        return reply(success(fakeCategoryTree[Number(params.cid ?? 0)] ?? []));
      case "afterSale.rejectReasonCodeList":
        return reply(this.rejectReasons());
      case "open.binaryupload":
        return reply(this.binaryUpload(params));
      case "material.uploadImageSync":
        return reply(this.uploadImage(params));
      case "material.queryMaterialDetail":
        return reply(this.materialDetail(String(params.material_id)));
      case "afterSale.operate":
        return reply(this.operate(params));
      case "token.refresh":
        return reply(this.refresh(params));
      default:
        return reply({ code: 70000, msg: "接口服务已下线", sub_code: "isp.api-service-off", sub_msg: "API不存在或API已下线" });
    }
  }

  private detail(aftersaleId: string): unknown {
    this.detailFetches.push(aftersaleId);
    const record = this.aftersales.get(aftersaleId);
    if (!record) return businessError("售后单不存在");
    return success({
      process_info: {
        after_sale_info: {
          after_sale_id: new Digits(record.aftersaleId),
          after_sale_status: record.status,
          after_sale_type: record.type,
          reason: record.reason,
          reason_code: record.reasonCode,
          reason_remark: record.remark,
          evidence: record.evidence,
          refund_total_amount: record.refundAmountFen,
          apply_time: record.applyTimeS,
          update_time: record.updateTimeS,
          status_deadline: record.statusDeadlineS,
        },
        arbitrate_info: { arbitrate_status: 0 },
      },
      order_info: {
        shop_order_id: new Digits(record.orderId),
        sku_order_infos: [{ sku_order_id: new Digits(record.skuOrderId), pay_amount: record.payAmountFen, product_name: record.productName }],
      },
    });
  }

  private orderDetail(orderId: string): unknown {
    const skus = [...this.aftersales.values()].filter((record) => record.orderId === orderId);
    // Several after-sales of one sku order: the sku order is as the first of them describes it
    const unique = skus.filter((record, index) => skus.findIndex((other) => other.skuOrderId === record.skuOrderId) === index);
    if (unique.length === 0) return businessError("订单不存在", "isv.business-failed:10009");
    const [first] = unique;
    return success({
      shop_order_detail: {
        order_id: orderId,
        order_status: first.orderStatus,
        ship_time: first.shipTimeS,
        finish_time: first.finishTimeS,
        sku_order_list: unique.map((record) => {
          const [firstCid = 0, secondCid = 0, thirdCid = 0, fourthCid = 0] = record.cids;
          return {
            order_id: record.skuOrderId,
            parent_order_id: orderId,
            order_status: record.orderStatus,
            ship_time: record.shipTimeS,
            logistics_receipt_time: record.logisticsReceiptTimeS,
            confirm_receipt_time: record.confirmReceiptTimeS,
            finish_time: record.finishTimeS,
            first_cid: firstCid,
            second_cid: secondCid,
            third_cid: thirdCid,
            fourth_cid: fourthCid,
            product_name: record.productName,
            pay_amount: record.payAmountFen,
            after_sale_info: { after_sale_status: record.status, after_sale_type: record.type, refund_status: record.refundStatus },
          };
        }),
      },
    });
  }

  private list(orderId: string): unknown {
    const items = [...this.aftersales.values()]
      .filter((record) => record.orderId === orderId)
      .map((record) => ({
        aftersale_info: {
          aftersale_id: record.aftersaleId,
          aftersale_type: record.type,
          aftersale_status: record.status,
          refund_status: record.refundStatus,
          related_id: record.skuOrderId,
          apply_time: record.applyTimeS,
          update_time: record.updateTimeS,
        },
        order_info: { shop_order_id: orderId, related_order_info: [{ sku_order_id: record.skuOrderId, product_name: record.productName }] },
      }));
    return success({ items, has_more: false, total: items.length, page: 0, size: 100 });
  }

  private rejectReasons(): unknown {
    const items = Object.entries(fakeRejectReasons).map(([code, reason]) => ({
      reject_reason_code: Number(code),
      reason: reason.reason,
      evidence_need: reason.evidenceNeed ? "Y" : "N",
      evidence_description: reason.evidenceDescription,
      image: "",
      order_type: -1,
      pkg: -1,
    }));
    // A reason only for virtual goods, which a physical-goods shop never sees
    items.push({ reject_reason_code: 90, reason: "卡券已核销", evidence_need: "N", evidence_description: "", image: "", order_type: 2, pkg: -1 });
    return success({ items });
  }

  private binaryUpload(params: Record<string, unknown>): unknown {
    const content = typeof params.file_content === "string" ? Buffer.from(params.file_content, "base64") : Buffer.alloc(0);
    const isImage = (content[0] === 0xff && content[1] === 0xd8) || content.subarray(1, 4).toString("latin1") === "PNG";
    if (!isImage) return businessError("文件不是图片", "isv.business-failed:40001");
    const storeUri = `tos-cn-i-fake/${++this.sequence}`;
    this.uploads.push({ storeUri, bytes: content });
    return success({ store_uri: storeUri });
  }

  private uploadImage(params: Record<string, unknown>): unknown {
    const storeUri = String(params.file_uri ?? "");
    if (!this.uploads.some((upload) => upload.storeUri === storeUri)) return businessError("file_uri 无效");
    const name = String(params.material_name ?? "");
    if (!name || Array.from(name).length > 50) return businessError("图片名称不得超过50个字符");
    const materialId = `7${String(++this.sequence).padStart(18, "0")}`;
    const material = { storeUri, name, url: `https://p3-aio.ecombdimg.com/obj/fake-material/${materialId}.jpg`, audit: this.materialAudit };
    this.materials.set(materialId, material);
    // byte_url is no longer given here (zsmhub/doudian-sdk material_uploadImageSync response): read it from the detail
    return success({ material_id: materialId, folder_id: "0", is_new: true, audit_status: material.audit });
  }

  private materialDetail(materialId: string): unknown {
    const material = this.materials.get(materialId);
    if (!material) return businessError("素材不存在");
    return success({
      material_info: {
        material_id: materialId,
        folder_id: "0",
        materil_name: material.name,
        material_type: "photo",
        audit_status: material.audit,
        ...(material.audit === 3 ? { byte_url: material.url } : {}),
        ...(material.audit === 4 ? { audit_reject_desc: "图片含有违规内容" } : {}),
      },
    });
  }

  private operate(params: Record<string, unknown>): unknown {
    const type = Number(params.type);
    const items = Array.isArray(params.items) ? (params.items as Record<string, unknown>[]) : [];
    if (items.length < 1 || items.length > 20) return businessError("items 需要 1–20 条");
    for (const item of items) {
      const aftersaleId = String(item.aftersale_id);
      const record = this.aftersales.get(aftersaleId);
      const evidence = Array.isArray(item.evidence) ? (item.evidence as { type?: unknown; url?: unknown }[]) : [];
      const base = {
        type,
        aftersaleId,
        item,
        evidenceUrls: evidence.map((entry) => String(entry.url)),
        ...(typeof item.reason === "string" ? { reason: item.reason } : {}),
        ...(typeof item.reject_reason_code === "number" ? { rejectReasonCode: item.reject_reason_code } : {}),
      };
      if (this.operateRefusal) {
        this.operations.push({ ...base, accepted: false, error: this.operateRefusal.sub_msg });
        return { code: this.operateRefusal.code, msg: this.operateRefusal.msg, sub_code: "isv.business-failed:11005", sub_msg: this.operateRefusal.sub_msg };
      }
      const error = this.checkItem(type, item, evidence, record);
      this.operations.push({ ...base, accepted: !error, ...(error ? { error } : {}) });
      if (error) return businessError(error);
      record!.status = statusAfter[type];
      record!.updateTimeS += 1;
      if (record!.status === 12) record!.refundStatus = 3;
    }
    return success({ items: items.map((item) => ({ aftersale_id: item.aftersale_id, status_code: 0, status_msg: "success" })) });
  }

  private checkItem(type: number, item: Record<string, unknown>, evidence: { type?: unknown; url?: unknown }[], record: FakeAftersale | undefined): string | undefined {
    if (typeof item.aftersale_id !== "string" || !/^\d+$/.test(item.aftersale_id)) return "aftersale_id 缺失";
    if (!record) return "售后单不存在";
    if (!(allowedTypes[`${record.type}:${record.status}`] ?? []).includes(type)) return `售后状态错误：操作类型 ${type} 不适用（售后类型 ${record.type}，状态 ${record.status}）`;
    if (item.update_time !== undefined && (typeof item.update_time !== "number" || item.update_time !== record.updateTimeS)) return "售后单已更新，请刷新后重试";
    const logistics = item.logistics as { receiver_address_id?: unknown } | undefined;
    if (addressTypes.has(type) && !(typeof logistics?.receiver_address_id === "number" && logistics.receiver_address_id > 0)) return "同意退货/换货需要收件地址 receiver_address_id";
    if (refusingTypes.has(type)) {
      const reason = fakeRejectReasons[Number(item.reject_reason_code)];
      if (!reason) return "reject_reason_code 无效";
      if (typeof item.reason !== "string" || !item.reason) return "拒绝需要 reason";
      if (typeof item.remark !== "string" || !item.remark) return "拒绝需要 remark";
      if (reason.evidenceNeed && evidence.length === 0) return "该拒绝原因需要上传凭证";
      const issued = new Set([...this.materials.values()].filter((material) => material.audit === 3).map((material) => material.url));
      if (evidence.some((entry) => entry.type !== 1 || typeof entry.url !== "string" || !issued.has(entry.url))) return "凭证图片地址无效";
    }
    return undefined;
  }

  private refresh(params: Record<string, unknown>): unknown {
    if (params.grant_type !== "refresh_token") return { code: 50001, msg: "平台处理失败", sub_code: "dop.token-generate-failed:grant-type-invalid", sub_msg: "生成token失败，grant_type参数取值不正确" };
    const token = String(params.refresh_token ?? "");
    if (!this.refreshTokens.has(token)) return { code: 50001, msg: "平台处理失败", sub_code: "dop.token-generate-failed:token-invalid", sub_msg: "生成token失败，token不存在" };
    this.refreshTokens.delete(token);
    const next = `fake-refresh-${++this.sequence}`;
    this.refreshTokens.add(next);
    const accessToken = `fake-access-${this.sequence}`;
    this.requiredAccessToken = this.requiredAccessToken === null ? null : accessToken;
    return success({ access_token: accessToken, expires_in: 604800, refresh_token: next, scope: "SCOPE", shop_id: new Digits(this.app.shopId), shop_name: "木槿鲜生", authority_id: this.app.shopId, auth_subject_type: "MiniApp" });
  }

  /** An in-process fetch that answers like the HTTP server (for unit tests). */
  readonly fetch: typeof fetch = async (input, init) => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    const answer = this.handle(url, String(init?.body ?? ""));
    return new Response(answer.body, { status: answer.status, headers: { "content-type": "application/json" } });
  };

  listen(port = 0, host = "127.0.0.1"): Promise<{ server: http.Server; baseUrl: string }> {
    const server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        const answer = this.handle(new URL(request.url ?? "/", "http://fake"), Buffer.concat(chunks).toString("utf8"));
        response.writeHead(answer.status, { "content-type": "application/json" }).end(answer.body);
      });
    });
    return new Promise((resolve) => server.listen(port, host, () => resolve({ server, baseUrl: `http://${host}:${(server.address() as AddressInfo).port}` })));
  }
}
