import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { eq } from "drizzle-orm";
import { connectTmc, type TmcStatus } from "@/app/_server/platforms/tmc-ws-consumer";
import { openDb, type Db } from "@/db/client";
import { createMerchant, createShop } from "@/db/factories";
import { upsertPlatformApp } from "@/db/queries/platforms";
import { requests } from "@/db/schema";
import { platformMessages } from "@/db/schema-platforms";
import { FakeTaobao } from "@/scripts/fake-platforms/taobao";
import { FakeTmcServer } from "@/scripts/fake-platforms/taobao-tmc";

// Consumer ↔ fake TMC over a real WebSocket on localhost, with an in-memory desk.
const app = { appKey: "12497914", appSecret: "unit-secret-taobao", sellerNick: "demo_shop" };
const now = new Date("2026-11-20T02:05:00.000Z");

let db: Db;
let top: FakeTaobao;
let tmc: FakeTmcServer;
let url: string;
let statuses: TmcStatus[];
let connection: { stop: () => void } | undefined;

beforeEach(async () => {
  db = openDb(":memory:");
  const merchant = await createMerchant(db, "A");
  const shopId = await createShop(db, { merchantId: merchant, platform: "taobao", name: "A 店" });
  await upsertPlatformApp(
    db,
    { shopId, protocol: "taobao_tmc", appKey: app.appKey, appSecret: app.appSecret, platformShopId: app.sellerNick, apiBaseUrl: "http://fake-top/router/rest", accessToken: "sess", consumerEnabled: true, settings: { defaultCategory: "apparel" } },
    now,
  );
  top = new FakeTaobao({ ...app, isTmall: false });
  tmc = new FakeTmcServer(top, { now: () => now, confirmTimeoutMs: 150 });
  ({ url } = await tmc.listen());
  statuses = [];
});

afterEach(async () => {
  connection?.stop();
  connection = undefined;
  await tmc.close();
});

function connect(secret = app.appSecret) {
  connection = connectTmc(
    () => db,
    { url, appKey: app.appKey, appSecret: secret, groupName: "default", pullIntervalMs: 40, backoff: { initialMs: 20, maxMs: 100 }, random: () => 1, onStatus: (status) => statuses.push(status) },
    { fetch: top.fetch, now: () => now, timeoutMs: 1_000 },
  );
}

const cards = () => db.select().from(requests);
const waitFor = (check: () => unknown) => vi.waitFor(check, { timeout: 3_000, interval: 20 });

describe("TMC consumer (WebSocket)", () => {
  it("connects with a good sign, pulls, stores the refund with its platform deadline, then confirms", async () => {
    top.addRefund({ refundId: "231500112233445566" });
    const message = top.publish("taobao_refund_RefundCreated", "231500112233445566");
    connect();
    await waitFor(() => expect(top.queue).toEqual([]));
    expect(statuses.slice(0, 2)).toEqual([{ type: "connected" }, { type: "stored", id: message.id }]);
    const [card] = await cards();
    expect(card).toMatchObject({ platformRequestId: "231500112233445566", amountFen: 5990, reasonText: "开线了" });
    expect(card.platformDeadline?.toISOString()).toBe("2026-11-22T02:02:10.000Z");
    expect(tmc.log.filter((entry) => entry.type === "confirmed")).toEqual([{ type: "confirmed", id: message.id }]);
  });

  it("a message redelivered after its confirm was lost is stored once and confirmed again", async () => {
    top.addRefund({ refundId: "231500112233445567" });
    const message = top.publish("taobao_refund_RefundCreated", "231500112233445567");
    tmc.loseConfirms = 1;
    connect();
    await waitFor(() => expect(top.queue).toEqual([]));
    expect(tmc.log.filter((entry) => entry.type === "delivered")).toHaveLength(2);
    expect(statuses.filter((status) => status.type !== "connected")).toEqual([
      { type: "stored", id: message.id },
      { type: "duplicate", id: message.id },
    ]);
    expect(await cards()).toHaveLength(1);
    expect(top.calls.filter((call) => call.method === "taobao.refund.get")).toHaveLength(1);
    expect(await db.select().from(platformMessages).where(eq(platformMessages.messageId, message.id))).toHaveLength(1);
  });

  it("a message that cannot be stored is reported failed, redelivered, and stored once the detail answers", async () => {
    const refund = top.addRefund({ refundId: "231500112233445568" });
    const message = top.publish("taobao_refund_RefundCreated", refund.refundId);
    top.refunds.delete(refund.refundId);
    connect();
    await waitFor(() => expect(tmc.log.some((entry) => entry.type === "failed" && entry.id === message.id)).toBe(true));
    expect(await cards()).toHaveLength(0);
    expect(top.queue).toHaveLength(1);
    top.refunds.set(refund.refundId, refund);
    await waitFor(() => expect(top.queue).toEqual([]));
    expect(statuses.at(-1)).toEqual({ type: "stored", id: message.id });
    expect(await cards()).toHaveLength(1);
  });

  it("a CONNECT with a wrong sign is refused and nothing is delivered", async () => {
    top.addRefund({ refundId: "231500112233445569" });
    top.publish("taobao_refund_RefundCreated", "231500112233445569");
    connect("not-the-secret");
    await waitFor(() => expect(statuses.filter((status) => status.type === "refused").length).toBeGreaterThanOrEqual(2));
    expect(statuses[0]).toEqual({ type: "refused", reason: "sign 错误" });
    expect(statuses.some((status) => status.type === "connected")).toBe(false);
    expect(tmc.log.some((entry) => entry.type === "delivered")).toBe(false);
    expect(top.queue).toHaveLength(1);
  });

  it("reconnects with backoff after the connection drops, and carries on", async () => {
    connect();
    await waitFor(() => expect(tmc.connectedCount).toBe(1));
    tmc.dropConnections();
    await waitFor(() => expect(statuses.some((status) => status.type === "reconnecting")).toBe(true));
    top.addRefund({ refundId: "231500112233445570" });
    const message = top.publish("taobao_refund_RefundCreated", "231500112233445570");
    await waitFor(() => expect(statuses.filter((status) => status.type === "connected")).toHaveLength(2));
    await waitFor(() => expect(top.queue).toEqual([]));
    expect(statuses).toContainEqual({ type: "reconnecting", attempt: 1, delayMs: 20 });
    expect(statuses.at(-1)).toEqual({ type: "stored", id: message.id });
    expect(await cards()).toHaveLength(1);
  });
});
