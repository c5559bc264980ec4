import { signTop } from "@/lib/platforms/taobao";

// A fake TOP router + TMC queue (issue 11): tmc.messages.consume/confirm with redelivery of anything not
// confirmed, refund.get with raw 19-digit ids, and the answer APIs checked as Taobao would (md5 sign,
// refund_infos format and amount, refuse_message 2–200, Tmall proof and phase/version).

export type FakeRefund = {
  refundId: string;
  tid: string;
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
};

export type FakeTopCall = { method: string; params: Record<string, string>; accepted: boolean; error?: string; hasProof: boolean };

const error = (subMsg: string) => ({ error_response: { code: 15, msg: "Remote service error", sub_code: "isv.invalid-parameter", sub_msg: subMsg } });

export class FakeTaobao {
  readonly refunds = new Map<string, FakeRefund>();
  readonly queue: { id: string; topic: string; content: string; pubTime: string }[] = [];
  readonly calls: FakeTopCall[] = [];
  private sequence = 8104001234567890000n;

  constructor(readonly app: { appKey: string; appSecret: string; sellerNick: string; isTmall: boolean }) {}

  addRefund(values: Partial<FakeRefund> & { refundId: string }): FakeRefund {
    const refund: FakeRefund = {
      tid: `39${values.refundId.slice(2)}`,
      status: "WAIT_SELLER_AGREE",
      disputeType: "REFUND",
      refundFeeYuan: "59.90",
      reason: "质量问题",
      desc: "开线了",
      title: "帆布鞋 白色 39",
      refundPhase: "aftersale",
      refundVersion: 1763604130000,
      remindTimeout: "2026-11-22 10:02:10",
      created: "2026-11-20 10:02:10",
      modified: "2026-11-20 10:02:10",
      ...values,
    };
    this.refunds.set(refund.refundId, refund);
    return refund;
  }

  /** Queues a message about a refund as it is now; it stays queued until confirmed. */
  publish(topic: string, refundId: string): { id: string; topic: string; content: string; pubTime: string } {
    const refund = this.refunds.get(refundId);
    if (!refund) throw new Error(`No refund ${refundId}`);
    const content = `{"refund_id":${refund.refundId},"tid":${refund.tid},"refund_fee":"${refund.refundFeeYuan}","refund_phase":"${refund.refundPhase}","bill_type":"refund_bill","seller_nick":"${this.app.sellerNick}"}`;
    const message = { id: String(++this.sequence), topic, content, pubTime: refund.modified };
    this.queue.push(message);
    return message;
  }

  /** One TOP call (form or multipart body), answered as the router would; the raw text keeps ids as numbers. */
  handle(contentType: string, body: Uint8Array): string {
    const { params, hasProof } = readBody(contentType, body);
    const { sign, ...signed } = params;
    if (params.app_key !== this.app.appKey || sign !== signTop(signed, this.app.appSecret)) return JSON.stringify({ error_response: { code: 25, msg: "Invalid signature" } });
    const method = params.method;
    const record = (accepted: boolean, message?: string) => this.calls.push({ method, params, accepted, hasProof, ...(message ? { error: message } : {}) });
    const key = `${method.replace(/^taobao\./, "").replaceAll(".", "_")}_response`;
    if (method === "taobao.tmc.messages.consume") {
      const messages = this.queue
        .slice(0, Number(params.quantity ?? 100))
        .map((message) => `{"id":${message.id},"topic":"${message.topic}","content":${JSON.stringify(message.content)},"pub_time":"${message.pubTime}","user_nick":"${this.app.sellerNick}"}`);
      return `{"${key}":{"messages":{"tmc_message":[${messages.join(",")}]},"is_success":true}}`;
    }
    if (method === "taobao.tmc.messages.confirm") {
      const done = new Set((params.s_message_ids ?? "").split(",").filter(Boolean));
      for (let index = this.queue.length - 1; index >= 0; index--) if (done.has(this.queue[index].id)) this.queue.splice(index, 1);
      return JSON.stringify({ [key]: { is_success: true } });
    }
    if (method === "taobao.refund.get") {
      const refund = this.refunds.get(params.refund_id);
      record(Boolean(refund));
      if (!refund) return JSON.stringify(error("退款不存在"));
      return `{"${key}":{"refund":{"refund_id":${refund.refundId},"tid":${refund.tid},"status":"${refund.status}","dispute_type":"${refund.disputeType}","refund_fee":"${refund.refundFeeYuan}","payment":"${refund.refundFeeYuan}","reason":${JSON.stringify(refund.reason)},"desc":${JSON.stringify(refund.desc)},"title":${JSON.stringify(refund.title)},"has_good_return":${refund.disputeType === "REFUND_AND_RETURN"},"refund_phase":"${refund.refundPhase}","refund_version":${refund.refundVersion},"refund_remind_timeout":{"timeout":"${refund.remindTimeout}","remind_type":1,"exist_timeout":true},"created":"${refund.created}","modified":"${refund.modified}","buyer_nick":"t**1"}}}`;
    }
    if (method === "taobao.rp.refunds.agree") {
      for (const info of (params.refund_infos ?? "").split(",")) {
        const [refundId, amount, version, phase] = info.split("|");
        const refund = this.refunds.get(refundId);
        const problem = !refund
          ? "退款不存在"
          : !/^\d+$/.test(amount) || Number(amount) !== Math.round(Number(refund.refundFeeYuan) * 100)
            ? "退款金额（分）不符"
            : version !== String(refund.refundVersion)
              ? "退款版本已变更"
              : this.app.isTmall && phase !== refund.refundPhase
                ? "refund_phase 不符"
                : undefined;
        if (problem) {
          record(false, problem);
          return JSON.stringify({ [key]: { msg_code: "OP_FAILURE_UE", msg: problem } });
        }
        refund!.status = "SUCCESS";
      }
      record(true);
      return JSON.stringify({ [key]: { msg_code: "OP_SUCC", succ: true } });
    }
    if (method === "taobao.refund.refuse") {
      const refund = this.refunds.get(params.refund_id);
      const length = (params.refuse_message ?? "").length;
      const problem = !refund
        ? "退款不存在"
        : length < 2 || length > 200
          ? "refuse_message 长度须为 2–200"
          : !params.refuse_reason_id
            ? "缺少 refuse_reason_id"
            : this.app.isTmall && (!hasProof || !params.refund_phase || !params.refund_version)
              ? "天猫拒绝须上传凭证并带 refund_phase/refund_version"
              : undefined;
      record(!problem, problem);
      if (problem) return JSON.stringify(error(problem));
      refund!.status = "SELLER_REFUSE_BUYER";
      return JSON.stringify({ [key]: { refund_refuse_result: { is_success: true } } });
    }
    return JSON.stringify(error(`unknown method ${method}`));
  }

  readonly fetch: typeof fetch = async (_input, init) => {
    const headers = new Headers(init?.headers);
    const body = typeof init?.body === "string" ? new TextEncoder().encode(init.body) : (init?.body as Uint8Array);
    return new Response(this.handle(headers.get("content-type") ?? "", body), { headers: { "content-type": "application/json" } });
  };
}

function readBody(contentType: string, body: Uint8Array): { params: Record<string, string>; hasProof: boolean } {
  const text = Buffer.from(body).toString("latin1");
  const boundary = /boundary=(.+)$/.exec(contentType)?.[1];
  if (!boundary) return { params: Object.fromEntries(new URLSearchParams(Buffer.from(body).toString("utf8"))), hasProof: false };
  const params: Record<string, string> = {};
  let hasProof = false;
  for (const part of text.split(`--${boundary}`)) {
    const match = /Content-Disposition: form-data; name="([^"]+)"(; filename="[^"]*")?[\s\S]*?\r\n\r\n([\s\S]*)\r\n$/.exec(part);
    if (!match) continue;
    if (match[2]) hasProof = match[3].length > 0 && match[3].length <= 130_000;
    else params[match[1]] = Buffer.from(match[3], "latin1").toString("utf8");
  }
  return { params, hasProof };
}
