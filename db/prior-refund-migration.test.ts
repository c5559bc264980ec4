import fs from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { openDb } from "@/db/client";
import { buildOrder, createMerchant, createShop } from "@/db/factories";
import { orders } from "@/db/schema";

// Migration 0017: rows stored before 'unknown' was a prior-refund value of its own read as unknown afterwards.
const migrationSql = fs.readFileSync(path.join("db", "migrations", "0017_prior_refund_unknown.sql"), "utf8");

describe("migration 0017_prior_refund_unknown", () => {
  it("marks 'none' unknown only where the platform did not tell the earlier after-sales", async () => {
    const db = openDb(":memory:");
    const shopId = await createShop(db, { merchantId: await createMerchant(db, "A"), platform: "taobao", name: "店" });
    const untold = { ...buildOrder({ shopId, platform: "taobao" }), priorRefund: "none" as const, unknownFacts: ["shipped", "prior_refund"] };
    const toldNone = { ...buildOrder({ shopId, platform: "taobao" }), priorRefund: "none" as const, unknownFacts: ["shipped"] };
    const toldClosed = { ...buildOrder({ shopId, platform: "taobao" }), priorRefund: "closed" as const, unknownFacts: [] };
    await db.insert(orders).values([untold, toldNone, toldClosed]);
    db.$client.exec(migrationSql);
    const priorOf = async (id: string) => (await db.select({ priorRefund: orders.priorRefund }).from(orders).where(eq(orders.id, id)))[0].priorRefund;
    expect([await priorOf(untold.id), await priorOf(toldNone.id), await priorOf(toldClosed.id)]).toEqual(["unknown", "none", "closed"]);
  });
});
