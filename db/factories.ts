import type { Db } from "@/db/client";
import type { PlatformApp } from "@/db/queries/platforms";
import { merchants, orders, requests, shopAccess, shops, users } from "@/db/schema";
import { afterSalesKinds, type Platform, type PriorRefundState, type RequestKind, type RequestStatus, type Role } from "@/lib/domain";
import { newId } from "@/lib/ids";
import { getPolicyProfile } from "@/lib/policy/profiles";
import { getRespondBy } from "@/lib/response-timer";

// Row builders shared by the demo seed and the db tests, so both make data the same way.

export async function createMerchant(db: Db, name: string): Promise<string> {
  const id = newId("mer");
  await db.insert(merchants).values({ id, name });
  return id;
}

export async function createShop(db: Db, values: { merchantId: string; platform: Platform; name: string }): Promise<string> {
  const id = newId("shop");
  await db.insert(shops).values({ id, ...values });
  return id;
}

export async function createUser(
  db: Db,
  values: { merchantId: string; name: string; email: string; role: Role; shopIds?: string[] },
): Promise<string> {
  const id = newId("usr");
  const allShops = values.shopIds === undefined;
  await db.insert(users).values({
    id,
    merchantId: values.merchantId,
    name: values.name,
    email: values.email.toLowerCase(),
    emailVerified: true,
    role: values.role,
    allShops,
  });
  if (values.shopIds?.length) await db.insert(shopAccess).values(values.shopIds.map((shopId) => ({ userId: id, shopId })));
  return id;
}

export type OrderValues = {
  shopId: string;
  platform: Platform;
  platformOrderId?: string;
  category?: string;
  title?: string;
  amountFen?: number;
  buyerId?: string;
  buyerNick?: string;
  province?: string | null;
  completedAt?: Date | null;
  receivedAt?: Date | null;
  supportedKinds?: string[];
  priorRefund?: PriorRefundState;
};

export function buildOrder(values: OrderValues): typeof orders.$inferInsert {
  return {
    id: newId("ord"),
    platformOrderId: values.platformOrderId ?? String(3_000_000_000_000_000_000n + BigInt(Math.floor(Math.random() * 1e15))),
    category: "apparel",
    title: "测试商品",
    amountFen: 9900,
    buyerId: "buyer-1",
    buyerNick: "测试买家",
    supportedKinds: [...afterSalesKinds],
    ...values,
  };
}

export type RequestValues = {
  shopId: string;
  orderId: string;
  platform: Platform;
  kind?: RequestKind;
  status?: RequestStatus;
  platformRequestId?: string;
  reasonCode?: string;
  reasonText?: string | null;
  claim?: string | null;
  evidence?: string[];
  amountFen?: number;
  receivedAt: Date;
  platformDeadline?: Date | null;
};

export function buildRequest(values: RequestValues): typeof requests.$inferInsert {
  return {
    id: newId("req"),
    platformRequestId: values.platformRequestId ?? newId("req").slice(4),
    kind: "refund_only",
    reasonCode: "quality_issue",
    evidence: [],
    amountFen: 9900,
    respondBy: getRespondBy(getPolicyProfile(values.platform), values.receivedAt),
    ...values,
  };
}

export async function createOrder(db: Db, values: OrderValues): Promise<string> {
  const row = buildOrder(values);
  await db.insert(orders).values(row);
  return row.id;
}

export async function createRequest(db: Db, values: RequestValues): Promise<string> {
  const row = buildRequest(values);
  await db.insert(requests).values(row);
  return row.id;
}

type PlatformAppValues = Pick<PlatformApp, "protocol" | "appKey" | "appSecret" | "platformShopId" | "apiBaseUrl" | "updatedAt"> & Partial<PlatformApp>;

/** A shop's platform app row as db/queries/platforms.ts reads it (opened), for tests that call an adapter without a database: no tokens, no health, consumer off unless given. */
export function buildPlatformApp(values: PlatformAppValues): PlatformApp {
  return {
    shopId: "shop_1",
    accessToken: null,
    refreshToken: null,
    accessTokenExpiresAt: null,
    refreshTokenExpiresAt: null,
    tokenRefreshedAt: null,
    lastMessageAt: null,
    lastAnswerAt: null,
    lastError: null,
    lastErrorAt: null,
    consumerEnabled: false,
    settings: {},
    ...values,
  };
}
