import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { buildOrder, buildRequest, createMerchant, createShop, createUser } from "@/db/factories";
import {
  createScenario,
  deleteScenario,
  getCardFreight,
  getFreightSettings,
  getShopFreightInputs,
  listScenarios,
  saveFreightSettings,
} from "@/db/queries/freight";
import { getRequestCard } from "@/db/queries/requests";
import { getScope, type Scope } from "@/db/queries/users";
import { orders, requests, shops } from "@/db/schema";
import type { RequestKind, RequestStatus } from "@/lib/domain";
import { createEstimatorParameters } from "@/lib/return-freight/parameters";
import { closeTestDb, openTestDb } from "@/db/test-db";

const now = new Date("2026-11-23T06:00:00.000Z");
const daysAgo = (days: number) => new Date(now.getTime() - days * 24 * 60 * 60 * 1000);

type OrderSpec = { category: string; province: string | null; shippedDaysAgo: number | null; request?: { kind: RequestKind; status: RequestStatus; reasonCode?: string } };

async function insertHistory(db: Db, shopId: string, specs: OrderSpec[]) {
  for (const spec of specs) {
    const order = { ...buildOrder({ shopId, platform: "tmall", category: spec.category, province: spec.province }), shippedAt: spec.shippedDaysAgo === null ? null : daysAgo(spec.shippedDaysAgo) };
    await db.insert(orders).values(order);
    if (spec.request) {
      await db.insert(requests).values(
        buildRequest({ shopId, orderId: order.id, platform: "tmall", kind: spec.request.kind, status: spec.request.status, reasonCode: spec.request.reasonCode ?? "no_reason_7d", receivedAt: daysAgo(1) }),
      );
    }
  }
}

const repeat = (count: number, spec: OrderSpec): OrderSpec[] => Array.from({ length: count }, () => spec);

async function seed(db: Db) {
  const merchantA = await createMerchant(db, "A");
  const tmall = await createShop(db, { merchantId: merchantA, platform: "tmall", name: "A 天猫店" });
  const douyin = await createShop(db, { merchantId: merchantA, platform: "douyin", name: "A 抖音店" });
  await db.update(shops).set({ shipFromProvince: "浙江省" }).where(eq(shops.id, tmall));
  const owner = await createUser(db, { merchantId: merchantA, name: "老板", email: "owner@a.test", role: "owner" });
  const douyinAgent = await createUser(db, { merchantId: merchantA, name: "李雷", email: "li@a.test", role: "agent", shopIds: [douyin] });
  const merchantB = await createMerchant(db, "B");
  await createShop(db, { merchantId: merchantB, platform: "taobao", name: "B 淘宝店" });
  const ownerB = await createUser(db, { merchantId: merchantB, name: "B 老板", email: "owner@b.test", role: "owner" });

  // Tmall, last 90 days: 9 apparel orders (3 Zhejiang, 5 Jiangsu, 1 Xinjiang), 3 of them returned and approved
  // (2 seller-fault), plus noise the counts must ignore.
  await insertHistory(db, tmall, [
    ...repeat(2, { category: "apparel", province: "浙江", shippedDaysAgo: 10, request: { kind: "return_refund", status: "approved", reasonCode: "quality_issue" } }),
    { category: "apparel", province: "江苏", shippedDaysAgo: 20, request: { kind: "exchange", status: "approved", reasonCode: "size_mismatch" } },
    { category: "apparel", province: "浙江省", shippedDaysAgo: 30, request: { kind: "return_refund", status: "rejected" } },
    { category: "apparel", province: "江苏", shippedDaysAgo: 40, request: { kind: "refund_only", status: "approved" } },
    { category: "apparel", province: "江苏", shippedDaysAgo: 50, request: { kind: "return_refund", status: "pending" } },
    ...repeat(2, { category: "apparel", province: "江苏", shippedDaysAgo: 60 }),
    { category: "apparel", province: "新疆维吾尔自治区", shippedDaysAgo: 70 },
    // 4 3C orders, one repair approved: a repair parcel is not a 退货宝 return.
    { category: "3c_digital", province: "上海", shippedDaysAgo: 5, request: { kind: "repair", status: "approved", reasonCode: "needs_repair" } },
    ...repeat(3, { category: "3c_digital", province: null, shippedDaysAgo: 80 }),
    // An unmapped category, an unshipped order with an approved return, and an order shipped before the window.
    { category: "furniture", province: "浙江", shippedDaysAgo: 3 },
    { category: "apparel", province: "浙江", shippedDaysAgo: null, request: { kind: "return_refund", status: "approved" } },
    { category: "apparel", province: "浙江", shippedDaysAgo: 95, request: { kind: "return_refund", status: "approved" } },
  ]);
  await insertHistory(db, douyin, [{ category: "food", province: "广东", shippedDaysAgo: 7 }]);

  const scope = async (userId: string) => (await getScope(db, userId)) as Scope;
  return { tmall, douyin, owner: await scope(owner), douyinAgent: await scope(douyinAgent), ownerB: await scope(ownerB) };
}

describe("getShopFreightInputs", () => {
  let db: Db;
  let data: Awaited<ReturnType<typeof seed>>;

  beforeEach(async () => {
    db = await openTestDb();
    data = await seed(db);
  });
  afterEach(async () => closeTestDb(db));

  it("counts shipped orders, approved returns and exchanges per category, and the zone mix, over 90 days", async () => {
    const inputs = await getShopFreightInputs(db, data.owner, data.tmall, { windowDays: 90, now });
    expect(inputs).toEqual({
      shop: { id: data.tmall, name: "A 天猫店", platform: "tmall", shipFromProvince: "浙江省" },
      windowDays: 90,
      coveredDays: 80,
      categories: [
        { categoryId: "apparel", shippedOrders: 9, returnsShippedBack: 3, sellerFaultReturns: 2 },
        { categoryId: "3c_digital", shippedOrders: 4, returnsShippedBack: 0, sellerFaultReturns: 0 },
      ],
      ordersByZone: { same_prov: 3, cross_prov: 6, remote: 1 },
      unknownZoneOrders: 3,
      uncategorizedOrders: 1,
    });
  });

  it("narrows to a shorter window, its first day included", async () => {
    const inputs = await getShopFreightInputs(db, data.owner, data.tmall, { windowDays: 30, now });
    expect(inputs?.coveredDays).toBe(30);
    expect(inputs?.categories).toEqual([
      { categoryId: "apparel", shippedOrders: 4, returnsShippedBack: 3, sellerFaultReturns: 2 },
      { categoryId: "3c_digital", shippedOrders: 1, returnsShippedBack: 0, sellerFaultReturns: 0 },
    ]);
  });

  it("a shop without a ship-from province has every order in the unknown zone", async () => {
    const inputs = await getShopFreightInputs(db, data.owner, data.douyin, { windowDays: 90, now });
    expect(inputs).toMatchObject({ coveredDays: 7, ordersByZone: { same_prov: 0, cross_prov: 0, remote: 0 }, unknownZoneOrders: 1 });
  });

  it("answers null for a shop outside the scope: another merchant's, or one the agent may not work", async () => {
    expect(await getShopFreightInputs(db, data.ownerB, data.tmall, { windowDays: 90, now })).toBeNull();
    expect(await getShopFreightInputs(db, data.douyinAgent, data.tmall, { windowDays: 90, now })).toBeNull();
    expect(await getShopFreightInputs(db, { ...data.ownerB, shopIds: [data.tmall] }, data.tmall, { windowDays: 90, now })).toBeNull();
  });

  it("an empty window has no categories and scales by the whole window", async () => {
    const inputs = await getShopFreightInputs(db, data.owner, data.tmall, { windowDays: 30, now: daysAgo(200) });
    expect(inputs).toMatchObject({ coveredDays: 30, categories: [], unknownZoneOrders: 0 });
  });
});

describe("settings and scenarios", () => {
  let db: Db;
  let data: Awaited<ReturnType<typeof seed>>;

  beforeEach(async () => {
    db = await openTestDb();
    data = await seed(db);
  });
  afterEach(async () => closeTestDb(db));

  it("saves settings per shop and reads the defaults before any save", async () => {
    expect(await getFreightSettings(db, data.owner, data.tmall)).toEqual({ quotedPremiumFen: null, isFreeReturnPromised: false, isSubscribed: false, overrides: {} });
    const settings = { quotedPremiumFen: 320, isFreeReturnPromised: true, isSubscribed: true, overrides: { handlingFen: 150 } };
    await saveFreightSettings(db, data.owner, data.tmall, settings, now);
    await saveFreightSettings(db, data.owner, data.tmall, { ...settings, quotedPremiumFen: 300 }, now);
    expect(await getFreightSettings(db, data.owner, data.tmall)).toEqual({ ...settings, quotedPremiumFen: 300 });
    expect(await getFreightSettings(db, data.owner, data.douyin)).toMatchObject({ quotedPremiumFen: null });
    expect(await saveFreightSettings(db, data.ownerB, data.tmall, settings, now)).toBeNull();
  });

  it("creates, lists (newest first, by ids) and deletes scenarios inside the scope only", async () => {
    const parameters = createEstimatorParameters({ categories: [{ categoryId: "apparel", shippedOrders: 100 }], isFreeReturnPromised: true });
    const first = await createScenario(db, data.owner, { shopId: data.tmall, name: "报价 3.20", windowDays: 90, parameters }, now);
    const second = await createScenario(db, data.owner, { shopId: data.tmall, name: "报价 2.80", windowDays: 30, parameters }, new Date(now.getTime() + 1000));
    expect(await createScenario(db, data.ownerB, { shopId: data.tmall, name: "x", windowDays: 90, parameters }, now)).toBeNull();
    expect((await listScenarios(db, data.owner, data.tmall))?.map((scenario) => scenario.name)).toEqual(["报价 2.80", "报价 3.20"]);
    expect((await listScenarios(db, data.owner, data.tmall, [first!.id]))?.map((scenario) => scenario.id)).toEqual([first!.id]);
    expect(second).toMatchObject({ createdBy: { name: "老板" }, windowDays: 30, parameters });
    expect(await listScenarios(db, data.ownerB, data.tmall)).toBeNull();
    expect(await deleteScenario(db, data.ownerB, first!.id)).toBe(false);
    expect(await deleteScenario(db, data.owner, first!.id)).toBe(true);
    expect(await deleteScenario(db, data.owner, first!.id)).toBe(false);
  });
});

describe("card freight", () => {
  const order = { category: "apparel", amountFen: 25_900, province: "新疆", shippedAt: daysAgo(5), receivedAt: daysAgo(3) };
  const request = (kind: RequestKind, platform: "tmall" | "douyin" = "tmall", amountFen = 25_900) => ({ kind, platform, amountFen, receivedAt: daysAgo(1) });

  it.each([
    ["return, remote zone, not subscribed", request("return_refund"), order, { basis: "request", zone: "remote", returnFreightFen: 1_800, payoutFen: 2_000, isCovered: true, uncoveredFen: 0, isSubscribed: false }],
    ["Tmall refund only: no parcel", request("refund_only"), order, null],
    ["Douyin full refund only after receipt: the freight a platform proposal would make the seller pay", request("refund_only", "douyin"), order, { basis: "proposal", zone: "remote", returnFreightFen: 1_800 }],
    ["Douyin partial refund: no proposal", request("refund_only", "douyin", 10_000), order, null],
    ["Douyin fresh food: excluded from proposals", request("refund_only", "douyin"), { ...order, category: "fresh_food" }, null],
    ["Douyin refund before receipt: no proposal", request("refund_only", "douyin"), { ...order, receivedAt: null }, null],
  ] as const)("%s", (_label, request, order, expected) => {
    const freight = getCardFreight({ request, order, shipFromProvince: "浙江", settings: null });
    if (expected === null) expect(freight).toBeNull();
    else expect(freight).toMatchObject(expected);
  });

  it("uses the owner's saved freight and subscription, and the zone-mix mean without a province", () => {
    const settings = { quotedPremiumFen: null, isFreeReturnPromised: false, isSubscribed: true, overrides: { freightFen: { same_prov: 900, cross_prov: 1_300, remote: 2_400 } } };
    expect(getCardFreight({ request: request("exchange"), order: { ...order, province: "江苏" }, shipFromProvince: "浙江", settings })).toMatchObject({
      zone: "cross_prov",
      returnFreightFen: 1_300,
      payoutFen: 1_200,
      isCovered: false,
      uncoveredFen: 100,
      isSubscribed: true,
    });
    expect(getCardFreight({ request: request("return_refund"), order: { ...order, province: null }, shipFromProvince: "浙江", settings: null })).toMatchObject({ zone: null, returnFreightFen: 1_080 });
  });

  it("an unshipped order never has a return parcel", () => {
    expect(getCardFreight({ request: request("return_refund"), order: { ...order, shippedAt: null, receivedAt: null }, shipFromProvince: "浙江", settings: null })).toBeNull();
  });

  it("is on the request card an agent reads", async () => {
    const db = await openTestDb();
    const data = await seed(db);
    const [row] = await db.select({ id: requests.id }).from(requests).where(and(eq(requests.shopId, data.tmall), eq(requests.reasonCode, "quality_issue")));
    const card = await getRequestCard(db, data.owner, row.id);
    expect(card?.freight).toMatchObject({ basis: "request", zone: "same_prov", returnFreightFen: 800, payoutFen: 800, isCovered: true });
    await closeTestDb(db);
  });
});
