// A local fake platform (docs/webhooks.md): sends realistic signed events to the desk and receives its decisions.
//   npm run simulate -- --rate 5 --shop shop_0000000000000000tma1
// Options: --rate events/s (default 2) · --shop id (repeatable; default the two demo shops of 木槿)
//          --desk URL (default http://localhost:3000) · --port receiver port (default 4010)
//          --count stop after N events (default: run until Ctrl-C) · --secret override the shop secret
// Everything is for a local demo: secrets default to the seed's DEMO_WEBHOOK_SECRET values.
import http from "node:http";
import { parseArgs } from "node:util";
import { buyerReasonCodes } from "@/lib/buyer-reasons";
import type { Platform, RequestKind } from "@/lib/domain";
import { zhCNMessages as zh } from "@/lib/i18n/messages/merged";
import { createRandom } from "@/lib/random";
import { webhookEvent, type WebhookEvent } from "@/lib/webhook/events";
import { decisionEvent, idempotencyKeyHeader } from "@/lib/webhook/outbound";
import { checkTimestamp, getSignedHeaders, verifySignature, webhookHeaders } from "@/lib/webhook/signature";
import { demoShopIds, getDemoWebhookSecret } from "@/db/seed-webhooks";
import { dayMs, hourMs } from "@/lib/time";

const { values: options } = parseArgs({
  options: {
    rate: { type: "string", default: "2" },
    shop: { type: "string", multiple: true },
    desk: { type: "string", default: process.env.APP_URL ?? "http://localhost:3000" },
    port: { type: "string", default: "4010" },
    count: { type: "string" },
    secret: { type: "string" },
    platform: { type: "string" },
    seed: { type: "string", default: String(Date.now() % 1_000_000) },
  },
});

const platformOfDemoShop = Object.fromEntries(Object.entries(demoShopIds).map(([platform, id]) => [id, platform as Platform]));
const shopIds = options.shop?.length ? options.shop : [demoShopIds.tmall, demoShopIds.douyin];
const shops = shopIds.map((id) => {
  const platform = (options.platform as Platform | undefined) ?? platformOfDemoShop[id];
  if (!platform) throw new Error(`Unknown shop ${id}: pass --platform taobao|tmall|douyin and --secret`);
  return { id, platform, secret: options.secret ?? getDemoWebhookSecret(platform) };
});
const ratePerS = Number(options.rate);
const maxEvents = options.count ? Number(options.count) : Infinity;
const receiverPort = Number(options.port);
const random = createRandom(Number(options.seed));

const stats = { sent: 0, accepted: 0, duplicatesAcked: 0, refused: 0, failed: 0, decisions: 0, decisionResends: 0, badSignatures: 0 };
const decisionKeys = new Map<string, string>();

// ---- receiver: decisions from the desk's outbox, checked like the desk checks our events
const evidenceSvg = (n: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="240" height="180"><rect width="240" height="180" fill="hsl(${Number(n) * 47 % 360},40%,80%)"/><text x="120" y="95" text-anchor="middle" font-size="18">模拟凭证 ${n}</text></svg>`;

const receiver = http.createServer((request, response) => {
  const evidence = request.url?.match(/^\/evidence\/(\d+)\.svg$/);
  if (request.method === "GET" && evidence) {
    response.writeHead(200, { "content-type": "image/svg+xml" }).end(evidenceSvg(evidence[1]));
    return;
  }
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", () => {
    const body = Buffer.concat(chunks);
    const shop = shops.find((candidate) => candidate.id === request.headers[webhookHeaders.shopId.toLowerCase()]);
    const timestamp = String(request.headers[webhookHeaders.timestamp.toLowerCase()] ?? "");
    const signature = String(request.headers[webhookHeaders.signature.toLowerCase()] ?? "");
    const isFresh = checkTimestamp(timestamp, new Date()).ok;
    if (!shop || !isFresh || !verifySignature([shop.secret], timestamp, body, signature)) {
      stats.badSignatures++;
      console.log(`✗ decision with a bad signature or stale timestamp from shop ${shop?.id ?? "?"}`);
      response.writeHead(401).end();
      return;
    }
    const parsed = decisionEvent.safeParse(JSON.parse(body.toString("utf8")));
    if (!parsed.success) {
      response.writeHead(422).end();
      return;
    }
    const key = String(request.headers[idempotencyKeyHeader.toLowerCase()] ?? "");
    const { data } = parsed.data;
    if (decisionKeys.has(key)) {
      stats.decisionResends++;
      console.log(`↺ resend of ${key} (same idempotency key, ignored)`);
    } else {
      decisionKeys.set(key, data.requestId);
      stats.decisions++;
      const detail = data.decision === "reject" ? ` · ${data.reasonCode}: ${data.message}` : "";
      console.log(`✓ decision ${data.decision} for request ${data.requestId} (shop ${shop.id}, signature ok)${detail}`);
    }
    response.writeHead(200, { "content-type": "application/json" }).end('{"code":0,"msg":"success"}');
  });
});

// ---- events
type Product = { title: string; category: string; amountFen: number; kinds: RequestKind[] };
const products: Record<Platform, Product[]> = {
  tmall: [
    { title: "羊毛双面呢大衣 驼色 M", category: "apparel", amountFen: 89900, kinds: ["refund_only", "return_refund", "exchange"] },
    { title: "蓝牙降噪耳机 Pro 白色", category: "3c_digital", amountFen: 59900, kinds: ["refund_only", "return_refund", "exchange", "repair"] },
  ],
  taobao: [{ title: "机械键盘 87键 茶轴", category: "3c_digital", amountFen: 29900, kinds: ["refund_only", "return_refund", "exchange", "repair"] }],
  douyin: [
    { title: "赣南脐橙 5斤装", category: "fresh_food", amountFen: 3990, kinds: ["refund_only", "return_refund"] },
    { title: "手工牛肉干 500g", category: "food", amountFen: 8800, kinds: ["refund_only", "return_refund", "exchange"] },
  ],
  wechat: [{ title: "纯棉四件套 1.8m 床", category: "home_textile", amountFen: 25900, kinds: ["refund_only", "return_refund", "exchange"] }],
};
const nicks = ["小鱼儿爱吃鱼", "快乐的柚子", "星河滚烫", "momo酱", "一只橘猫", "晴天娃娃"];

let sequence = 0;
const runId = Date.now().toString(36);
const nextEventId = () => `evt_sim_${runId}_${++sequence}`;
const digits = (n: number) => Array.from({ length: n }, (_, i) => (i === 0 ? random.int(1, 9) : random.int(0, 9))).join("");

function buildRequestEvents(platform: Platform, now: Date): WebhookEvent[] {
  const product = random.pick(products[platform]);
  const kind: RequestKind = random.chance(0.1) ? "entry_reopen" : random.pick(product.kinds);
  const requestId = digits(18);
  const occurredAt = now.toISOString();
  const reasonCode = random.pick(buyerReasonCodes);
  const evidenceCount = random.int(0, 2);
  const created: WebhookEvent = {
    id: nextEventId(),
    type: "request.created",
    occurredAt,
    data: {
      requestId,
      kind,
      order: {
        orderId: digits(19),
        category: product.category,
        title: product.title,
        amountFen: product.amountFen,
        completedAt: new Date(now.getTime() - random.int(1, 10) * dayMs).toISOString(),
        supportedKinds: product.kinds.filter((candidate): candidate is Exclude<RequestKind, "entry_reopen"> => candidate !== "entry_reopen"),
        priorRefund: "none",
      },
      buyer: { id: digits(13), nick: random.pick(nicks) },
      reasonCode,
      // The buyer's reason in the words the platform shows them
      reasonText: zh.buyerReason[reasonCode],
      evidence: Array.from({ length: evidenceCount }, () => `http://localhost:${receiverPort}/evidence/${random.int(1, 99)}.svg`),
      amountFen: product.amountFen,
      platformDeadline: new Date(now.getTime() + (platform === "douyin" ? 48 : 36) * hourMs).toISOString(),
    },
  };
  const later = (seconds: number) => new Date(now.getTime() + seconds * 1000).toISOString();
  const events: WebhookEvent[] = [created];
  if (random.chance(0.15)) events.push({ id: nextEventId(), type: "request.cancelled", occurredAt: later(20), data: { requestId } });
  if (random.chance(0.2)) {
    events.push({ id: nextEventId(), type: "request.updated", occurredAt: later(10), data: { requestId, amountFen: Math.round(product.amountFen * 0.5) } });
  }
  if (random.chance(0.1)) {
    events.push({ id: nextEventId(), type: "deadline.changed", occurredAt: later(15), data: { requestId, platformDeadline: later(24 * 3600) } });
  }
  if (platform === "douyin" && random.chance(0.2)) {
    events.push({ id: nextEventId(), type: "proposal.created", occurredAt: later(30), data: { requestId, proposalId: digits(12), expiresAt: later(12 * 3600) } });
  }
  // Out of order: sometimes the follow-ups arrive before the create
  if (events.length > 1 && random.chance(0.3)) events.push(events.shift()!);
  return events.map((event) => webhookEvent.parse(event));
}

async function send(shop: (typeof shops)[number], event: WebhookEvent, label = "") {
  const rawBody = JSON.stringify(event);
  const headers = { "content-type": "application/json", ...getSignedHeaders(shop.id, shop.secret, new Date(), rawBody) };
  stats.sent++;
  try {
    const response = await fetch(`${options.desk}/api/platforms/${shop.platform}/events`, { method: "POST", headers, body: rawBody });
    const answer = await response.json().catch(() => null);
    if (response.ok) {
      stats.accepted++;
      if (answer?.duplicate) stats.duplicatesAcked++;
      console.log(`→ ${shop.platform} ${event.type} ${event.id}${label}: ${response.status}${answer?.duplicate ? " duplicate" : ""}`);
    } else {
      stats.refused++;
      console.log(`→ ${shop.platform} ${event.type} ${event.id}${label}: ${response.status} ${answer?.error?.code ?? ""}`);
    }
  } catch (error) {
    stats.failed++;
    console.log(`→ ${event.id}: desk unreachable (${error instanceof Error ? error.message : error})`);
  }
}

const queue: { shop: (typeof shops)[number]; event: WebhookEvent; label?: string }[] = [];

function refill() {
  const shop = random.pick(shops);
  for (const event of buildRequestEvents(shop.platform, new Date())) {
    queue.push({ shop, event });
    // Platforms redeliver: some events come twice
    if (random.chance(0.1)) queue.push({ shop, event, label: " (redelivery)" });
  }
}

function printStats() {
  console.log(
    `[simulate] sent ${stats.sent} · 2xx ${stats.accepted} (duplicates acknowledged ${stats.duplicatesAcked}) · refused ${stats.refused} · unreachable ${stats.failed} · decisions ${stats.decisions} (+${stats.decisionResends} resends, ${stats.badSignatures} bad signatures)`,
  );
}

receiver.listen(receiverPort, () => {
  console.log(`[simulate] receiving decisions on http://localhost:${receiverPort}/decisions · sending ${ratePerS}/s to ${options.desk}`);
  console.log(`[simulate] shops: ${shops.map((shop) => `${shop.id} (${shop.platform})`).join(", ")}`);
});

const sender = setInterval(() => {
  if (stats.sent >= maxEvents) {
    clearInterval(sender);
    // Keep receiving a little longer so decisions made now still arrive
    setTimeout(() => {
      printStats();
      process.exit(0);
    }, 2_000);
    return;
  }
  if (queue.length === 0) refill();
  const next = queue.shift()!;
  void send(next.shop, next.event, next.label);
}, 1000 / ratePerS);
const statsTimer = setInterval(printStats, 10_000);
statsTimer.unref();

process.on("SIGINT", () => {
  printStats();
  process.exit(0);
});
