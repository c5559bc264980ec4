import { hashPassword } from "better-auth/crypto";
import type { Db } from "@/db/client";
import { createMerchant, createShop, createUser } from "@/db/factories";
import { rotateShopSecret } from "@/db/queries/webhooks";
import { accounts } from "@/db/schema";
import type { Platform } from "@/lib/domain";
import { newId } from "@/lib/ids";
import { createRandom } from "@/lib/random";
import { dayMs, hourMs } from "@/lib/time";

// The bench's own database: 2 shops, 50 agents, a year of decided history and a large pending queue.
// Raw prepared statements in one transaction: about a million rows in seconds.

export const benchPassword = "bench-password-local";

/** Bumped whenever the seed's content changes, so the bench's cached databases are rebuilt. */
export const benchSeedVersion = 2;

/** Local bench only: the platform signs its webhook events with this. */
export const getBenchWebhookSecret = (platform: Platform) => `bench-webhook-secret-${platform}`;

export type BenchShop = { id: string; platform: Platform };
export type BenchData = { shopIds: string[]; shops: BenchShop[]; ownerEmail: string; agentEmails: string[] };

/**
 * The merchant, its two shops (with the platforms' webhook secrets), the owner and the agents, all signing in with
 * benchPassword: the part of the seed that runs on either engine (the live measure across instances on PostgreSQL
 * seeds only this, bench/live-instances.ts).
 */
export async function seedBenchPeople(db: Db, options: { now: Date; agents?: number }): Promise<{ data: BenchData; userIds: string[] }> {
  const merchantId = await createMerchant(db, "压测商家");
  const shopIds = [
    await createShop(db, { merchantId, platform: "tmall", name: "压测天猫店" }),
    await createShop(db, { merchantId, platform: "douyin", name: "压测抖音店" }),
  ];
  const benchShops: BenchShop[] = [
    { id: shopIds[0], platform: "tmall" },
    { id: shopIds[1], platform: "douyin" },
  ];
  // The webhook ingest measures go through the signed endpoint, which refuses a shop without a secret
  for (const shop of benchShops) await rotateShopSecret(db, shop.id, getBenchWebhookSecret(shop.platform), options.now);
  const ownerEmail = "owner@bench.local";
  const userIds = [await createUser(db, { merchantId, name: "压测店长", email: ownerEmail, role: "owner" })];
  const agentEmails: string[] = [];
  for (let index = 0; index < (options.agents ?? 50); index++) {
    const email = `agent${index}@bench.local`;
    agentEmails.push(email);
    userIds.push(await createUser(db, { merchantId, name: `客服${index}`, email, role: "agent" }));
  }
  const password = await hashPassword(benchPassword);
  await db.insert(accounts).values(userIds.map((userId) => ({ id: newId("usr"), accountId: userId, providerId: "credential", userId, password })));
  return { data: { shopIds, shops: benchShops, ownerEmail, agentEmails }, userIds };
}

export async function seedBench(db: Db, options: { history: number; pending: number; now: Date; agents?: number }): Promise<BenchData> {
  const random = createRandom(7);
  const { data, userIds } = await seedBenchPeople(db, options);
  const { shopIds } = data;
  const sqlite = db.$client;
  // A million rows with random ids scatter index writes; with SQLite's 2 MiB default cache that turns into disk churn
  sqlite.pragma("cache_size = -262144");
  const insertOrder = sqlite.prepare(
    `insert into orders (id, shop_id, platform, platform_order_id, category, title, amount_fen, buyer_id, buyer_nick, province, completed_at, shipped_at, received_at, supported_kinds, prior_refund, created_at)
     values (?, ?, ?, ?, 'apparel', ?, ?, ?, '压测买家', '浙江', ?, ?, ?, '["refund_only","return_refund","exchange"]', 'none', ?)`,
  );
  const insertRequest = sqlite.prepare(
    `insert into requests (id, shop_id, order_id, platform, platform_request_id, kind, status, reason_code, claim, evidence, amount_fen, received_at, respond_by, platform_deadline, decision, decided_at, decided_by, version, created_at)
     values (?, ?, ?, ?, ?, ?, ?, 'quality_issue', '压测', '[]', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const kinds = ["refund_only", "return_refund", "exchange"] as const;
  const now = options.now.getTime();
  const total = options.history + options.pending;
  // Building each secondary index once after the load (a sort) beats updating thirteen of them per row
  const indexes = sqlite
    .prepare(`select name, sql from sqlite_master where type = 'index' and tbl_name in ('orders', 'requests') and sql is not null`)
    .all() as { name: string; sql: string }[];
  for (const { name } of indexes) sqlite.exec(`drop index "${name}"`);
  sqlite.transaction(() => {
    for (let index = 0; index < total; index++) {
      const isPending = index >= options.history;
      const shopIndex = index % 2;
      const platform = shopIndex === 0 ? "tmall" : "douyin";
      const receivedAt = isPending ? now - random.int(1, 600) * 1000 : now - random.int(60_000, 365 * dayMs);
      const orderId = newId("ord");
      const amountFen = random.int(1_000, 90_000);
      const completedAt = receivedAt - random.int(1, 10) * dayMs;
      insertOrder.run(orderId, shopIds[shopIndex], platform, `b${index}`, `压测商品 ${index}`, amountFen, `buyer${index % 5000}`, completedAt, completedAt - 3 * dayMs, completedAt - dayMs, receivedAt);
      const responseMs = random.chance(0.9) ? random.int(5, 180) * 1000 : random.int(181, 3600) * 1000;
      const approved = random.chance(0.85);
      insertRequest.run(
        newId("req"),
        shopIds[shopIndex],
        orderId,
        platform,
        `r${index}`,
        kinds[index % 3],
        isPending ? "pending" : approved ? "approved" : "rejected",
        amountFen,
        receivedAt,
        receivedAt + 180_000,
        receivedAt + 36 * hourMs,
        isPending ? null : approved ? "approve" : "reject",
        isPending ? null : receivedAt + responseMs,
        isPending ? null : userIds[1 + (index % (userIds.length - 1))],
        isPending ? 1 : 2,
        receivedAt,
      );
    }
  })();
  for (const { sql } of indexes) sqlite.exec(sql);
  return data;
}
