import { hashPassword } from "better-auth/crypto";
import { transact } from "@/db/client";
import type { Db } from "@/db/client";
import { buildOrder, buildRequest, createMerchant, createUser } from "@/db/factories";
import { createDemoShop, seedWebhookDemo } from "@/db/seed-webhooks";
import { rebuildRollups } from "@/db/queries/metrics/rebuild";
import { seedFreightDemo } from "@/db/seed-freight";
import { getDemoClaims, getDemoReasons, type DemoCategory } from "@/db/seed-claims";
import { seedPolicyDemo } from "@/db/seed-policy";
import { accounts, auditLog, evidenceFiles, orders, requests } from "@/db/schema";
import type { BuyerReasonCode } from "@/lib/buyer-reasons";
import { afterSalesKinds, type Platform, type RequestKind } from "@/lib/domain";
import { newId } from "@/lib/ids";
import { dayMs, getShanghaiDay, getShanghaiDayStart, hourMs, minuteMs } from "@/lib/time";
import { createRandom, type Random } from "@/lib/random";

// The demo shop: realistic enough that a merchant recognises the queue on first start.

export const demoPassword = process.env.DEMO_PASSWORD ?? "shouhou-demo-2026";

export const demoLogins = [
  { email: "owner@mujin.demo", name: "陈静", role: "owner", merchant: "A", note: "店长，全部店铺" },
  { email: "wangfang@mujin.demo", name: "王芳", role: "agent", merchant: "A", note: "客服，全部店铺" },
  { email: "lilei@mujin.demo", name: "李雷", role: "agent", merchant: "A", note: "客服，仅抖音店" },
  { email: "zhaoqiang@mujin.demo", name: "赵强", role: "agent", merchant: "A", note: "客服，全部店铺" },
  { email: "owner@beian.demo", name: "周航", role: "owner", merchant: "B", note: "另一商家的店长（隔离演示）" },
] as const;

type Product = { title: string; category: DemoCategory; priceFen: number; kinds: RequestKind[] };

const apparel: Product[] = [
  { title: "木槿 2026秋冬新款羊毛双面呢大衣 女 中长款 驼色 M", category: "apparel", priceFen: 89900, kinds: ["refund_only", "return_refund", "exchange"] },
  { title: "法式复古碎花连衣裙 收腰显瘦 雪纺长裙 S", category: "apparel", priceFen: 25900, kinds: ["refund_only", "return_refund", "exchange"] },
  { title: "高腰直筒牛仔裤 女 宽松垂感 浅蓝 27码", category: "apparel", priceFen: 15900, kinds: ["refund_only", "return_refund", "exchange"] },
  { title: "100%桑蚕丝衬衫 女 长袖 真丝上衣 象牙白 L", category: "apparel", priceFen: 45900, kinds: ["refund_only", "return_refund", "exchange"] },
  { title: "轻薄羽绒服 女 短款 90白鸭绒 黑色 M", category: "apparel", priceFen: 39900, kinds: ["refund_only", "return_refund", "exchange"] },
  { title: "针织开衫 女 慵懒风 燕麦色 均码", category: "apparel", priceFen: 19900, kinds: ["refund_only", "return_refund", "exchange"] },
];

const digital: Product[] = [
  { title: "木槿智能 蓝牙降噪耳机 Pro 主动降噪 40小时续航 白色", category: "3c_digital", priceFen: 59900, kinds: ["refund_only", "return_refund", "exchange", "repair"] },
  { title: "65W 氮化镓快充充电器 三口 PD 快充头", category: "3c_digital", priceFen: 12900, kinds: ["refund_only", "return_refund", "exchange", "repair"] },
  { title: "便携挂脖风扇 无叶静音 USB充电 薄荷绿", category: "home_appliance", priceFen: 8900, kinds: ["refund_only", "return_refund", "exchange", "repair"] },
  { title: "智能手表 S3 血氧心率监测 NFC 黑色", category: "3c_digital", priceFen: 79900, kinds: ["refund_only", "return_refund", "exchange", "repair"] },
  { title: "家用迷你空气炸锅 2.5L 无油低脂 奶白", category: "home_appliance", priceFen: 19900, kinds: ["refund_only", "return_refund", "exchange", "repair"] },
];

const douyinGoods: Product[] = [
  { title: "【产地直发】赣南脐橙 5斤装 单果80-85mm 现摘现发", category: "fresh_food", priceFen: 3990, kinds: ["refund_only", "return_refund"] },
  { title: "智利车厘子 JJ级 2斤礼盒 顺丰冷链", category: "fresh_food", priceFen: 12900, kinds: ["refund_only", "return_refund"] },
  { title: "云南昆明鲜花 混搭玫瑰 20枝 同城速达", category: "flowers_gardening", priceFen: 5990, kinds: ["refund_only", "return_refund"] },
  { title: "多肉植物组合盆栽 8株 带盆 办公室绿植", category: "flowers_gardening", priceFen: 3590, kinds: ["refund_only", "return_refund"] },
  { title: "活体观赏鱼 孔雀鱼 10尾 含氧包装", category: "live_pets", priceFen: 4500, kinds: ["refund_only"] },
  { title: "手工牛肉干 内蒙古风干 500g 原味", category: "food", priceFen: 8800, kinds: ["refund_only", "return_refund", "exchange"] },
  { title: "每日坚果 30袋 混合果仁 礼盒装", category: "food", priceFen: 9900, kinds: ["refund_only", "return_refund", "exchange"] },
];

const taobaoB: Product[] = [
  { title: "北岸数码 机械键盘 87键 茶轴 RGB 背光", category: "3c_digital", priceFen: 29900, kinds: ["refund_only", "return_refund", "exchange", "repair"] },
  { title: "无线鼠标 静音 双模 蓝牙 办公", category: "3c_digital", priceFen: 6900, kinds: ["refund_only", "return_refund", "exchange", "repair"] },
];

const buyerNicks = [
  "小鱼儿爱吃鱼", "tb88123456", "快乐的柚子", "星河滚烫", "momo酱", "江南烟雨", "阿杰同学", "Lucky小七",
  "夏天的风", "一只橘猫", "清风徐来", "豆豆妈妈", "李先生1988", "喵喵不吃鱼", "奔跑的蜗牛", "晴天娃娃",
  "北方的狼", "Coco_2026", "甜甜圈", "老王不在家", "林深时见鹿", "可乐加冰", "苏小苏", "阳光彩虹",
];

const provinces = ["浙江", "江苏", "上海", "广东", "北京", "四川", "湖北", "山东", "河南", "福建", "新疆", "西藏", "青海", "黑龙江"];

function makeEvidenceSvg(label: string, hue: number, index: number): Buffer {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="360" viewBox="0 0 480 360">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl(${hue},45%,82%)"/><stop offset="1" stop-color="hsl(${(hue + 40) % 360},40%,62%)"/></linearGradient></defs>
<rect width="480" height="360" fill="url(#g)"/>
<rect x="120" y="90" width="240" height="170" rx="14" fill="hsl(${hue},30%,94%)" stroke="hsl(${hue},30%,40%)" stroke-width="4"/>
<path d="M150 230 L230 140 L260 190 L290 160 L340 230 Z" fill="hsl(${hue},35%,55%)"/>
<path d="M${200 + index * 17} 100 l18 40 l-22 26 l20 44" stroke="#b91c1c" stroke-width="5" fill="none"/>
<text x="240" y="310" text-anchor="middle" font-family="sans-serif" font-size="22" fill="#1f2937">买家凭证 ${index + 1} · ${label}</text>
</svg>`;
  return Buffer.from(svg, "utf8");
}

const reasonEvidenceLabel: Partial<Record<BuyerReasonCode, string>> = {
  quality_issue: "质量问题",
  damaged_in_transit: "外包装破损",
  spoiled: "变质",
  dead_on_arrival: "到货死亡",
  not_as_described: "色差对比",
  missing_parts: "缺件",
  wrong_item: "错发",
  late_problem: "故障照片",
  needs_repair: "故障照片",
};

type ShopPlan = { id: string; platform: Platform; products: Product[] };

/** Platform deadlines by kind (the policy profiles' fallbacks, lib/policy/profiles.ts: Taobao 36 h 仅退款 shipped, 5 d returns; Douyin 48 h). */
function getPlatformDeadline(platform: Platform, kind: RequestKind, receivedAt: Date): Date | null {
  if (kind === "entry_reopen") return null;
  const hours = platform === "douyin" ? 48 : kind === "refund_only" ? 36 : 120;
  return new Date(receivedAt.getTime() + hours * hourMs);
}

/** Re-open requests exist only where the seller can open the entry (Taobao/Tmall, docs/domain/after-sales-entry.md). */
function pickKind(random: Random, product: Product, platform: Platform): RequestKind {
  if (platform !== "douyin" && random.chance(0.12)) return "entry_reopen";
  return random.pick(product.kinds);
}

function buildCard(random: Random, shop: ShopPlan, receivedAt: Date, withEvidence: boolean, forcedKind?: RequestKind) {
  const product = random.pick(shop.products);
  const kind = forcedKind ?? pickKind(random, product, shop.platform);
  const reasonCode: BuyerReasonCode =
    kind === "entry_reopen" ? "late_problem" : kind === "repair" ? "needs_repair" : random.pick(getDemoReasons(product.category));
  const completedAt =
    kind === "entry_reopen"
      ? new Date(receivedAt.getTime() - random.int(20, 600) * dayMs)
      : new Date(receivedAt.getTime() - random.int(1, 12) * dayMs);
  const order = buildOrder({
    shopId: shop.id,
    platform: shop.platform,
    platformOrderId: `${random.int(1, 4)}${String(random.int(0, 999_999_999)).padStart(9, "0")}${String(random.int(0, 999_999_999)).padStart(9, "0")}`,
    category: product.category,
    title: product.title,
    amountFen: product.priceFen,
    buyerId: `b${random.int(100000, 999999)}`,
    buyerNick: random.pick(buyerNicks),
    province: random.pick(provinces),
    completedAt,
    receivedAt: new Date(completedAt.getTime() - random.int(1, 3) * dayMs),
    supportedKinds: product.kinds.length ? product.kinds : [...afterSalesKinds],
    priorRefund: kind === "entry_reopen" ? random.pick(["none", "none", "closed"] as const) : "none",
  });
  const evidence: (typeof evidenceFiles.$inferInsert)[] = [];
  const evidenceLabel = reasonEvidenceLabel[reasonCode];
  if (withEvidence && evidenceLabel) {
    const count = random.int(1, 3);
    const hue = random.int(0, 359);
    for (let index = 0; index < count; index++) {
      evidence.push({
        id: newId("evd"),
        shopId: shop.id,
        name: `evidence-${index + 1}.svg`,
        mimeType: "image/svg+xml",
        bytes: makeEvidenceSvg(evidenceLabel, hue, index),
      });
    }
  }
  const partial = kind === "refund_only" && random.chance(0.2);
  const request = buildRequest({
    shopId: shop.id,
    orderId: order.id,
    platform: shop.platform,
    platformRequestId: `${random.int(1, 9)}${String(random.int(0, 999_999_999)).padStart(9, "0")}${String(random.int(0, 99_999_999)).padStart(8, "0")}`,
    kind,
    reasonCode,
    claim: random.pick(getDemoClaims(product.category, reasonCode)),
    evidence: evidence.map((file) => file.id),
    amountFen: kind === "entry_reopen" ? 0 : partial ? Math.round(product.priceFen * 0.3) : product.priceFen,
    receivedAt,
    platformDeadline: getPlatformDeadline(shop.platform, kind, receivedAt),
  });
  return { order, request, evidence };
}

/** Time an agent spends on one card: most under two minutes, a few long ones (a call to the warehouse). */
function sampleHandleMs(random: Random): number {
  const u = random.next();
  if (u < 0.6) return random.int(10, 60) * 1000;
  if (u < 0.92) return random.int(60, 120) * 1000;
  if (u < 0.99) return random.int(120, 170) * 1000;
  return random.int(170, 400) * 1000;
}

/** An agent of the demo history: the shops they answer and their daily shift on the Shanghai clock, in minutes. */
type DeskAgent = { userId: string; shopIds: string[]; shiftStartMin: number; shiftEndMin: number; freeAtMs: number };

/** The first instant from `fromMs` on at which the agent is on shift. */
function getNextOnShiftMs(agent: DeskAgent, fromMs: number): number {
  const dayStartMs = getShanghaiDayStart(getShanghaiDay(new Date(fromMs))).getTime();
  const startMs = dayStartMs + agent.shiftStartMin * minuteMs;
  const endMs = dayStartMs + agent.shiftEndMin * minuteMs;
  if (fromMs < startMs) return startMs;
  if (fromMs < endMs) return fromMs;
  return startMs + dayMs;
}

export async function seedDemo(db: Db, now: Date, seed = 20261123) {
  const random = createRandom(seed);
  const merchantA = await createMerchant(db, "杭州木槿电子商务有限公司");
  const tmall = await createDemoShop(db, { merchantId: merchantA, platform: "tmall", name: "木槿旗舰店（天猫）" });
  const douyin = await createDemoShop(db, { merchantId: merchantA, platform: "douyin", name: "木槿鲜生（抖音）" });
  const merchantB = await createMerchant(db, "宁波北岸数码商行");
  const taobao = await createDemoShop(db, { merchantId: merchantB, platform: "taobao", name: "北岸数码（淘宝）" });

  const userIds: Record<string, string> = {};
  for (const login of demoLogins) {
    const merchantId = login.merchant === "A" ? merchantA : merchantB;
    const shopIds = login.email.startsWith("lilei") ? [douyin] : undefined;
    userIds[login.email] = await createUser(db, { merchantId, name: login.name, email: login.email, role: login.role, shopIds });
  }
  const password = await hashPassword(demoPassword);
  await db.insert(accounts).values(
    Object.values(userIds).map((userId) => ({ id: newId("usr"), accountId: userId, providerId: "credential", userId, password })),
  );

  const shopsA: ShopPlan[] = [
    { id: tmall, platform: "tmall", products: [...apparel, ...digital] },
    { id: douyin, platform: "douyin", products: douyinGoods },
  ];
  const shopB: ShopPlan = { id: taobao, platform: "taobao", products: taobaoB };

  const orderRows: (typeof orders.$inferInsert)[] = [];
  const requestRows: (typeof requests.$inferInsert)[] = [];
  const evidenceRows: (typeof evidenceFiles.$inferInsert)[] = [];
  const auditRows: (typeof auditLog.$inferInsert)[] = [];

  // Pending: fresh, nearly due and a few overdue, relative to now.
  const pendingOffsetsS: number[] = [];
  for (let i = 0; i < 28; i++) pendingOffsetsS.push(random.int(2, 100));
  for (let i = 0; i < 22; i++) pendingOffsetsS.push(random.int(100, 175));
  for (let i = 0; i < 12; i++) pendingOffsetsS.push(random.int(181, 2400));
  pendingOffsetsS.forEach((offsetS, index) => {
    const shop = index % 3 === 2 ? shopsA[1] : shopsA[0];
    const card = buildCard(random, shop, new Date(now.getTime() - offsetS * 1000), true);
    orderRows.push(card.order);
    requestRows.push(card.request);
    evidenceRows.push(...card.evidence);
    auditRows.push({ shopId: shop.id, requestId: card.request.id, orderId: card.order.id, action: "received", toStatus: "pending", at: card.request.receivedAt! });
  });
  for (let i = 0; i < 6; i++) {
    const card = buildCard(random, shopB, new Date(now.getTime() - random.int(5, 150) * 1000), true);
    orderRows.push(card.order);
    requestRows.push(card.request);
    evidenceRows.push(...card.evidence);
  }
  // Every kind on both platforms at least once among the pending cards of merchant A.
  for (const shop of shopsA) {
    const kinds: RequestKind[] = shop.platform === "douyin" ? ["refund_only", "return_refund", "exchange"] : ["refund_only", "return_refund", "exchange", "repair", "entry_reopen"];
    for (const kind of kinds) {
      const product = shop.products.find((candidate) => kind === "entry_reopen" || candidate.kinds.includes(kind)) ?? shop.products[0];
      const card = buildCard(random, { ...shop, products: [product] }, new Date(now.getTime() - random.int(10, 160) * 1000), true, kind);
      orderRows.push(card.order);
      requestRows.push(card.request);
      evidenceRows.push(...card.evidence);
    }
  }

  // One proof photo per shop that the history's rejections point at.
  const historyProofIds: Record<string, string> = {};
  for (const shop of [...shopsA, shopB]) {
    historyProofIds[shop.id] = newId("evd");
    evidenceRows.push({ id: historyProofIds[shop.id], shopId: shop.id, name: "proof.svg", mimeType: "image/svg+xml", bytes: makeEvidenceSvg("商家举证", 210, 0) });
  }

  // 30 days of decided history: arrivals follow the day (busy evenings). Days are Shanghai days, as the
  // metrics count them: from 16:00 UTC on, Shanghai is already on the next date, and UTC days left
  // "yesterday" on the owner's page empty. The cards go through a small desk, as on a real day: each is
  // answered by the first free agent on shift for its shop, after the agent's handle time; cards that
  // arrive at night wait for the morning shift, and now and then an agent steps away. So the decisions
  // tell the same story the staffing forecast reads back from them (docs/metrics.md).
  const desk: DeskAgent[] = [
    { userId: userIds["wangfang@mujin.demo"], shopIds: [tmall, douyin], shiftStartMin: 8 * 60, shiftEndMin: 17 * 60, freeAtMs: 0 },
    { userId: userIds["zhaoqiang@mujin.demo"], shopIds: [tmall, douyin], shiftStartMin: 14 * 60, shiftEndMin: 23 * 60 + 30, freeAtMs: 0 },
    { userId: userIds["lilei@mujin.demo"], shopIds: [douyin], shiftStartMin: 9 * 60, shiftEndMin: 21 * 60, freeAtMs: 0 },
    { userId: userIds["owner@mujin.demo"], shopIds: [tmall], shiftStartMin: 10 * 60, shiftEndMin: 22 * 60, freeAtMs: 0 },
    { userId: userIds["owner@beian.demo"], shopIds: [taobao], shiftStartMin: 9 * 60, shiftEndMin: 23 * 60, freeAtMs: 0 },
  ];
  for (let dayIndex = 30; dayIndex >= 1; dayIndex--) {
    const dayStartMs = getShanghaiDayStart(getShanghaiDay(new Date(now.getTime() - dayIndex * dayMs))).getTime();
    const arrivals: { shop: ShopPlan; receivedAt: Date }[] = [];
    for (const shop of [...shopsA, shopB]) {
      const perDay = shop === shopB ? random.int(8, 15) : shop.platform === "tmall" ? random.int(70, 110) : random.int(35, 60);
      for (let i = 0; i < perDay; i++) {
        const hourOfDay = random.chance(0.7) ? random.int(9, 22) : random.int(0, 23);
        const receivedAt = new Date(dayStartMs + hourOfDay * hourMs + random.int(0, 59) * minuteMs + random.int(0, 59) * 1000);
        if (receivedAt.getTime() < now.getTime() - 5 * minuteMs) arrivals.push({ shop, receivedAt });
      }
    }
    arrivals.sort((left, right) => left.receivedAt.getTime() - right.receivedAt.getTime());
    for (const { shop, receivedAt } of arrivals) {
      const card = buildCard(random, shop, receivedAt, false);
      const cancelled = random.chance(0.03);
      const decision = random.chance(0.82) ? "approve" : "reject";
      // First come, first served: the agent of this shop who can start on it soonest
      let agent: DeskAgent | null = null;
      let startMs = Infinity;
      for (const candidate of desk) {
        if (!candidate.shopIds.includes(shop.id)) continue;
        const candidateStartMs = getNextOnShiftMs(candidate, Math.max(receivedAt.getTime(), candidate.freeAtMs));
        if (candidateStartMs < startMs) [agent, startMs] = [candidate, candidateStartMs];
      }
      const decidedAtMs = startMs + sampleHandleMs(random);
      // A card its agent would only finish after now is left out: the pending queue is seeded on its own
      if (!agent || (!cancelled && decidedAtMs >= now.getTime() - minuteMs)) continue;
      if (!cancelled) agent.freeAtMs = decidedAtMs + (random.chance(0.03) ? random.int(5, 25) * minuteMs : 0);
      const decidedAt = new Date(decidedAtMs);
      const decidedBy = agent.userId;
      Object.assign(card.request, cancelled
        ? { status: "cancelled" }
        : {
            status: decision === "approve" ? "approved" : "rejected",
            decision,
            decidedAt,
            decidedBy,
            rejectReasonCode: decision === "reject" ? random.pick(["no_quality_issue", "goods_intact_used", "buyer_agreed_other", "not_received_return"]) : null,
            rejectMessage: decision === "reject" ? random.pick(["亲，商品已签收且无质量问题，吊牌已剪不支持退货哦。", "已与您电话沟通，补发配件，麻烦撤销申请。", "仓库尚未收到退货，收到后第一时间处理。"]) : null,
            version: 2,
          });
      orderRows.push(card.order);
      requestRows.push(card.request);
      if (!cancelled) {
        auditRows.push({
          shopId: shop.id,
          requestId: card.request.id,
          orderId: card.order.id,
          actorId: decidedBy,
          action: decision === "approve" ? "approved" : "rejected",
          fromStatus: "pending",
          toStatus: decision === "approve" ? "approved" : "rejected",
          // Most rejections in the history came with proof; a few did not (卖家有责 in the metrics).
          detail: decision === "reject" && random.chance(0.85) ? { evidenceIds: [historyProofIds[shop.id]] } : {},
          at: decidedAt,
        });
      }
    }
  }

  await transact(db, async (tx) => {
    for (let i = 0; i < orderRows.length; i += 500) await tx.insert(orders).values(orderRows.slice(i, i + 500));
    for (let i = 0; i < evidenceRows.length; i += 200) await tx.insert(evidenceFiles).values(evidenceRows.slice(i, i + 200));
    for (let i = 0; i < requestRows.length; i += 500) await tx.insert(requests).values(requestRows.slice(i, i + 500));
    for (let i = 0; i < auditRows.length; i += 500) await tx.insert(auditLog).values(auditRows.slice(i, i + 500));
  });
  await seedFreightDemo(db, [tmall, douyin, taobao], now);
  await seedWebhookDemo(db, now);
  await seedPolicyDemo(db, { tmall, douyin, taobao }, now);
  // The history went in without the rollups; count it once, exactly (docs/decisions/0002-hourly-rollups.md)
  await rebuildRollups(db);
  return { merchantA, merchantB, shops: { tmall, douyin, taobao }, userIds, pending: requestRows.filter((row) => !row.status || row.status === "pending").length, total: requestRows.length };
}
