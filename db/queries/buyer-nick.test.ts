import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { createMerchant, createOrder, createShop } from "@/db/factories";
import { maskedBuyerNickSql } from "@/db/queries/buyer-nick";
import { orders } from "@/db/schema";
import { maskNickname } from "@/lib/mask";
import { closeTestDb, openTestDb } from "@/db/test-db";

describe("maskedBuyerNickSql", () => {
  it.each(["张三丰0", "张12340", "李雷", "王", "", "   ", " 小鱼儿 ", "\u3000江南烟雨\u3000", "a😀b😀c", "😀", "tb_12345678", "夏天的风"])(
    "masks %j as lib/mask.ts does",
    async (nick) => {
      const db = await openTestDb();
      const shopId = await createShop(db, { merchantId: await createMerchant(db, "A"), platform: "tmall", name: "店" });
      const orderId = await createOrder(db, { shopId, platform: "tmall", buyerNick: nick });
      const [row] = await db.select({ masked: maskedBuyerNickSql() }).from(orders).where(eq(orders.id, orderId));
      expect(row.masked).toBe(maskNickname(nick));
      await closeTestDb(db);
    },
  );
});
