import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createGuardedFetch } from "@/app/_server/net/guarded-fetch";
import { douyinAdapter } from "@/app/_server/platforms/douyin-adapter";
import { taobaoAdapter } from "@/app/_server/platforms/taobao-adapter";
import { makeNoisyPng } from "@/app/_server/platforms/test-photos";
import { buildPlatformApp } from "@/db/factories";
import type { PlatformApp } from "@/db/queries/platforms";
import type { OutboundPolicy } from "@/lib/net/outbound-url";
import { FakeDouyin } from "@/scripts/fake-platforms/douyin";
import { FakeTaobao, sniffImage } from "@/scripts/fake-platforms/taobao";

// The guard's own HTTP client against the platform fakes over real sockets on 127.0.0.1 (as the e2e server
// meets them, with ALLOW_LOCAL_ENDPOINTS=1): signed JSON, multipart proof uploads and their answers go through
// the node:http transport unchanged.

const now = new Date("2026-11-20T02:00:00.000Z");
const productionLocal: OutboundPolicy = { allowLocal: true, isProduction: true };
const deps = () => ({ fetch: createGuardedFetch({ getPolicy: () => productionLocal }), now: () => now, timeoutMs: 5_000 });

const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

function baseApp(values: Pick<PlatformApp, "protocol" | "appKey" | "appSecret" | "platformShopId" | "apiBaseUrl" | "accessToken" | "settings">): PlatformApp {
  return buildPlatformApp({ ...values, updatedAt: now });
}

describe("the guarded transport against the platform fakes on 127.0.0.1", () => {
  it("Douyin: a rejection with a proof photo (binary upload, material, operate) is accepted", async () => {
    const shop = { appKey: "7123456789012345678", appSecret: "unit-secret-douyin", shopId: "10437917" };
    const platform = new FakeDouyin(shop);
    const { server, baseUrl } = await platform.listen();
    closers.push(() => server.close());
    const nowS = Math.floor(now.getTime() / 1000);
    const record = platform.addAftersale({ aftersaleId: "7301500100200300001", applyTimeS: nowS - 3600, type: 1 }, nowS);
    const app = baseApp({ protocol: "douyin_push", appKey: shop.appKey, appSecret: shop.appSecret, platformShopId: shop.shopId, apiBaseUrl: baseUrl, accessToken: null, settings: { returnAddressId: "700001" } });
    const outcome = await douyinAdapter.answer(deps(), app, {
      native: {
        protocol: "douyin_push",
        refundId: record.aftersaleId,
        orderId: record.orderId,
        status: String(record.status),
        platformType: String(record.type),
        kind: null,
        version: String(record.updateTimeS),
        updateTime: `${new Date((record.updateTimeS + 8 * 3600) * 1000).toISOString().slice(0, 19)}+08:00`,
        intervention: null,
      },
      decision: { requestId: record.aftersaleId, amountFen: record.refundAmountFen, decision: "reject", reasonCode: "1", message: "商品已拆封使用" },
      proof: [{ name: "破损照片.png", mimeType: "image/png", bytes: await makeNoisyPng(400, 300, 88172645) }],
      reason: { id: "1", text: "商品已使用，影响二次销售", tips: null, isEvidenceRequired: true },
    });
    expect(outcome).toMatchObject({ ok: true });
    expect(platform.calls).toEqual(["open.binaryupload", "material.uploadImageSync", "material.queryMaterialDetail", "afterSale.operate"]);
    expect(platform.operations[0]).toMatchObject({ type: 202, accepted: true });
  });

  it("Taobao: a multipart taobao.refund.refuse with a JPEG proof reaches TOP whole", async () => {
    const keys = { appKey: "12497914", appSecret: "unit-secret-taobao", sellerNick: "demo_shop" };
    const top = new FakeTaobao({ ...keys, isTmall: true });
    const server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => response.writeHead(200, { "content-type": "application/json" }).end(top.handle(request.headers["content-type"] ?? "", new Uint8Array(Buffer.concat(chunks)))));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    closers.push(() => server.close());
    const refund = top.addRefund({ refundId: "231500112233445566" });
    const app = baseApp({ protocol: "taobao_tmc", appKey: keys.appKey, appSecret: keys.appSecret, platformShopId: keys.sellerNick, apiBaseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/router/rest`, accessToken: top.session, settings: { isTmall: true } });
    const outcome = await taobaoAdapter.answer(deps(), app, {
      native: {
        protocol: "taobao_tmc",
        refundId: refund.refundId,
        orderId: refund.tid,
        status: refund.status,
        platformType: refund.disputeType,
        kind: "refund_only",
        version: String(refund.refundVersion),
        refundPhase: refund.refundPhase,
        amountFen: Math.round(Number(refund.refundFeeYuan) * 100),
        intervention: null,
      },
      decision: { requestId: refund.refundId, amountFen: 5990, decision: "reject", reasonCode: "4001", message: "商品完好" },
      proof: [{ name: "IMG_2041.PNG", mimeType: "image/png", bytes: await makeNoisyPng(1200, 900) }],
      reason: { id: "4001", text: "买家已签收", tips: null, isEvidenceRequired: true },
    });
    expect(outcome).toMatchObject({ ok: true });
    const refuse = top.calls.find((call) => call.method === "taobao.refund.refuse");
    expect(refuse).toMatchObject({ accepted: true, params: { refuse_reason_id: "4001" } });
    expect(sniffImage(refuse!.proof!.bytes)).toBe("jpeg");
  });
});
