import { beforeEach } from "vitest";
import { eq } from "drizzle-orm";
import { type Db } from "@/db/client";
import { getRaw } from "@/db/raw";
import { openTestDbForTest } from "@/db/test-db";
import { createMerchant, createShop, createUser } from "@/db/factories";
import { getScope, type Scope } from "@/db/queries/users";
import { rotateShopSecret } from "@/db/queries/webhooks";
import { requests } from "@/db/schema";
import { getSignedHeaders } from "@/lib/webhook/signature";
import { handleWebhookPost } from "./handle-event";

// The desk both handle-event test files post signed events to: handle-event.test.ts (what the door accepts and
// refuses) and handle-event-cards.test.ts (what the events make of cards and orders).

export const now = new Date("2026-11-20T02:05:00.000Z");
export const secret = "local-demo-secret-test";
export const requestId = "7301500100200300401";

/** Merchant A's Tmall and Douyin shops and owner, and merchant B's Tmall shop, each shop with its webhook secret. */
export type EventDesk = { db: Db; tmall: string; douyin: string; otherMerchantShop: string; owner: Scope };

export function at(second: number): string {
  return new Date(Date.UTC(2026, 10, 20, 2, 0, second)).toISOString();
}

export function createdEvent(id: string, second = 0, patch: Record<string, unknown> = {}) {
  return {
    id,
    type: "request.created",
    occurredAt: at(second),
    data: {
      requestId,
      kind: "return_refund",
      order: {
        orderId: "3723456789012345678",
        category: "apparel",
        title: "羊毛围巾 灰色",
        amountFen: 8900,
        completedAt: "2026-11-10T10:00:00+08:00",
        supportedKinds: ["refund_only", "return_refund"],
        priorRefund: "none",
      },
      buyer: { id: "2200123456789", nick: "买家小王" },
      reasonCode: "quality_issue",
      reasonText: "拉链坏了",
      evidence: ["https://img.alicdn.com/evidence/1.jpg"],
      amountFen: 8900,
      platformDeadline: "2026-11-22T10:00:00+08:00",
      ...patch,
    },
  };
}

export const cancelledEvent = (id: string, second: number) => ({ id, type: "request.cancelled", occurredAt: at(second), data: { requestId } });
export const updatedEvent = (id: string, second: number, amountFen: number) => ({
  id,
  type: "request.updated",
  occurredAt: at(second),
  data: { requestId, amountFen },
});
export const deadlineEvent = (id: string, second: number, platformDeadline: string) => ({
  id,
  type: "deadline.changed",
  occurredAt: at(second),
  data: { requestId, platformDeadline },
});

type PostOptions = { platform?: string; shopId?: string; signWith?: string; clock?: Date; headers?: Record<string, string>; rawBody?: string };

/** A fresh desk for each test (in a beforeEach), and what the tests post and read with on it. */
export function setUpEventDesk() {
  const desk = {} as EventDesk;

  beforeEach(async () => {
    desk.db = await openTestDbForTest();
    const merchant = await createMerchant(desk.db, "A");
    desk.tmall = await createShop(desk.db, { merchantId: merchant, platform: "tmall", name: "A 天猫店" });
    desk.douyin = await createShop(desk.db, { merchantId: merchant, platform: "douyin", name: "A 抖音店" });
    const merchantB = await createMerchant(desk.db, "B");
    desk.otherMerchantShop = await createShop(desk.db, { merchantId: merchantB, platform: "tmall", name: "B 天猫店" });
    for (const shopId of [desk.tmall, desk.douyin, desk.otherMerchantShop]) await rotateShopSecret(desk.db, shopId, `${secret}-${shopId}`, new Date(0));
    const ownerId = await createUser(desk.db, { merchantId: merchant, name: "老板", email: "owner@a.test", role: "owner" });
    desk.owner = (await getScope(desk.db, ownerId))!;
  });

  function post(body: unknown, options: PostOptions = {}): Promise<Response> {
    const shopId = options.shopId ?? desk.tmall;
    const rawBody = options.rawBody ?? JSON.stringify(body);
    const headers = { ...getSignedHeaders(shopId, options.signWith ?? `${secret}-${shopId}`, options.clock ?? now, rawBody), ...options.headers };
    const request = new Request("http://localhost/api/platforms/tmall/events", { method: "POST", body: rawBody, headers });
    return handleWebhookPost(desk.db, request, options.platform ?? "tmall", now);
  }

  async function counts() {
    // count(*) is a bigint on PostgreSQL, read back as text: Number() makes both engines' answers alike
    const row = await getRaw<Record<string, unknown>>(
      desk.db,
      "select (select count(*) from webhook_events) as events, (select count(*) from requests) as requests, (select count(*) from orders) as orders, (select count(*) from audit_log) as audit",
    );
    return Object.fromEntries(Object.entries(row!).map(([key, value]) => [key, Number(value)]));
  }

  async function getRequestRow() {
    const [row] = await desk.db.select().from(requests).where(eq(requests.platformRequestId, requestId));
    return row ?? null;
  }

  return { desk, post, counts, getRequestRow };
}
