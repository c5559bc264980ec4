// Fake platforms speaking their real protocols (docs/platforms/README.md), for a local demo against `npm run dev`/`npm start`:
//   TMC_CONSUMER=ws npm start            (the desk, with the Taobao TMC consumer on)
//   npx tsx scripts/simulate-platforms.ts --count 10 [--only douyin,taobao,wechat]
// It connects demo shops to apps whose APIs are this script (local-only keys and secrets, written to the local
// database) and plays each platform:
//   抖店 (木槿鲜生（抖音）): signed pushes (created, a redelivery, modified-before-created, deadline changes, a bad
//     sign), /afterSale/Detail and /afterSale/operate, refusing wrong answers;
//   Taobao TMC (木槿旗舰店（天猫）, Tmall): a TMC WebSocket server checking the CONNECT sign, queued refund messages
//     that the desk pulls and confirms (some delivered twice), and a TOP router for refund.get and the answers;
//   WeChat 小店 (木槿家居（微信小店）, created here if missing): plain and safe-mode pushes, a redelivery and a bad
//     signature, getaftersaleorder, acceptapply and rejectapply.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { and, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { createShop } from "@/db/factories";
import { upsertPlatformApp } from "@/db/queries/platforms";
import { shops } from "@/db/schema";
import { demoShopIds } from "@/db/seed-webhooks";
import { createRandom } from "@/lib/random";
import { FakeDouyin } from "./fake-platforms/douyin";
import { FakeTaobao } from "./fake-platforms/taobao";
import { FakeTmcServer } from "./fake-platforms/taobao-tmc";
import { FakeWechat } from "./fake-platforms/wechat";

const { values: options } = parseArgs({
  options: {
    desk: { type: "string", default: process.env.APP_URL ?? "http://localhost:3000" },
    port: { type: "string", default: "4011" },
    count: { type: "string", default: "10" },
    seed: { type: "string", default: String(Date.now() % 1_000_000) },
    only: { type: "string", default: "douyin,taobao,wechat" },
  },
});

const played = new Set(options.only.split(","));
const random = createRandom(Number(options.seed));
const stats = { stored: 0, refused: 0, redelivered: 0 };
const nowS = () => Math.floor(Date.now() / 1000);
const count = Number(options.count);
const port = Number(options.port);

function tally(isStored: boolean, label: string, answer: string) {
  if (isStored) stats.stored++;
  else stats.refused++;
  console.log(`${isStored ? "✓" : "✗"} ${label} → ${answer}`);
}

async function playDouyin() {
  const app = { appKey: "7123456789012345678", appSecret: "local-demo-secret-douyin-app", shopId: "10437917" };
  const platform = new FakeDouyin(app);
  const { baseUrl } = await platform.listen(port);
  await upsertPlatformApp(
    getDb(),
    { shopId: demoShopIds.douyin, protocol: "douyin_push", appKey: app.appKey, appSecret: app.appSecret, platformShopId: app.shopId, apiBaseUrl: baseUrl, settings: { returnAddressId: "700001" } },
    new Date(),
  );
  console.log(`fake 抖店 on ${baseUrl}; pushing to ${options.desk}/api/platforms/douyin/push`);
  const send = async (push: { body: string; headers: Record<string, string> }, label: string) => {
    const response = await fetch(`${options.desk}/api/platforms/douyin/push`, { method: "POST", headers: push.headers, body: push.body });
    const answer = (await response.json()) as { code: number; msg: string };
    tally(answer.code === 0, `抖店 ${label}`, `${response.status} ${JSON.stringify(answer)}`);
  };
  for (let n = 0; n < count; n++) {
    const aftersaleId = `73${Date.now()}${random.int(100, 999)}`.slice(0, 19);
    const record = platform.addAftersale({ aftersaleId, type: random.pick([0, 1, 1, 2]), productName: random.pick(["赣南脐橙 5斤装", "手工牛肉干 500g"]), refundAmountFen: random.int(990, 8800) }, nowS());
    const created = platform.buildPush(200, record);
    if (random.chance(0.2)) {
      // Out of order: the buyer's change arrives before the create
      record.refundAmountFen -= 100;
      record.updateTimeS += 60;
      await send(platform.buildPush(208, record), `208 before 200 for ${aftersaleId}`);
    }
    await send(created, `200 ${aftersaleId} (type ${record.type})`);
    if (random.chance(0.3)) {
      stats.redelivered++;
      await send(created, `redelivery of msg ${created.msgId}`);
    }
    if (random.chance(0.2)) {
      record.statusDeadlineS += 24 * 3600;
      await send(platform.buildPush(209, record), `209 deadline for ${aftersaleId}`);
    }
    if (random.chance(0.1)) await send({ ...created, headers: { ...created.headers, "event-sign": "0".repeat(32) } }, "a bad sign (must be refused)");
  }
  setInterval(() => {
    for (const operation of platform.operations.splice(0)) {
      console.log(`${operation.accepted ? "✓" : "✗"} 抖店 operate type ${operation.type} for ${operation.aftersaleId}${operation.error ? `: ${operation.error}` : ""}`);
    }
  }, 1000);
}

async function playTaobao() {
  const app = { appKey: "12497914", appSecret: "local-demo-secret-taobao-app", sellerNick: "木槿旗舰店", isTmall: true };
  const top = new FakeTaobao(app);
  const router = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => response.writeHead(200, { "content-type": "application/json" }).end(top.handle(request.headers["content-type"] ?? "", new Uint8Array(Buffer.concat(chunks)))));
  });
  await new Promise<void>((resolve) => router.listen(port + 1, "127.0.0.1", resolve));
  const routerUrl = `http://127.0.0.1:${(router.address() as AddressInfo).port}/router/rest`;
  const tmc = new FakeTmcServer(top, { confirmTimeoutMs: 30_000 });
  const { url } = await tmc.listen(port + 2);
  await upsertPlatformApp(
    getDb(),
    {
      shopId: demoShopIds.tmall,
      protocol: "taobao_tmc",
      appKey: app.appKey,
      appSecret: app.appSecret,
      platformShopId: app.sellerNick,
      apiBaseUrl: routerUrl,
      accessToken: "local-demo-session",
      consumerEnabled: true,
      settings: { isTmall: true, returnAddressId: "800001", tmcUrl: url, tmcGroup: "default" },
    },
    new Date(),
  );
  console.log(`fake TMC on ${url}, TOP router on ${routerUrl}: start the desk with TMC_CONSUMER=ws (it connects within a minute)`);
  for (let n = 0; n < count; n++) {
    const refundId = `2315${Date.now()}${random.int(10, 99)}`.slice(0, 18);
    const chinaNow = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 19).replace("T", " ");
    const timeout = new Date(Date.now() + (8 + 36) * 3600_000).toISOString().slice(0, 19).replace("T", " ");
    const disputeType = random.pick(["REFUND", "REFUND", "REFUND_AND_RETURN"]);
    top.addRefund({ refundId, disputeType, refundFeeYuan: `${random.int(59, 899)}.00`, title: random.pick(["羊毛双面呢大衣 驼色 M", "蓝牙降噪耳机 Pro 白色"]), created: chinaNow, modified: chinaNow, remindTimeout: timeout, refundVersion: Date.now() });
    const message = top.publish("taobao_refund_RefundCreated", refundId);
    // TMC redelivers: the same message id twice must make one card
    if (random.chance(0.3)) {
      stats.redelivered++;
      top.queue.push(message);
    }
    if (random.chance(0.15)) top.publish("taobao_refund_TaobaoInterApplied", refundId);
  }
  console.log(`TMC queue: ${top.queue.length} messages waiting for the desk's pull`);
  let seen = 0;
  setInterval(() => {
    for (const entry of tmc.log.slice(seen)) console.log(`${entry.type === "refused" || entry.type === "failed" ? "✗" : "·"} TMC ${entry.type}${entry.id ? ` ${entry.id}` : ""}${entry.detail ? `: ${entry.detail}` : ""}`);
    seen = tmc.log.length;
    for (const call of top.calls.splice(0)) if (call.method !== "taobao.refund.get") console.log(`${call.accepted ? "✓" : "✗"} TOP ${call.method}${call.error ? `: ${call.error}` : ""}`);
  }, 1000);
}

async function playWechat() {
  const db = getDb();
  const [merchant] = await db.select({ merchantId: shops.merchantId }).from(shops).where(eq(shops.id, demoShopIds.tmall));
  const name = "木槿家居（微信小店）";
  const [existing] = await db.select({ id: shops.id }).from(shops).where(and(eq(shops.merchantId, merchant.merchantId), eq(shops.name, name)));
  const shopId = existing?.id ?? (await createShop(db, { merchantId: merchant.merchantId, platform: "wechat", name }));
  const app = { token: "local-demo-token-wechat", aesKey: "bG9jYWxkZW1vYWVza2V5Zm9yd2VjaGF0c2hvcDAwMDA", appId: "wx0123456789abcdef", accessToken: "local-demo-access-token", appSecret: "local-demo-secret-wechat-app" };
  const platform = new FakeWechat(app);
  const { baseUrl } = await platform.listen(port + 3);
  await upsertPlatformApp(
    db,
    {
      shopId,
      protocol: "wechat_ec",
      appKey: app.appId,
      appSecret: app.appSecret,
      platformShopId: app.appId,
      apiBaseUrl: baseUrl,
      accessToken: app.accessToken,
      settings: { defaultCategory: "home_textile", returnAddressId: "5", wechatToken: app.token, wechatAesKey: app.aesKey, wechatAppId: app.appId },
    },
    new Date(),
  );
  console.log(`fake WeChat 小店 on ${baseUrl}; pushing to ${options.desk}/api/platforms/wechat/push`);
  const send = async (push: { query: string; body: string }, label: string) => {
    const response = await fetch(`${options.desk}/api/platforms/wechat/push?${push.query}`, { method: "POST", headers: { "content-type": "application/json" }, body: push.body });
    const answer = await response.text();
    tally(answer === "success", `WeChat ${label}`, `${response.status} ${answer.slice(0, 80)}`);
  };
  const check = await fetch(`${options.desk}/api/platforms/wechat/push?${platform.buildUrlCheck("simulator-echo")}`);
  console.log(`${(await check.text()) === "simulator-echo" ? "✓" : "✗"} WeChat URL check`);
  for (let n = 0; n < count; n++) {
    const afterSaleOrderId = `20${Date.now()}${random.int(1000000, 9999999)}`.slice(0, 19);
    const record = platform.addAftersale({ afterSaleOrderId, type: random.pick(["REFUND", "RETURN"]), amountFen: random.int(2900, 25900) }, nowS());
    const isSafeMode = random.chance(0.5);
    await send(platform.buildPush(record, { isSafeMode }), `${afterSaleOrderId} (${record.type}, ${isSafeMode ? "safe" : "plain"} mode)`);
    if (random.chance(0.3)) {
      stats.redelivered++;
      await send(platform.buildPush(record, { isSafeMode }), `redelivery of ${afterSaleOrderId}`);
    }
    if (random.chance(0.1)) {
      const push = platform.buildPush(record);
      await send({ ...push, query: push.query.replace(/signature=[0-9a-f]+/, `signature=${"0".repeat(40)}`) }, "a bad signature (must be refused)");
    }
  }
  setInterval(() => {
    for (const operation of platform.operations.splice(0)) {
      console.log(`${operation.accepted ? "✓" : "✗"} WeChat ${operation.path} for ${operation.afterSaleOrderId}${operation.error ? `: ${operation.error}` : ""}`);
    }
  }, 1000);
}

async function main() {
  if (played.has("douyin")) await playDouyin();
  if (played.has("taobao")) await playTaobao();
  if (played.has("wechat")) await playWechat();
  console.log(`pushes: ${JSON.stringify(stats)}. Decide cards in the inbox; answers arrive here (Ctrl-C to stop).`);
  process.on("SIGINT", () => process.exit(0));
}

void main();
