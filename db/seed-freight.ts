import { and, eq, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import { transact } from "@/db/client";
import type { Db } from "@/db/client";
import { buildOrder } from "@/db/factories";
import { orders, requests, shops } from "@/db/schema";
import { freightSettings } from "@/db/schema-freight";
import { defaultFreightSettings } from "@/lib/return-freight/api";
import { createRandom } from "@/lib/random";
import { dayMs } from "@/lib/time";

// Demo data for the 退货宝 page (docs/return-freight.md): where each shop ships from, when its orders shipped, and the
// orders that shipped without any after-sales request, so return rates come out realistic (docs/return-freight.md).


/** The shop's own return rates for the demo (shipped-back ÷ shipped); apparel near docs/return-freight.md's 30%. */
const demoReturnRates: Record<string, number> = {
  apparel: 0.3,
  "3c_digital": 0.08,
  home_appliance: 0.07,
  fresh_food: 0.06,
  flowers_gardening: 0.06,
  food: 0.05,
};

const titles: Record<string, string> = {
  apparel: "木槿 女装 常规款",
  "3c_digital": "木槿智能 数码配件",
  home_appliance: "木槿 小家电",
  fresh_food: "产地直发 时令水果",
  flowers_gardening: "鲜花绿植",
  food: "休闲零食 礼盒",
  live_pets: "观赏鱼",
};

/** Receiver provinces weighted towards the Yangtze delta, as for a Hangzhou shop; 8% remote. */
const receiverProvinces = [
  ...Array<string>(25).fill("浙江"),
  ...Array<string>(14).fill("江苏"),
  ...Array<string>(10).fill("上海"),
  ...Array<string>(12).fill("广东"),
  ...Array<string>(8).fill("北京"),
  ...Array<string>(7).fill("四川"),
  ...Array<string>(6).fill("湖北"),
  ...Array<string>(5).fill("山东"),
  ...Array<string>(5).fill("福建"),
  ...Array<string>(4).fill("新疆"),
  ...Array<string>(2).fill("西藏"),
  ...Array<string>(2).fill("青海"),
];

/** shopIds[0] is the Tmall apparel shop. */
export async function seedFreightDemo(db: Db, shopIds: string[], now: Date, seed = 20261124) {
  const random = createRandom(seed);
  await db.update(shops).set({ shipFromProvince: "浙江" }).where(inArray(shops.id, shopIds));
  // The seed's orders were received: they shipped one to three days before.
  await db
    .update(orders)
    .set({ shippedAt: sql`${orders.receivedAt} - ${2 * dayMs}` })
    .where(and(inArray(orders.shopId, shopIds), isNull(orders.shippedAt), isNotNull(orders.receivedAt)));

  const returned = await db
    .select({ shopId: orders.shopId, platform: orders.platform, category: orders.category, returns: sql<number>`count(distinct ${requests.orderId})`.mapWith(Number) })
    .from(requests)
    .innerJoin(orders, eq(orders.id, requests.orderId))
    .where(and(inArray(requests.shopId, shopIds), eq(requests.status, "approved"), inArray(requests.kind, ["return_refund", "exchange"])))
    .groupBy(orders.shopId, orders.platform, orders.category);
  const withRequests = await db
    .select({ shopId: orders.shopId, category: orders.category, count: sql<number>`count(*)`.mapWith(Number) })
    .from(orders)
    .where(inArray(orders.shopId, shopIds))
    .groupBy(orders.shopId, orders.category);

  const rows: (typeof orders.$inferInsert)[] = [];
  let serial = 0;
  for (const group of returned) {
    const rate = demoReturnRates[group.category];
    if (!rate) continue;
    const existing = withRequests.find((row) => row.shopId === group.shopId && row.category === group.category)?.count ?? 0;
    const missing = Math.round(group.returns / rate) - existing;
    for (let index = 0; index < missing; index++) {
      // Spread over the default 90-day window, so a 90-day estimate sees the demo rates above.
      const shippedAt = new Date(now.getTime() - random.int(2 * 60, 90 * 24 * 60 - 1) * 60_000);
      const receivedAt = new Date(shippedAt.getTime() + 2 * dayMs);
      serial += 1;
      rows.push({
        ...buildOrder({
          shopId: group.shopId,
          platform: group.platform,
          platformOrderId: `5${String(serial).padStart(18, "0")}`,
          category: group.category,
          title: titles[group.category] ?? group.category,
          amountFen: random.int(30, 900) * 100,
          buyerId: `b${random.int(100000, 999999)}`,
          buyerNick: "买家",
          province: random.pick(receiverProvinces),
          completedAt: receivedAt.getTime() < now.getTime() ? receivedAt : null,
          receivedAt: receivedAt.getTime() < now.getTime() ? receivedAt : null,
        }),
        shippedAt,
      });
    }
  }
  await transact(db, async (tx) => {
    for (let i = 0; i < rows.length; i += 500) await tx.insert(orders).values(rows.slice(i, i + 500));
    // The Tmall apparel shop promises 包退运费, as many apparel shops do: it pays every return's freight.
    await tx.insert(freightSettings).values({ shopId: shopIds[0], settings: { ...defaultFreightSettings, isFreeReturnPromised: true }, updatedAt: now });
  });
  return { fillerOrders: rows.length };
}
