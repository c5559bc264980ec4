import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { eq } from "drizzle-orm";
import WebSocket from "ws";
import { connectTmc, startTmcWsConsumer, type TmcStatus } from "@/app/_server/platforms/tmc-ws-consumer";
import { type Db } from "@/db/client";
import { openTestDbForTest } from "@/db/test-db";
import { createMerchant, createShop } from "@/db/factories";
import { upsertPlatformApp } from "@/db/queries/platforms";
import { requests } from "@/db/schema";
import { platformMessages } from "@/db/schema-platforms";
import { FakeTaobao } from "@/scripts/fake-platforms/taobao";
import { FakeTmcServer } from "@/scripts/fake-platforms/taobao-tmc";

// Consumer ↔ fake TMC over a real WebSocket on localhost, with an in-memory desk. The fake speaks only TMC's
// binary frames with its own codec, so these tests also check the desk's codec against an independent one.
const app = { appKey: "12497914", appSecret: "unit-secret-taobao", sellerNick: "demo_shop" };
const now = new Date("2026-11-20T02:05:00.000Z");

let db: Db;
let shopId: string;
let top: FakeTaobao;
let tmc: FakeTmcServer;
let url: string;
let statuses: TmcStatus[];
let connection: { stop: () => void } | undefined;

beforeEach(async () => {
  // The fake listens on 127.0.0.1: loopback is opened to the outbound guard as for local demos (docs/security.md)
  vi.stubEnv("ALLOW_LOCAL_ENDPOINTS", "1");
  db = await openTestDbForTest();
  const merchant = await createMerchant(db, "A");
  shopId = await createShop(db, { merchantId: merchant, platform: "taobao", name: "A 店" });
  await upsertPlatformApp(
    db,
    { shopId, protocol: "taobao_tmc", appKey: app.appKey, appSecret: app.appSecret, platformShopId: app.sellerNick, apiBaseUrl: "http://fake-top/router/rest", accessToken: "sess", consumerEnabled: true, settings: { defaultCategory: "apparel" } },
    now,
  );
  top = new FakeTaobao({ ...app, isTmall: false });
  // Redelivery after 1 s without a confirm: short for the tests that lose one, long enough that a slow store (a
  // loaded machine, PostgreSQL's round trips) is not taken for a lost confirm
  tmc = new FakeTmcServer(top, { now: () => now, confirmTimeoutMs: 1_000 });
  ({ url } = await tmc.listen());
  statuses = [];
});

afterEach(async () => {
  connection?.stop();
  connection = undefined;
  await tmc.close();
  vi.unstubAllEnvs();
});

function connect(secret = app.appSecret, heartbeatMs = 60_000) {
  connection = connectTmc(
    () => db,
    { url, appKey: app.appKey, appSecret: secret, groupName: "default", pullIntervalMs: 40, heartbeatMs, backoff: { initialMs: 20, maxMs: 100 }, random: () => 1, onStatus: (status) => statuses.push(status) },
    { fetch: top.fetch, now: () => now, timeoutMs: 1_000 },
  );
}

const cards = () => db.select().from(requests);
const waitFor = (check: () => unknown) => vi.waitFor(check, { timeout: 10_000, interval: 20 });

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
    // The redelivery came with TMC's retry count (one per failure reported: a busy machine may pull once more
    // before the detail answers), a China publish time as an instant and the seller's nick
    const failures = tmc.log.filter((entry) => entry.type === "failed" && entry.id === message.id).length;
    expect(failures).toBeGreaterThanOrEqual(1);
    const [stored] = await db.select().from(platformMessages).where(eq(platformMessages.messageId, message.id));
    expect(JSON.parse(stored.rawBody)).toMatchObject({ id: message.id, retried: failures, nick: app.sellerNick, time: "2026-11-20T02:02:10.000Z", dataid: refund.refundId });
  });

  it("a CONNECT with a wrong sign is refused and nothing is delivered", async () => {
    top.addRefund({ refundId: "231500112233445569" });
    top.publish("taobao_refund_RefundCreated", "231500112233445569");
    connect("not-the-secret");
    await waitFor(() => expect(statuses.filter((status) => status.type === "refused").length).toBeGreaterThanOrEqual(2));
    expect(statuses[0]).toEqual({ type: "refused", code: 401, reason: "sign 错误" });
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

  it("a link that stops answering pings is dropped and connected again", async () => {
    connect(app.appSecret, 50);
    await waitFor(() => expect(tmc.connectedCount).toBe(1));
    tmc.stallConnections();
    await waitFor(() => expect(statuses.filter((status) => status.type === "connected")).toHaveLength(2));
    expect(statuses).toContainEqual({ type: "reconnecting", attempt: 1, delayMs: 20 });
    top.addRefund({ refundId: "231500112233445571" });
    top.publish("taobao_refund_RefundCreated", "231500112233445571");
    await waitFor(() => expect(top.queue).toEqual([]));
    expect(await cards()).toHaveLength(1);
  });

  it("without ALLOW_LOCAL_ENDPOINTS the loopback fake is never connected to: blocked, retried with backoff", async () => {
    vi.stubEnv("ALLOW_LOCAL_ENDPOINTS", "");
    top.addRefund({ refundId: "231500112233445572" });
    top.publish("taobao_refund_RefundCreated", "231500112233445572");
    connect();
    await waitFor(() => expect(statuses.filter((status) => status.type === "blocked").length).toBeGreaterThanOrEqual(2));
    expect(statuses.slice(0, 2)).toEqual([
      { type: "blocked", reason: "目标地址不允许：内网/本机地址" },
      { type: "reconnecting", attempt: 1, delayMs: 20 },
    ]);
    expect(tmc.connectedCount).toBe(0);
    expect(top.queue).toHaveLength(1);
  });
});

describe("fake TMC server", () => {
  /** A raw client: what the fake answers to one frame, and how it closes. */
  async function exchange(frame: string | Buffer) {
    const socket = new WebSocket(url);
    const replies: { data: Buffer; isBinary: boolean }[] = [];
    socket.on("message", (data, isBinary) => replies.push({ data: data as Buffer, isBinary }));
    await new Promise((resolve) => socket.once("open", resolve));
    socket.send(frame);
    const code = await new Promise<number>((resolve) => socket.once("close", resolve));
    return { code, replies };
  }

  it("refuses a text frame, even a well-meant JSON CONNECT, and closes with 1003", async () => {
    const { code, replies } = await exchange(JSON.stringify({ type: "connect", appKey: app.appKey, groupName: "default", timestamp: now.getTime(), sign: "X" }));
    expect(code).toBe(1003);
    expect(replies).toEqual([]);
    expect(tmc.log).toEqual([{ type: "rejected", detail: "text frame" }]);
  });

  it("refuses binary bytes that are not a TMC frame, and closes with 1002", async () => {
    const { code, replies } = await exchange(Buffer.from([2, 0, 9, 0]));
    expect(code).toBe(1002);
    expect(replies).toEqual([]);
    expect(tmc.log[0]).toMatchObject({ type: "rejected" });
  });

  it("answers a SEND before CONNECT with a binary CONNECTACK refusal", async () => {
    // version 2, SEND, __kind byte 1 (pull), end of headers
    const pull = Buffer.concat([Buffer.from([2, 2, 1, 0, 6, 0, 0, 0]), Buffer.from("__kind"), Buffer.from([2, 1, 0, 0])]);
    const { code, replies } = await exchange(pull);
    expect(code).toBe(1008);
    expect(replies).toHaveLength(1);
    expect(replies[0].isBinary).toBe(true);
    // version 2, CONNECTACK, status code tag 2 = 401
    expect([...replies[0].data.subarray(0, 8)]).toEqual([2, 1, 2, 0, 0x91, 0x01, 0, 0]);
    expect(tmc.log).toEqual([{ type: "refused", detail: "CONNECT first" }]);
  });
});

describe("startTmcWsConsumer: the TMC_CONSUMER=ws entry point", () => {
  /** The shop's app as the settings page stores it, pointed at the fake TMC (settings.tmcUrl). */
  const saveApp = async (values: { consumerEnabled: boolean }) =>
    upsertPlatformApp(
      db,
      { shopId, protocol: "taobao_tmc", appKey: app.appKey, appSecret: app.appSecret, platformShopId: app.sellerNick, apiBaseUrl: "http://fake-top/router/rest", accessToken: "sess", consumerEnabled: values.consumerEnabled, settings: { defaultCategory: "apparel", tmcUrl: url } },
      now,
    );
  const deps = () => ({ fetch: top.fetch, now: () => now, timeoutMs: 1_000 });
  let consumer: { stop: () => void } | undefined;

  afterEach(() => {
    consumer?.stop();
    consumer = undefined;
  });

  it("connects for each consuming app over binary frames, pulls, stores the card, confirms it, and stops cleanly", async () => {
    await saveApp({ consumerEnabled: true });
    top.addRefund({ refundId: "231500112233445590" });
    const message = top.publish("taobao_refund_RefundCreated", "231500112233445590");
    consumer = startTmcWsConsumer(() => db, deps(), 60_000);
    // One process, one consumer: a second start hands back the running one
    expect(startTmcWsConsumer(() => db, deps(), 60_000)).toBe(consumer);
    await waitFor(() => expect(tmc.log.filter((entry) => entry.type === "confirmed")).toEqual([{ type: "confirmed", id: message.id }]));
    // Signed CONNECT for the app's group, never a text frame (the fake rejects those)
    expect(tmc.log.filter((entry) => entry.type !== "delivered" && entry.type !== "confirmed")).toEqual([{ type: "connect", detail: "default" }]);
    expect(top.queue).toEqual([]);
    expect((await cards()).map((card) => card.platformRequestId)).toEqual(["231500112233445590"]);
    expect(tmc.connectedCount).toBe(1);
    consumer.stop();
    await waitFor(() => expect(tmc.connectedCount).toBe(0));
    // Stopped for good: a new start is a new consumer, not the stopped one
    consumer = startTmcWsConsumer(() => db, deps(), 60_000);
    await waitFor(() => expect(tmc.connectedCount).toBe(1));
    expect(tmc.log.filter((entry) => entry.type === "connect")).toHaveLength(2);
  });

  it("re-reads the apps: a shop that stops consuming has its connection closed, one that starts is connected", async () => {
    await saveApp({ consumerEnabled: false });
    consumer = startTmcWsConsumer(() => db, deps(), 30);
    await saveApp({ consumerEnabled: true });
    await waitFor(() => expect(tmc.connectedCount).toBe(1));
    await saveApp({ consumerEnabled: false });
    await waitFor(() => expect(tmc.connectedCount).toBe(0));
    expect(tmc.log.filter((entry) => entry.type === "connect")).toHaveLength(1);
  });
});
