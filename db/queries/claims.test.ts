import { beforeEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { openDb, type Db } from "@/db/client";
import { createMerchant, createOrder, createRequest, createShop, createUser } from "@/db/factories";
import { assignRequest, autoAssignRequest, claimRequest, releaseLapsedClaims } from "@/db/queries/claims";
import { getScope, setShopAssignment, type Scope } from "@/db/queries/users";
import { requests } from "@/db/schema";

const now = new Date("2026-11-23T06:00:00.000Z");

describe("claims and auto-assignment", () => {
  let db: Db;
  let shopId: string;
  let owner: Scope;
  let wang: Scope;
  let zhao: Scope;
  let li: Scope;

  beforeEach(async () => {
    db = openDb(":memory:");
    const merchantId = await createMerchant(db, "A");
    shopId = await createShop(db, { merchantId, platform: "tmall", name: "天猫店" });
    const otherShop = await createShop(db, { merchantId, platform: "douyin", name: "抖音店" });
    owner = (await getScope(db, await createUser(db, { merchantId, name: "陈静", email: "o@a.test", role: "owner" })))!;
    wang = (await getScope(db, await createUser(db, { merchantId, name: "王芳", email: "w@a.test", role: "agent" })))!;
    zhao = (await getScope(db, await createUser(db, { merchantId, name: "赵强", email: "z@a.test", role: "agent" })))!;
    li = (await getScope(db, await createUser(db, { merchantId, name: "李雷", email: "l@a.test", role: "agent", shopIds: [otherShop] })))!;
  });

  async function newCard() {
    const orderId = await createOrder(db, { shopId, platform: "tmall" });
    return createRequest(db, { shopId, orderId, platform: "tmall", receivedAt: now });
  }
  const claimedBy = async (id: string) => (await db.select().from(requests).where(eq(requests.id, id)))[0].claimedBy;

  it("lets one of two racing agents claim, and names the holder to the other", async () => {
    const id = await newCard();
    const [first, second] = await Promise.all([claimRequest(db, wang, id, now), claimRequest(db, zhao, id, now)]);
    expect(first).toEqual({ ok: true });
    expect(second).toEqual({ ok: false, code: "claimed_by_other", claimedBy: { id: wang.userId, name: "王芳" } });
  });

  it("auto-assigns to online agents in turn, never over the cap, and not to agents of other shops", async () => {
    await setShopAssignment(db, owner.merchantId, shopId, { autoAssign: true, cap: 2 });
    const online = new Set([wang.userId, zhao.userId, li.userId]);
    const assignees = [];
    for (let index = 0; index < 5; index++) assignees.push(autoAssignRequest(db, await newCard(), online, new Date(now.getTime() + index * 1000)));
    expect(assignees.slice(0, 4).sort()).toEqual([wang.userId, wang.userId, zhao.userId, zhao.userId].sort());
    expect(assignees[0]).not.toBe(assignees[1]);
    expect(assignees[4]).toBeNull();
  });

  it("leaves cards in the shared queue when nobody is online or the shop does not auto-assign", async () => {
    expect(autoAssignRequest(db, await newCard(), new Set([wang.userId]), now)).toBeNull();
    await setShopAssignment(db, owner.merchantId, shopId, { autoAssign: true, cap: 5 });
    expect(autoAssignRequest(db, await newCard(), new Set(), now)).toBeNull();
  });

  it("releases claims of agents offline for 60 s", async () => {
    const id = await newCard();
    await claimRequest(db, wang, id, now);
    const offlineSince = new Date(now.getTime() - 59_999);
    expect(releaseLapsedClaims(db, () => ({ isOnline: false, offlineSince }), now)).toBe(0);
    expect(releaseLapsedClaims(db, () => ({ isOnline: false, offlineSince: new Date(now.getTime() - 60_000) }), now)).toBe(1);
    expect(await claimedBy(id)).toBeNull();
  });

  it("lets only the owner reassign, and only to someone who may work the shop", async () => {
    const id = await newCard();
    expect(await assignRequest(db, wang, id, zhao.userId, now)).toEqual({ ok: false, code: "not_allowed" });
    expect(await assignRequest(db, owner, id, li.userId, now)).toEqual({ ok: false, code: "not_allowed" });
    expect(await assignRequest(db, owner, id, zhao.userId, now)).toEqual({ ok: true });
    expect(await claimedBy(id)).toBe(zhao.userId);
  });
});
