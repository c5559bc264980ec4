import { expect } from "vitest";
import { type Db } from "@/db/client";
import { openTestDbForTest } from "@/db/test-db";
import { createMerchant, createOrder, createRequest, createShop, createUser } from "@/db/factories";
import { getScope } from "@/db/queries/users";
import { rotateShopSecret } from "@/db/queries/webhooks";
import { decideRequest } from "@/db/workflows/decide";
import { undoWindowMs } from "@/lib/undo";

/**
 * For the outbox tests: a fresh desk with one Tmall shop (its webhook secret set) and one approved card decided one
 * undo window before `now`, so its answer is final and due at `now`.
 */
export async function seedDueDecision(now: Date): Promise<{ db: Db; shopId: string }> {
  const db = await openTestDbForTest();
  const merchant = await createMerchant(db, "A");
  const shopId = await createShop(db, { merchantId: merchant, platform: "tmall", name: "A 天猫店" });
  await rotateShopSecret(db, shopId, "local-demo-secret-tmall", now);
  const owner = (await getScope(db, await createUser(db, { merchantId: merchant, name: "老板", email: "o@a.test", role: "owner" })))!;
  const orderId = await createOrder(db, { shopId, platform: "tmall", platformOrderId: "3723456789012345678" });
  const requestId = await createRequest(db, { shopId, orderId, platform: "tmall", platformRequestId: "231500112233445566", receivedAt: now, kind: "refund_only" });
  expect((await decideRequest(db, owner, requestId, { decision: "approve" }, new Date(now.getTime() - undoWindowMs))).ok).toBe(true);
  return { db, shopId };
}
