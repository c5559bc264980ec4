import { transact } from "@/db/client";
import type { Db } from "@/db/client";
import { buildOrder, buildRequest } from "@/db/factories";
import { answerReopenIfEntryOpen } from "@/db/workflows/entry";
import { recordProposal } from "@/db/queries/proposals";
import { auditLog, orders, requests } from "@/db/schema";
import { getDemoClaims } from "@/db/seed-claims";
import type { BuyerReasonCode } from "@/lib/buyer-reasons";
import type { Platform } from "@/lib/domain";
import { dayMs, minuteMs } from "@/lib/time";

// Demo cards for the platform rules (docs/domain/README.md), so the rules show on first start: re-open cards (eligible, not eligible,
// answered by the system while open), a Douyin card under a live platform proposal and one whose
// proposal is invalid, and a Taobao refund-only after receipt where seller and buyer negotiate.


type DemoShops = { tmall: string; douyin: string; taobao: string };

type DemoCard = {
  shopId: string;
  platform: Platform;
  order: Partial<typeof orders.$inferInsert> & { title: string; category: string; amountFen: number };
  request: { kind: "refund_only" | "return_refund" | "repair" | "entry_reopen"; reasonCode: BuyerReasonCode; claim: string; amountFen: number; receivedAgoMs: number };
};

async function insertCard(db: Db, card: DemoCard, now: Date) {
  const receivedAt = new Date(now.getTime() - card.request.receivedAgoMs);
  const order = {
    ...buildOrder({ shopId: card.shopId, platform: card.platform, buyerId: `b${card.order.title.length}${card.order.amountFen}`, province: "浙江" }),
    ...card.order,
  };
  const request = buildRequest({
    shopId: card.shopId,
    orderId: order.id,
    platform: card.platform,
    kind: card.request.kind,
    reasonCode: card.request.reasonCode,
    claim: card.request.claim,
    amountFen: card.request.amountFen,
    receivedAt,
    platformDeadline: card.request.kind === "entry_reopen" ? null : new Date(receivedAt.getTime() + 48 * 60 * minuteMs),
  });
  await transact(db, async (tx) => {
    await tx.insert(orders).values(order);
    await tx.insert(requests).values(request);
    await tx.insert(auditLog).values({ shopId: card.shopId, requestId: request.id, orderId: order.id, action: "received", toStatus: "pending", at: receivedAt });
  });
  return { orderId: order.id, requestId: request.id };
}

function daysAgo(now: Date, days: number) {
  return new Date(now.getTime() - days * dayMs);
}

export async function seedPolicyDemo(db: Db, shops: DemoShops, now: Date) {
  // Tmall: a re-open card the seller may approve (opened once before, long closed)
  await insertCard(db, {
    shopId: shops.tmall,
    platform: "tmall",
    order: {
      title: "木槿 羊毛双面呢大衣 女 中长款 驼色 M（去年款）",
      category: "apparel",
      amountFen: 89900,
      buyerNick: "江南烟雨",
      completedAt: daysAgo(now, 210),
      shippedAt: daysAgo(now, 215),
      receivedAt: daysAgo(now, 213),
      entryOpenedAt: daysAgo(now, 120),
      entryTimesOpened: 1,
    },
    request: { kind: "entry_reopen", reasonCode: "late_problem", claim: getDemoClaims("apparel", "late_problem")[0], amountFen: 0, receivedAgoMs: 40_000 },
  }, now);
  // Tmall: not eligible, the order's refund succeeded before: 同意 disabled with the reason
  await insertCard(db, {
    shopId: shops.tmall,
    platform: "tmall",
    order: {
      title: "100%桑蚕丝衬衫 女 长袖 象牙白 L",
      category: "apparel",
      amountFen: 45900,
      buyerNick: "夏天的风",
      completedAt: daysAgo(now, 90),
      shippedAt: daysAgo(now, 95),
      receivedAt: daysAgo(now, 93),
      priorRefund: "succeeded",
    },
    request: { kind: "entry_reopen", reasonCode: "late_problem", claim: getDemoClaims("apparel", "late_problem")[1], amountFen: 0, receivedAgoMs: 70_000 },
  }, now);
  // Tmall: the entry is open, so a new re-open request is answered by the system ("已开启，至 …")
  const open = await insertCard(db, {
    shopId: shops.tmall,
    platform: "tmall",
    order: {
      title: "木槿智能 蓝牙降噪耳机 Pro 白色",
      category: "3c_digital",
      amountFen: 59900,
      buyerNick: "阿杰同学",
      completedAt: daysAgo(now, 400),
      shippedAt: daysAgo(now, 404),
      receivedAt: daysAgo(now, 402),
      warrantyDays: 365,
      entryOpenedAt: daysAgo(now, 5),
      entryTimesOpened: 2,
    },
    request: { kind: "entry_reopen", reasonCode: "late_problem", claim: getDemoClaims("3c_digital", "late_problem")[0], amountFen: 0, receivedAgoMs: 5 * minuteMs },
  }, now);
  await transact(db, async (tx) => answerReopenIfEntryOpen(tx, open.requestId, now));
  // Tmall: 售后保, the seller promises two years on this watch, so the period runs far past 180 days
  await insertCard(db, {
    shopId: shops.tmall,
    platform: "tmall",
    order: {
      title: "智能手表 S3 血氧心率监测 NFC 黑色（两年质保）",
      category: "3c_digital",
      amountFen: 79900,
      buyerNick: "北方的狼",
      completedAt: daysAgo(now, 200),
      shippedAt: daysAgo(now, 204),
      receivedAt: daysAgo(now, 202),
      warrantyDays: 365,
      sellerPromiseDays: 730,
    },
    request: { kind: "repair", reasonCode: "needs_repair", claim: getDemoClaims("3c_digital", "needs_repair")[0], amountFen: 0, receivedAgoMs: 55_000 },
  }, now);

  // Douyin: full refund-only after receipt, the platform proposes return & refund; 11:42:10 of 12 h left
  const proposed = await insertCard(db, {
    shopId: shops.douyin,
    platform: "douyin",
    order: {
      title: "手工牛肉干 内蒙古风干 500g 原味",
      category: "food",
      amountFen: 8800,
      buyerNick: "豆豆妈妈",
      completedAt: null,
      shippedAt: daysAgo(now, 4),
      receivedAt: daysAgo(now, 2),
    },
    request: { kind: "refund_only", reasonCode: "quality_issue", claim: getDemoClaims("food", "quality_issue")[0], amountFen: 8800, receivedAgoMs: 30 * minuteMs },
  }, now);
  // Douyin: the same kind of proposal on 生鲜 is recorded as invalid and locks nothing
  const invalid = await insertCard(db, {
    shopId: shops.douyin,
    platform: "douyin",
    order: {
      title: "【产地直发】赣南脐橙 5斤装 单果80-85mm",
      category: "fresh_food",
      amountFen: 3990,
      buyerNick: "快乐的柚子",
      completedAt: null,
      shippedAt: daysAgo(now, 3),
      receivedAt: daysAgo(now, 1),
    },
    request: { kind: "refund_only", reasonCode: "spoiled", claim: getDemoClaims("fresh_food", "spoiled")[0], amountFen: 3990, receivedAgoMs: 25 * minuteMs },
  }, now);
  await transact(db, async (tx) => {
    const proposedAt = new Date(now.getTime() - 17 * minuteMs - 50_000);
    await recordProposal(tx, { shopId: shops.douyin, requestId: proposed.requestId, platformProposalId: "demo-proposal-1", proposedAt, expiresAt: null, now: proposedAt });
    await recordProposal(tx, { shopId: shops.douyin, requestId: invalid.requestId, platformProposalId: "demo-proposal-2", proposedAt, expiresAt: null, now: proposedAt });
  });

  // Taobao (merchant B): refund-only after receipt, seller and buyer negotiate (counter-offer offered)
  await insertCard(db, {
    shopId: shops.taobao,
    platform: "taobao",
    order: {
      title: "北岸数码 机械键盘 87键 茶轴 RGB 背光",
      category: "3c_digital",
      amountFen: 29900,
      buyerNick: "李先生1988",
      completedAt: daysAgo(now, 6),
      shippedAt: daysAgo(now, 10),
      receivedAt: daysAgo(now, 8),
    },
    request: { kind: "refund_only", reasonCode: "quality_issue", claim: getDemoClaims("3c_digital", "quality_issue")[0], amountFen: 29900, receivedAgoMs: 45_000 },
  }, now);
}
