import { describe, expect, it } from "vitest";
import { createMerchant, createShop } from "@/db/factories";
import { listConnectionHealthTimes, upsertPlatformApp } from "@/db/queries/platforms";
import { closeTestDb, openTestDb } from "@/db/test-db";

// The owner's connection alert reads only the health columns of the merchant's own shops (app/_server/connection-alert.ts).

describe("listConnectionHealthTimes", () => {
  it("gives each connected shop's token and error times, of the merchant's shops in scope only", async () => {
    const db = await openTestDb();
    const merchant = await createMerchant(db, "A");
    const other = await createMerchant(db, "B");
    const [expired, healthy, unconnected] = await Promise.all(["过期", "正常", "未连接"].map(async (name) => createShop(db, { merchantId: merchant, platform: "douyin", name })));
    const othersShop = await createShop(db, { merchantId: other, platform: "douyin", name: "B 店" });
    const expiresAt = new Date("2026-12-01T00:00:00.000Z");
    const app = async (shopId: string, accessTokenExpiresAt: Date | null) =>
      upsertPlatformApp(db, { shopId, protocol: "douyin_push", appKey: "7001", appSecret: "secret", platformShopId: `p-${shopId}`, apiBaseUrl: "https://openapi-fxg.jinritemai.com", accessToken: "t", accessTokenExpiresAt, settings: {} }, new Date());
    await app(expired, expiresAt);
    await app(healthy, null);
    await app(othersShop, expiresAt);

    const times = await listConnectionHealthTimes(db, merchant, [expired, healthy, unconnected, othersShop]);
    expect(times).toHaveLength(2);
    expect(times.map((row) => row.accessTokenExpiresAt)).toEqual(expect.arrayContaining([expiresAt, null]));
    // The health columns only: no secret is opened for an alert
    for (const row of times) expect(Object.keys(row).sort()).toEqual(["accessTokenExpiresAt", "lastAnswerAt", "lastErrorAt", "protocol", "tokenRefreshedAt"]);
    expect(await listConnectionHealthTimes(db, merchant, [])).toEqual([]);
    await closeTestDb(db);
  });
});
