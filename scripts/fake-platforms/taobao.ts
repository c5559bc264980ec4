import { createHash } from "node:crypto";

// A fake TOP router + TMC queue, written apart from the desk's Taobao code (it imports nothing from lib/platforms or
// app/_server/platforms): its own md5 sign check and multipart parser, and the APIs the desk calls answered as the
// TOP documents describe them (bububa/opentaobao metadata/assets/json/*; docs/platforms/taobao.md). Lists come back
// as TOP does with simplify=false ({"orders":{"order":[…]}}), ids as raw JSON numbers (beyond 2^53 too).
// Knobs: failNext() answers the next call with a business error, a platform (isp) error, an expired session or an
// HTTP 5xx. FakeTmcServer (taobao-tmc.ts) reads `app`, `queue` and `refunds`.

export type FakeRefund = {
  refundId: string;
  tid: string;
  oid: string;
  status: string;
  disputeType: string;
  refundFeeYuan: string;
  reason: string;
  desc: string;
  title: string;
  refundPhase: string;
  refundVersion: number;
  remindTimeout: string;
  created: string;
  modified: string;
  goodStatus: string;
};

export type FakeSubOrder = { oid: string; cid: string; title: string; status: string; refundId?: string; refundStatus?: string; consignTime?: string; endTime?: string; payment: string };
export type FakeTrade = { tid: string; status: string; consignTime?: string; endTime?: string; modified: string; orders: FakeSubOrder[] };
export type FakeCategory = { name: string; parentCid: string };
export type FakeAddress = { contactId: string; name: string; province: string; city: string; country: string; addr: string; zip: string; phone: string; mobile: string; cancelDef: boolean };
export type FakeProof = { field: string; fileName: string; mimeType: string; bytes: Uint8Array };
/** `proofFiles`: how many file parts the call carried (TOP's refuse APIs take one; `proof` is the first). */
export type FakeTopCall = { method: string; params: Record<string, string>; accepted: boolean; error?: string; hasProof: boolean; proofFiles: number; proof?: FakeProof };

/** What failNext() makes the next (matching) call answer. */
export type FakeTopFault =
  | { kind: "business"; method?: string; subCode?: string; subMsg?: string }
  | { kind: "isp"; method?: string }
  | { kind: "session"; method?: string }
  | { kind: "http"; method?: string; status: number };

type TopReply = { status: number; body: string };

/** refund.refuse's refuse_proof limit and rp.returngoods.refuse's "5M" (read as 5,000,000 bytes). */
const refuseProofLimit = 130_000;
const returnGoodsProofLimit = 5_000_000;

const businessError = (subMsg: string, subCode = "isv.invalid-parameter") => JSON.stringify({ error_response: { code: 15, msg: "Remote service error", sub_code: subCode, sub_msg: subMsg, request_id: "fake" } });

/** Which image the bytes are, by their magic numbers (GIF87a/89a, JPEG SOI, PNG signature), null when none of the three. */
export function sniffImage(bytes: Uint8Array): "gif" | "jpeg" | "png" | null {
  const starts = (...values: number[]) => values.every((value, index) => bytes[index] === value);
  if (starts(0x47, 0x49, 0x46, 0x38)) return "gif";
  if (starts(0xff, 0xd8, 0xff)) return "jpeg";
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return "png";
  return null;
}

/** The TOP md5 sign as the router checks it: secret + every non-file parameter but sign, sorted, as key+value + secret. */
export function topSign(params: Record<string, string>, secret: string): string {
  const joined = Object.keys(params)
    .filter((key) => key !== "sign")
    .sort()
    .map((key) => key + params[key])
    .join("");
  return createHash("md5").update(secret + joined + secret, "utf8").digest("hex").toUpperCase();
}

/** multipart/form-data as RFC 7578 frames it; file parts keep their bytes exactly. */
function parseMultipart(body: Buffer, boundary: string): { fields: Record<string, string>; files: FakeProof[] } {
  const fields: Record<string, string> = {};
  const files: FakeProof[] = [];
  const delimiter = Buffer.from(`--${boundary}`);
  let position = body.indexOf(delimiter);
  while (position >= 0) {
    const start = position + delimiter.length;
    if (body.subarray(start, start + 2).toString() === "--") break;
    const next = body.indexOf(delimiter, start);
    if (next < 0) break;
    // part = CRLF headers CRLF CRLF content CRLF
    const part = body.subarray(start + 2, next - 2);
    const headerEnd = part.indexOf("\r\n\r\n");
    if (headerEnd >= 0) {
      const headers = part.subarray(0, headerEnd).toString("utf8");
      const content = part.subarray(headerEnd + 4);
      const name = /name="([^"]*)"/i.exec(headers)?.[1];
      const fileName = /filename="([^"]*)"/i.exec(headers)?.[1];
      const mimeType = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1]?.trim() ?? "application/octet-stream";
      if (name !== undefined && fileName !== undefined) files.push({ field: name, fileName, mimeType, bytes: new Uint8Array(content) });
      else if (name !== undefined) fields[name] = content.toString("utf8");
    }
    position = next;
  }
  return { fields, files };
}

export class FakeTaobao {
  readonly refunds = new Map<string, FakeRefund>();
  readonly trades = new Map<string, FakeTrade>();
  readonly categories = new Map<string, FakeCategory>([
    ["16", { name: "女装/女士精品", parentCid: "0" }],
    ["162103", { name: "毛衣", parentCid: "16" }],
    ["50050359", { name: "水产肉类/新鲜蔬果/熟食", parentCid: "0" }],
    ["50050725", { name: "新鲜水果", parentCid: "50050359" }],
    ["29", { name: "宠物/宠物食品及用品", parentCid: "0" }],
    ["50006004", { name: "猫零食", parentCid: "29" }],
  ]);
  readonly addresses: FakeAddress[] = [
    { contactId: "800001", name: "木槿售后", province: "浙江省", city: "杭州市", country: "余杭区", addr: "文一西路 969 号 3 号楼", zip: "311121", phone: "", mobile: "13800000000", cancelDef: true },
  ];
  /** reason_id → text, for taobao.refund.refusereason.get and tmall.exchange.refusereason.get. */
  readonly refuseReasons = new Map([
    ["4001", { text: "买家已使用商品，影响二次销售", tips: "请上传商品使用痕迹的照片" }],
    ["4002", { text: "商品无质量问题", tips: "请上传商品完好的照片" }],
  ]);
  /** Lists for one refund_phase ("onsale"/"aftersale") where the shop's differ by phase; else refuseReasons. */
  readonly refuseReasonsByPhase = new Map<string, Map<string, { text: string; tips: string }>>();
  readonly exchangeReasons = new Map([
    ["5001", "买家退回的商品不是原商品"],
    ["5002", "换货商品已影响二次销售"],
  ]);
  readonly queue: { id: string; topic: string; content: string; pubTime: string }[] = [];
  readonly calls: FakeTopCall[] = [];
  private readonly faults: FakeTopFault[] = [];
  private sequence = 8104001234567890000n;
  private token: { accessToken: string; refreshToken: string; issued: number } = { accessToken: "sess", refreshToken: "refresh-0", issued: 0 };

  constructor(readonly app: { appKey: string; appSecret: string; sellerNick: string; isTmall: boolean; session?: string; refreshToken?: string }) {
    if (app.session) this.token.accessToken = app.session;
    if (app.refreshToken) this.token.refreshToken = app.refreshToken;
  }

  /** The session the router accepts now (after a token refresh, the new one). */
  get session(): string {
    return this.token.accessToken;
  }

  addRefund(values: Partial<FakeRefund> & { refundId: string }): FakeRefund {
    const tid = values.tid ?? `39${values.refundId.slice(2)}`;
    const refund: FakeRefund = {
      tid,
      oid: tid,
      status: "WAIT_SELLER_AGREE",
      disputeType: "REFUND",
      refundFeeYuan: "59.90",
      reason: "质量问题",
      desc: "开线了",
      title: "羊毛开衫 米白 M",
      refundPhase: "aftersale",
      refundVersion: 1763604130000,
      remindTimeout: "2026-11-22 10:02:10",
      created: "2026-11-20 10:02:10",
      modified: "2026-11-20 10:02:10",
      goodStatus: "BUYER_RECEIVED",
      ...values,
    };
    this.refunds.set(refund.refundId, refund);
    if (!this.trades.has(refund.tid)) {
      this.trades.set(refund.tid, {
        tid: refund.tid,
        status: "WAIT_BUYER_CONFIRM_GOODS",
        consignTime: "2026-11-18 09:30:00",
        modified: refund.created,
        orders: [{ oid: refund.oid, cid: "162103", title: refund.title, status: "WAIT_BUYER_CONFIRM_GOODS", refundId: refund.refundId, refundStatus: refund.status, consignTime: "2026-11-18 09:30:00", payment: refund.refundFeeYuan }],
      });
    }
    return refund;
  }

  /** Queues a message about a refund as it is now; it stays queued until confirmed. */
  publish(topic: string, refundId: string): { id: string; topic: string; content: string; pubTime: string } {
    const refund = this.refunds.get(refundId);
    if (!refund) throw new Error(`No refund ${refundId}`);
    const content = `{"refund_id":${refund.refundId},"tid":${refund.tid},"oid":${refund.oid},"refund_fee":"${refund.refundFeeYuan}","refund_phase":"${refund.refundPhase}","bill_type":"${refund.disputeType.endsWith("EXCHANGE") ? "replace_bill" : refund.disputeType === "REFUND" ? "refund_bill" : "return_bill"}","seller_nick":"${this.app.sellerNick}"}`;
    const message = { id: String(++this.sequence), topic, content, pubTime: refund.modified };
    this.queue.push(message);
    return message;
  }

  /** The next call (of `method`, if given) fails this way; faults queue up in order. */
  failNext(fault: FakeTopFault): void {
    this.faults.push(fault);
  }

  /** One TOP call (form or multipart body), answered as the router would: the body text (HTTP faults still answer 200 here). */
  handle(contentType: string, body: Uint8Array): string {
    return this.respond(contentType, body).body;
  }

  readonly fetch: typeof fetch = async (_input, init) => {
    const headers = new Headers(init?.headers);
    const body = typeof init?.body === "string" ? new TextEncoder().encode(init.body) : (init?.body as Uint8Array);
    const reply = this.respond(headers.get("content-type") ?? "", body);
    return new Response(reply.body, { status: reply.status, headers: { "content-type": reply.status === 200 ? "application/json" : "text/html" } });
  };

  private respond(contentType: string, body: Uint8Array): TopReply {
    const buffer = Buffer.from(body);
    const boundary = /boundary=([^;]+)/i.exec(contentType)?.[1]?.trim().replace(/^"|"$/g, "");
    const { fields: params, files } = boundary ? parseMultipart(buffer, boundary) : { fields: Object.fromEntries(new URLSearchParams(buffer.toString("utf8"))), files: [] as FakeProof[] };
    const method = params.method ?? "";
    const proof = files[0];
    const record = (accepted: boolean, error?: string) => this.calls.push({ method, params, accepted, hasProof: Boolean(proof), proofFiles: files.length, ...(proof ? { proof } : {}), ...(error ? { error } : {}) });
    const reply = (text: string): TopReply => ({ status: 200, body: text });
    if (params.app_key !== this.app.appKey || params.sign_method !== "md5" || params.sign !== topSign(params, this.app.appSecret)) {
      record(false, "Invalid signature");
      return reply(JSON.stringify({ error_response: { code: 25, msg: "Invalid signature" } }));
    }
    if (params.v !== "2.0" || !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(params.timestamp ?? "")) {
      record(false, "Invalid timestamp or version");
      return reply(JSON.stringify({ error_response: { code: 31, msg: "Invalid timestamp" } }));
    }
    const faultIndex = this.faults.findIndex((fault) => !fault.method || fault.method === method);
    if (faultIndex >= 0) {
      const [fault] = this.faults.splice(faultIndex, 1);
      record(false, `fault: ${fault.kind}`);
      if (fault.kind === "http") return { status: fault.status, body: "<html>502 Bad Gateway</html>" };
      if (fault.kind === "isp") return reply(JSON.stringify({ error_response: { code: 15, msg: "Remote service error", sub_code: "isp.top-remote-connection-timeout", sub_msg: "远程服务调用超时" } }));
      if (fault.kind === "session") return reply(JSON.stringify({ error_response: { code: 27, msg: "Invalid session", sub_code: "invalid-sessionkey", sub_msg: "SessionKey非法" } }));
      return reply(businessError(fault.subMsg ?? "退款状态已变化，不能执行此操作", fault.subCode ?? "isv.refund-status-error"));
    }
    const needsSession = !["taobao.itemcats.get", "taobao.top.auth.token.refresh", "taobao.tmc.messages.consume", "taobao.tmc.messages.confirm"].includes(method);
    if (needsSession && params.session !== this.token.accessToken) {
      record(false, "Invalid session");
      return reply(JSON.stringify({ error_response: { code: 27, msg: "Invalid session", sub_code: "invalid-sessionkey", sub_msg: "SessionKey非法" } }));
    }
    const result = this.answer(method, params, proof);
    record(result.error === undefined, result.error);
    return reply(result.body);
  }

  private answer(method: string, params: Record<string, string>, proof: FakeProof | undefined): { body: string; error?: string } {
    const key = `${method.replace(/^taobao\./, "").replaceAll(".", "_")}_response`;
    const ok = (inner: string) => ({ body: `{"${key}":${inner}}` });
    const refuse = (subMsg: string, subCode?: string) => ({ body: businessError(subMsg, subCode), error: subMsg });
    const refund = this.refunds.get(params.refund_id ?? params.dispute_id ?? "");
    const codePoints = (value: string | undefined) => [...(value ?? "")].length;
    const tmallVersionProblem = () =>
      !refund ? "退款不存在" : this.app.isTmall && (params.refund_phase !== refund.refundPhase || params.refund_version !== String(refund.refundVersion)) ? "refund_phase/refund_version 不符" : null;
    const proofProblem = (limit: number, isRequired: boolean) => {
      if (!proof) return isRequired ? "缺少凭证图片" : null;
      if (proof.bytes.byteLength > limit) return `凭证图片超过 ${limit} 字节`;
      return sniffImage(proof.bytes) ? null : "凭证须为 GIF/JPG/PNG 图片";
    };
    const changeStatus = (next: string) => {
      refund!.status = next;
      refund!.refundVersion += 1000;
      const order = this.trades.get(refund!.tid)?.orders.find((entry) => entry.refundId === refund!.refundId);
      if (order) order.refundStatus = next;
    };
    switch (method) {
      case "taobao.tmc.messages.consume": {
        const messages = this.queue
          .slice(0, Number(params.quantity ?? 100))
          .map((message) => `{"id":${message.id},"topic":"${message.topic}","content":${JSON.stringify(message.content)},"pub_time":"${message.pubTime}","pub_app_key":"${this.app.appKey}","user_nick":"${this.app.sellerNick}"}`);
        return ok(`{"messages":{"tmc_message":[${messages.join(",")}]}}`);
      }
      case "taobao.tmc.messages.confirm": {
        const done = new Set((params.s_message_ids ?? "").split(",").filter(Boolean));
        for (let index = this.queue.length - 1; index >= 0; index--) if (done.has(this.queue[index].id)) this.queue.splice(index, 1);
        return ok(`{"is_success":true}`);
      }
      case "taobao.refund.get": {
        if (!refund) return refuse("退款不存在", "isv.refund-not-exist");
        return ok(
          `{"refund":{"refund_id":${refund.refundId},"tid":${refund.tid},"oid":${refund.oid},"status":"${refund.status}","dispute_type":"${refund.disputeType}","refund_fee":"${refund.refundFeeYuan}","payment":"${refund.refundFeeYuan}","reason":${JSON.stringify(refund.reason)},"desc":${JSON.stringify(refund.desc)},"title":${JSON.stringify(refund.title)},"good_status":"${refund.goodStatus}","has_good_return":${refund.disputeType === "REFUND_AND_RETURN"},"refund_phase":"${refund.refundPhase}","refund_version":${refund.refundVersion},"refund_remind_timeout":{"timeout":"${refund.remindTimeout}","remind_type":1,"exist_timeout":true},"created":"${refund.created}","modified":"${refund.modified}","buyer_nick":"t**1"}}`,
        );
      }
      case "taobao.trade.fullinfo.get": {
        const trade = this.trades.get(params.tid ?? "");
        if (!params.fields) return refuse("缺少 fields", "isv.missing-parameter:fields");
        if (!trade) return refuse("交易不存在", "isv.trade-not-exist");
        const times = (entry: { consignTime?: string; endTime?: string }) => `${entry.consignTime ? `,"consign_time":"${entry.consignTime}"` : ""}${entry.endTime ? `,"end_time":"${entry.endTime}"` : ""}`;
        const orders = trade.orders.map(
          (order) =>
            `{"oid":${order.oid},"cid":${order.cid},"title":${JSON.stringify(order.title)},"status":"${order.status}","payment":"${order.payment}"${order.refundId ? `,"refund_id":"${order.refundId}"` : ""}${order.refundStatus ? `,"refund_status":"${order.refundStatus}"` : ""}${times(order)}}`,
        );
        return ok(`{"trade":{"tid":${trade.tid},"status":"${trade.status}","modified":"${trade.modified}"${times(trade)},"orders":{"order":[${orders.join(",")}]}}}`);
      }
      case "taobao.itemcats.get": {
        const cids = (params.cids ?? "").split(",").filter(Boolean);
        const found = cids.flatMap((cid) => {
          const category = this.categories.get(cid);
          return category ? [`{"cid":${cid},"parent_cid":${category.parentCid},"name":${JSON.stringify(category.name)},"is_parent":${[...this.categories.values()].some((entry) => entry.parentCid === cid)}}`] : [];
        });
        return ok(`{"item_cats":{"item_cat":[${found.join(",")}]}}`);
      }
      case "taobao.refund.refusereason.get": {
        if (!refund) return refuse("退款不存在", "isv.refund-not-exist");
        if (!params.refund_phase || !params.fields) return refuse("缺少 refund_phase 或 fields", "isv.missing-parameter");
        const reasons = [...(this.refuseReasonsByPhase.get(params.refund_phase) ?? this.refuseReasons)].map(([id, reason]) => `{"reason_id":${id},"reason_text":${JSON.stringify(reason.text)},"reason_tips":${JSON.stringify(reason.tips)}}`);
        return ok(`{"reasons":{"reason":[${reasons.join(",")}]},"total_results":${reasons.length},"has_next":false}`);
      }
      case "tmall.exchange.refusereason.get": {
        if (!this.app.isTmall) return refuse("仅支持天猫", "isv.not-tmall");
        if (!refund || refund.disputeType !== "TMALL_EXCHANGE") return refuse("换货单不存在", "isv.exchange-not-exist");
        if (!params.fields) return refuse("缺少 fields", "isv.missing-parameter:fields");
        const reasons = [...this.exchangeReasons].map(([id, text]) => `{"reason_id":${id},"reason_text":${JSON.stringify(text)}}`);
        return ok(`{"result":{"results":{"reason":[${reasons.join(",")}]},"total_results":${reasons.length}}}`);
      }
      case "taobao.logistics.address.search": {
        const list = this.addresses.map(
          (address) =>
            `{"contact_id":${address.contactId},"contact_name":${JSON.stringify(address.name)},"province":${JSON.stringify(address.province)},"city":${JSON.stringify(address.city)},"country":${JSON.stringify(address.country)},"addr":${JSON.stringify(address.addr)},"zip_code":"${address.zip}","phone":"${address.phone}","mobile_phone":"${address.mobile}","cancel_def":${address.cancelDef},"get_def":false,"send_def":false}`,
        );
        return ok(`{"addresses":{"address_result":[${list.join(",")}]}}`);
      }
      case "taobao.rp.refunds.agree": {
        const results: string[] = [];
        let failures = 0;
        for (const info of (params.refund_infos ?? "").split(",")) {
          const [refundId, amount, version, phase] = info.split("|");
          const target = this.refunds.get(refundId);
          const problem = !target
            ? "退款不存在"
            : !["WAIT_SELLER_AGREE", "WAIT_SELLER_CONFIRM_GOODS"].includes(target.status) || target.disputeType.endsWith("EXCHANGE")
              ? "退款状态不允许同意退款"
              : target.disputeType === "REFUND_AND_RETURN" && target.status !== "WAIT_SELLER_CONFIRM_GOODS"
                ? "退货退款须先收到退货"
                : !/^\d+$/.test(amount ?? "") || Number(amount) !== Math.round(Number(target.refundFeeYuan) * 100)
                  ? "退款金额（分）不符"
                  : version !== String(target.refundVersion)
                    ? "退款版本已变更"
                    : this.app.isTmall && phase !== target.refundPhase
                      ? "天猫退款须带 refund_phase"
                      : null;
          if (problem) failures++;
          else {
            target!.status = "SUCCESS";
          }
          results.push(`{"refund_id":"${refundId}","succ":${!problem},"message":${JSON.stringify(problem ?? "成功")}}`);
        }
        const count = results.length;
        const code = failures === 0 ? "OP_SUCC" : failures === count ? "OP_FAILURE_UE" : "SOME_OP_SUCC";
        return { body: `{"${key}":{"msg_code":"${code}","succ":${failures === 0},"message":"${code}","results":{"refund_mapping_result":[${results.join(",")}]}}}`, ...(failures ? { error: code } : {}) };
      }
      case "taobao.refund.refuse": {
        const problem = !refund
          ? "退款不存在"
          : !["WAIT_SELLER_AGREE", "WAIT_SELLER_CONFIRM_GOODS"].includes(refund.status) || refund.disputeType.endsWith("EXCHANGE")
            ? "退款状态不允许拒绝"
            : codePoints(params.refuse_message) < 2 || codePoints(params.refuse_message) > 200
              ? "refuse_message 长度须为 2–200"
              : !this.refuseReasons.has(params.refuse_reason_id ?? "")
                ? "refuse_reason_id 不在拒绝原因列表里"
                : (tmallVersionProblem() ?? proofProblem(refuseProofLimit, this.app.isTmall));
        if (problem) return refuse(problem);
        changeStatus("SELLER_REFUSE_BUYER");
        return ok(`{"refund":{"refund_id":"${refund!.refundId}","status":"SELLER_REFUSE_BUYER","modified":"${refund!.modified}"},"is_success":true}`);
      }
      case "taobao.rp.returngoods.agree": {
        const address = this.addresses.find((entry) => entry.contactId === params.seller_address_id);
        const problem = !refund
          ? "退款不存在"
          : refund.disputeType !== "REFUND_AND_RETURN" || refund.status !== "WAIT_SELLER_AGREE"
            ? "退款状态不允许同意退货"
            : !address
              ? "seller_address_id 不在地址库里"
              : this.app.isTmall
                ? (tmallVersionProblem() ?? (params.remark ? null : "天猫须填 remark"))
                : !params.name || !params.address || !params.post || !(params.tel || params.mobile)
                  ? "淘宝须填 name、address、post 和电话"
                  : null;
        if (problem) return refuse(problem);
        changeStatus("WAIT_BUYER_RETURN_GOODS");
        return ok(`{"is_success":true}`);
      }
      case "taobao.rp.returngoods.refuse": {
        const problem = !this.app.isTmall
          ? "目前仅支持天猫退货"
          : !refund || refund.status !== "WAIT_SELLER_CONFIRM_GOODS"
            ? "退款状态不允许拒绝退货"
            : params.refuse_reason_id && !this.refuseReasons.has(params.refuse_reason_id)
              ? "refuse_reason_id 不在拒绝原因列表里"
              : (tmallVersionProblem() ?? proofProblem(returnGoodsProofLimit, true));
        if (problem) return refuse(problem);
        changeStatus("SELLER_REFUSE_BUYER");
        return ok(`{"result":true}`);
      }
      case "tmall.exchange.agree":
      case "tmall.exchange.returngoods.agree":
      case "tmall.exchange.refuse":
      case "tmall.exchange.returngoods.refuse": {
        const isReturned = method.includes("returngoods");
        const isRefuse = method.endsWith("refuse");
        const problem = !this.app.isTmall
          ? "仅支持天猫"
          : !refund || refund.disputeType !== "TMALL_EXCHANGE"
            ? "换货单不存在"
            : refund.status !== (isReturned ? "WAIT_SELLER_CONFIRM_GOODS" : "WAIT_SELLER_AGREE")
              ? "换货状态不允许此操作"
              : method !== "tmall.exchange.returngoods.refuse" && !params.fields
                ? "缺少 fields"
                : method === "tmall.exchange.agree" && !this.addresses.some((entry) => entry.contactId === params.address_id)
                  ? "address_id 不在地址库里"
                  : isRefuse && !this.exchangeReasons.has(params.seller_refuse_reason_id ?? "")
                    ? "seller_refuse_reason_id 不在拒绝原因列表里"
                    : isRefuse
                      ? proofProblem(refuseProofLimit, false)
                      : null;
        if (problem) return { body: `{"${key}":{"result":{"success":false,"msg_code":"EXCHANGE_OP_FAILED","message":${JSON.stringify(problem)}}}}`, error: problem };
        changeStatus(isRefuse ? "SELLER_REFUSE_BUYER" : isReturned ? "WAIT_SELLER_CONSIGN_GOODS" : "WAIT_BUYER_RETURN_GOODS");
        return ok(`{"result":{"success":true,"msg_code":"SUCCESS","message":"成功","exchange":{"dispute_id":"${refund!.refundId}","biz_order_id":"${refund!.tid}","status":"${refund!.status}","modified":"${refund!.modified}"}}}`);
      }
      case "taobao.top.auth.token.refresh": {
        if (params.refresh_token !== this.token.refreshToken) return refuse("refresh_token 无效或已过期", "isv.refresh-token-invalid");
        const issued = ++this.token.issued;
        this.token = { accessToken: `sess-${issued}`, refreshToken: `refresh-${issued}`, issued };
        const tokenResult = { access_token: this.token.accessToken, token_type: "Bearer", expires_in: 86400, refresh_token: this.token.refreshToken, re_expires_in: 2592000, taobao_user_nick: this.app.sellerNick };
        return ok(`{"token_result":${JSON.stringify(JSON.stringify(tokenResult))}}`);
      }
      default:
        return refuse(`unknown method ${method}`, "isv.invalid-method");
    }
  }
}
