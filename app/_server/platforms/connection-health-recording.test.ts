import { beforeEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { deliverDueDecisions } from "@/app/_server/outbox-sender";
import { handleDouyinPush } from "@/app/api/platforms/douyin/push/handle-push";
import { type Db } from "@/db/client";
import { openTestDbForTest } from "@/db/test-db";
import { createMerchant, createShop, createUser } from "@/db/factories";
import { getPlatformAppForShop, upsertPlatformApp } from "@/db/queries/platforms";
import { decideRequest } from "@/db/workflows/decide";
import { getScope, type Scope } from "@/db/queries/users";
import { requests } from "@/db/schema";
import { FakeDouyin } from "@/scripts/fake-platforms/douyin";

// Connection health is recorded where it happens: a platform message taken in (last_message_at), an answer the
// platform took (last_answer_at), an answer call that did not go through (last_error in Chinese).

const now = new Date("2026-11-20T02:00:00.000Z");
const nowS = Math.floor(now.getTime() / 1000);
const later = new Date(now.getTime() + 60_000);
const app = { appKey: "7123456789012345678", appSecret: "unit-secret-douyin", shopId: "10437917" };

let db: Db;
let shopId: string;
let owner: Scope;
let platform: FakeDouyin;
let operateAnswer: Response | null;

// The fake platform, except that /afterSale/operate can be made to answer something else
const fetchThrough: typeof fetch = async (input, init) => {
  if (operateAnswer && String(input).includes("/afterSale/operate")) return operateAnswer.clone();
  return platform.fetch(input, init);
};
const deps = (at: Date) => ({ fetch: fetchThrough, now: () => at, timeoutMs: 1_000 });

async function receive(aftersaleId: string) {
  const record = platform.addAftersale({ aftersaleId }, nowS);
  const push = platform.buildPush(200, record);
  const response = await handleDouyinPush(db, new Request("http://desk/api/platforms/douyin/push", { method: "POST", headers: push.headers, body: push.body }), deps(now));
  expect(await response.json()).toEqual({ code: 0, msg: "success" });
}

async function approve(aftersaleId: string) {
  const [card] = await db.select().from(requests).where(eq(requests.platformRequestId, aftersaleId));
  expect((await decideRequest(db, owner, card.id, { decision: "approve" }, now)).ok).toBe(true);
  // Past the undo window
  return deliverDueDecisions(db, { ...deps(later), random: () => 0.5 });
}

beforeEach(async () => {
  db = await openTestDbForTest();
  operateAnswer = null;
  const merchant = await createMerchant(db, "A");
  shopId = await createShop(db, { merchantId: merchant, platform: "douyin", name: "A 抖店" });
  owner = (await getScope(db, await createUser(db, { merchantId: merchant, name: "老板", email: "o@a.test", role: "owner" })))!;
  platform = new FakeDouyin(app);
  await upsertPlatformApp(
    db,
    { shopId, protocol: "douyin_push", appKey: app.appKey, appSecret: app.appSecret, platformShopId: app.shopId, apiBaseUrl: "http://fake-douyin", settings: { defaultCategory: "fresh_food" } },
    new Date(now.getTime() - 86_400_000),
  );
});

describe("connection health recorded", () => {
  it("a message taken in sets last_message_at; nothing else moves", async () => {
    expect(await getPlatformAppForShop(db, shopId)).toMatchObject({ lastMessageAt: null, lastAnswerAt: null, lastError: null });
    await receive("7301500100200300501");
    expect(await getPlatformAppForShop(db, shopId)).toMatchObject({ lastMessageAt: now, lastAnswerAt: null, lastError: null });
  });

  it("an answer the platform took sets last_answer_at", async () => {
    await receive("7301500100200300502");
    expect(await approve("7301500100200300502")).toMatchObject({ delivered: 1 });
    expect(await getPlatformAppForShop(db, shopId)).toMatchObject({ lastAnswerAt: later, lastError: null });
  });

  it("an answer call that did not go through records the error in Chinese with the platform's words; no answer time", async () => {
    await receive("7301500100200300503");
    operateAnswer = new Response("upstream busy", { status: 503 });
    expect(await approve("7301500100200300503")).toMatchObject({ delivered: 0, retrying: 1 });
    const stored = await getPlatformAppForShop(db, shopId);
    expect(stored).toMatchObject({ lastAnswerAt: null, lastErrorAt: later });
    expect(stored?.lastError).toBe("回传处理失败：平台接口 /afterSale/operate 返回 HTTP 503：upstream busy");
  });
});
