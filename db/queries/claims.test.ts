import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { type Db } from "@/db/client";
import { createMerchant, createOrder, createRequest, createShop, createUser } from "@/db/factories";
import { assignRequest, claimRequest } from "@/db/queries/claims";
import { getScope, type Scope } from "@/db/queries/users";
import { requests } from "@/db/schema";
import { closeTestDb, openTestDb } from "@/db/test-db";

const now = new Date("2026-11-23T06:00:00.000Z");

// Auto-assignment and the claim lapse: db/workflows/assignment.test.ts
describe("claims", () => {
  let db: Db;
  let shopId: string;
  let owner: Scope;
  let wang: Scope;
  let zhao: Scope;
  let li: Scope;

  beforeEach(async () => {
    db = await openTestDb();
    const merchantId = await createMerchant(db, "A");
    shopId = await createShop(db, { merchantId, platform: "tmall", name: "天猫店" });
    const otherShop = await createShop(db, { merchantId, platform: "douyin", name: "抖音店" });
    owner = (await getScope(db, await createUser(db, { merchantId, name: "陈静", email: "o@a.test", role: "owner" })))!;
    wang = (await getScope(db, await createUser(db, { merchantId, name: "王芳", email: "w@a.test", role: "agent" })))!;
    zhao = (await getScope(db, await createUser(db, { merchantId, name: "赵强", email: "z@a.test", role: "agent" })))!;
    li = (await getScope(db, await createUser(db, { merchantId, name: "李雷", email: "l@a.test", role: "agent", shopIds: [otherShop] })))!;
  });

  afterEach(async () => closeTestDb(db));

  async function newCard() {
    const orderId = await createOrder(db, { shopId, platform: "tmall" });
    return createRequest(db, { shopId, orderId, platform: "tmall", receivedAt: now });
  }
  const claimedBy = async (id: string) => (await db.select().from(requests).where(eq(requests.id, id)))[0].claimedBy;

  it("lets one of two racing agents claim, and names the holder to the other", async () => {
    const id = await newCard();
    const [first, second] = await Promise.all([await claimRequest(db, wang, id, now), await claimRequest(db, zhao, id, now)]);
    expect(first).toEqual({ ok: true });
    expect(second).toEqual({ ok: false, code: "claimed_by_other", claimedBy: { id: wang.userId, name: "王芳" } });
  });

  it("lets only the owner reassign, and only to someone who may work the shop", async () => {
    const id = await newCard();
    expect(await assignRequest(db, wang, id, zhao.userId, now)).toEqual({ ok: false, code: "not_allowed" });
    expect(await assignRequest(db, owner, id, li.userId, now)).toEqual({ ok: false, code: "not_allowed" });
    expect(await assignRequest(db, owner, id, zhao.userId, now)).toEqual({ ok: true });
    expect(await claimedBy(id)).toBe(zhao.userId);
  });
});
