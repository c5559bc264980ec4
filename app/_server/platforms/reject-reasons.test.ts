import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { ensureRejectReasons } from "@/app/_server/platforms/reject-reasons";
import { type Db } from "@/db/client";
import { openTestDbForTest } from "@/db/test-db";
import { createMerchant, createShop } from "@/db/factories";
import { getPlatformAppForShop, upsertPlatformApp } from "@/db/queries/platforms";
import { platformRefunds, platformRejectReasons } from "@/db/schema-platforms";
import type { NativeRefund, PlatformRejectReason } from "@/lib/platforms/types";
import { dayMs } from "@/lib/time";
import { FakeTaobao, type FakeRefund } from "@/scripts/fake-platforms/taobao";

// A connected shop's reject reasons (docs/platforms/reject-reasons.md): read from the platform once a day, the last
// list kept (and said to be stale) when the platform cannot be read, and on Taobao/Tmall one list per refund phase
// and state, which is what taobao.refund.refusereason.get answers by. The platform is the fake TOP.

const keys = { appKey: "12497914", appSecret: "unit-secret-taobao", sellerNick: "demo_shop" };
const readAt = new Date("2026-11-20T02:00:00.000Z");

let db: Db;
let top: FakeTaobao;
let shopId: string;
let now: Date;
const deps = () => ({ fetch: top.fetch, now: () => now, timeoutMs: 5_000 });
const reasonCalls = () => top.calls.filter((call) => call.method === "taobao.refund.refusereason.get");

async function storeRefund(values: Partial<FakeRefund> & { refundId: string }): Promise<FakeRefund> {
  const refund = top.addRefund(values);
  const native: NativeRefund = {
    protocol: "taobao_tmc",
    refundId: refund.refundId,
    orderId: refund.tid,
    status: refund.status,
    platformType: refund.disputeType,
    kind: "refund_only",
    version: String(refund.refundVersion),
    refundPhase: refund.refundPhase,
    intervention: null,
  };
  await db.insert(platformRefunds).values({ shopId, platformRequestId: refund.refundId, native, updatedAt: readAt });
  return refund;
}

const ensure = (refundId: string) => ensureRejectReasons(db, { shopId, kind: "refund_only", platformRequestId: refundId }, now, deps());
const ids = (reasons: readonly PlatformRejectReason[] | undefined) => reasons?.map((reason) => reason.id);

beforeEach(async () => {
  db = await openTestDbForTest();
  top = new FakeTaobao({ ...keys, isTmall: true });
  const merchantId = await createMerchant(db, "A");
  shopId = await createShop(db, { merchantId, platform: "tmall", name: "A 天猫店" });
  await upsertPlatformApp(
    db,
    { shopId, protocol: "taobao_tmc", appKey: keys.appKey, appSecret: keys.appSecret, platformShopId: keys.sellerNick, apiBaseUrl: "http://fake-top/router/rest", accessToken: "sess", settings: { isTmall: true } },
    readAt,
  );
  now = readAt;
});

describe("ensureRejectReasons: the daily refresh", () => {
  it("reads the platform once, then serves the list until it is 24 h old, and reads it again at exactly 24 h", async () => {
    await storeRefund({ refundId: "231500112233440001" });
    expect(await ensure("231500112233440001")).toEqual({ reasons: expect.any(Array), fetchedAt: readAt, isStale: false });
    expect(reasonCalls()).toHaveLength(1);
    now = new Date(readAt.getTime() + dayMs - 1);
    const fresh = await ensure("231500112233440001");
    expect({ fetchedAt: fresh?.fetchedAt, isStale: fresh?.isStale, calls: reasonCalls().length }).toEqual({ fetchedAt: readAt, isStale: false, calls: 1 });
    // The platform changed its list meanwhile: the re-read a day later stores and returns the new one
    top.refuseReasons.set("4003", { text: "买家未退回商品", tips: "请上传物流截图" });
    now = new Date(readAt.getTime() + dayMs);
    const reread = await ensure("231500112233440001");
    expect({ ids: ids(reread?.reasons), fetchedAt: reread?.fetchedAt, isStale: reread?.isStale, calls: reasonCalls().length }).toEqual({ ids: ["4001", "4002", "4003"], fetchedAt: now, isStale: false, calls: 2 });
    const [row] = await db.select().from(platformRejectReasons).where(eq(platformRejectReasons.shopId, shopId));
    expect({ ids: ids(row.reasons), fetchedAt: row.fetchedAt }).toEqual({ ids: ["4001", "4002", "4003"], fetchedAt: now });
  });

  it("uses the stale list when the platform cannot be read, says it is stale, and records the platform's error", async () => {
    await storeRefund({ refundId: "231500112233440002" });
    await ensure("231500112233440002");
    now = new Date(readAt.getTime() + 2 * dayMs);
    top.failNext({ kind: "isp", method: "taobao.refund.refusereason.get" });
    const stale = await ensure("231500112233440002");
    expect({ ids: ids(stale?.reasons), fetchedAt: stale?.fetchedAt, isStale: stale?.isStale }).toEqual({ ids: ["4001", "4002"], fetchedAt: readAt, isStale: true });
    const app = await getPlatformAppForShop(db, shopId);
    expect({ lastError: app?.lastError, lastErrorAt: app?.lastErrorAt }).toEqual({ lastError: expect.stringMatching(/^读取拒绝原因失败：/), lastErrorAt: now });
    // The next read that goes through replaces it
    const recovered = await ensure("231500112233440002");
    expect({ fetchedAt: recovered?.fetchedAt, isStale: recovered?.isStale }).toEqual({ fetchedAt: now, isStale: false });
  });

  it("with no list ever read and the platform failing, there is none (rejecting waits for one)", async () => {
    await storeRefund({ refundId: "231500112233440003" });
    top.failNext({ kind: "http", method: "taobao.refund.refusereason.get", status: 502 });
    expect(await ensure("231500112233440003")).toBeNull();
  });
});

describe("ensureRejectReasons: Taobao/Tmall lists per refund phase and state", () => {
  it("a refund in another phase gets its own phase's list, never the one cached for the first", async () => {
    top.refuseReasonsByPhase.set("onsale", new Map([["3001", { text: "已发货，请买家拒收", tips: "请上传发货凭证" }]]));
    await storeRefund({ refundId: "231500112233440004", refundPhase: "aftersale" });
    await storeRefund({ refundId: "231500112233440005", refundPhase: "onsale" });
    expect(ids((await ensure("231500112233440004"))?.reasons)).toEqual(["4001", "4002"]);
    expect(ids((await ensure("231500112233440005"))?.reasons)).toEqual(["3001"]);
    expect(reasonCalls().map((call) => call.params.refund_phase)).toEqual(["aftersale", "onsale"]);
    // Both lists are cached, each for its own refunds
    expect(ids((await ensure("231500112233440004"))?.reasons)).toEqual(["4001", "4002"]);
    expect(reasonCalls()).toHaveLength(2);
  });

  it("a refund whose state moved on (goods returned) reads the list for its new state", async () => {
    await storeRefund({ refundId: "231500112233440006" });
    await ensure("231500112233440006");
    await db
      .update(platformRefunds)
      .set({ native: { protocol: "taobao_tmc", refundId: "231500112233440006", orderId: "39150011223344006", status: "WAIT_SELLER_CONFIRM_GOODS", platformType: "REFUND", kind: "refund_only", version: "2", refundPhase: "aftersale", intervention: null } })
      .where(eq(platformRefunds.platformRequestId, "231500112233440006"));
    await ensure("231500112233440006");
    expect(reasonCalls()).toHaveLength(2);
  });
});
