import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { rotateShopSecret } from "@/db/queries/webhooks";
import { orders, requests } from "@/db/schema";
import { getPolicyProfile } from "@/lib/policy/profiles";
import { getSignedHeaders } from "@/lib/webhook/signature";
import { countingBody, postStream } from "@/app/_server/read-body.fixture";
import { handleWebhookPost } from "./handle-event";
import { at, cancelledEvent, createdEvent, now, requestId, secret, setUpEventDesk, updatedEvent } from "./handle-event.fixture";

// What the platform events endpoint accepts and refuses: signatures (and the rotated-out secret), replays, every
// refusal changing nothing, and one merchant's events never touching another's. What accepted events make of cards
// and orders: handle-event-cards.test.ts

const { desk, post, counts, getRequestRow } = setUpEventDesk();

describe("POST /api/platforms/{platform}/events accepts", () => {
  it("a signed request.created: 200, one order and one pending card with the profile's reply time", async () => {
    const response = await post(createdEvent("evt_1"));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true, duplicate: false });
    const row = await getRequestRow();
    expect(row).toMatchObject({ shopId: desk.tmall, platform: "tmall", kind: "return_refund", status: "pending", amountFen: 8900, reasonText: "拉链坏了" });
    expect(row!.receivedAt.toISOString()).toBe(at(0));
    expect(row!.respondBy.getTime() - row!.receivedAt.getTime()).toBe(getPolicyProfile("tmall").replyWindowMs);
    expect(row!.platformDeadline?.toISOString()).toBe("2026-11-22T02:00:00.000Z");
    expect(row!.evidence).toEqual(["https://img.alicdn.com/evidence/1.jpg"]);
    const [order] = await desk.db.select().from(orders).where(eq(orders.id, row!.orderId));
    expect(order).toMatchObject({ platformOrderId: "3723456789012345678", buyerNick: "买家小王", amountFen: 8900 });
    expect(await counts()).toMatchObject({ events: 1, requests: 1, orders: 1 });
  });

  it("a request without platformDeadline: none is invented", async () => {
    await post(createdEvent("evt_1", 0, { platformDeadline: undefined }));
    expect((await getRequestRow())!.platformDeadline).toBeNull();
  });

  it("a signature with the rotated-out secret within 24 h, and refuses it after", async () => {
    const rotatedAt = new Date(now.getTime() - 24 * 3600_000);
    await rotateShopSecret(desk.db, desk.tmall, "whsec_new", rotatedAt);
    expect((await post(createdEvent("evt_1"))).status).toBe(200);
    expect((await post(createdEvent("evt_2"), { signWith: "whsec_new" })).status).toBe(200);
    await rotateShopSecret(desk.db, desk.tmall, "whsec_newer", new Date(now.getTime() - 24 * 3600_000 - 1));
    expect((await post(createdEvent("evt_3"), { signWith: "whsec_new" })).status).toBe(401);
    expect((await post(createdEvent("evt_4"), { signWith: "whsec_newer" })).status).toBe(200);
  });
});

describe("replay", () => {
  it("the same event id 100 times: 200 each time, duplicate from the second, one event and one card", async () => {
    const event = createdEvent("evt_same");
    const answers = [];
    for (let i = 0; i < 100; i++) answers.push(await (await post(event)).json());
    expect(answers[0]).toEqual({ received: true, duplicate: false });
    expect(answers.slice(1).every((answer) => answer.duplicate === true)).toBe(true);
    expect(await counts()).toMatchObject({ events: 1, requests: 1, orders: 1, audit: 1 });
  });

  it("the same id with another body is still a duplicate with no effect", async () => {
    await post(createdEvent("evt_same"));
    const answer = await post(updatedEvent("evt_same", 30, 100));
    expect(await answer.json()).toEqual({ received: true, duplicate: true });
    expect((await getRequestRow())!.amountFen).toBe(8900);
  });

  it("the same event id in another shop is another event", async () => {
    await post(createdEvent("evt_same"));
    expect(await (await post(createdEvent("evt_same"), { shopId: desk.douyin, platform: "douyin" })).json()).toEqual({ received: true, duplicate: false });
    expect(await counts()).toMatchObject({ events: 2, requests: 2 });
  });
});

describe("refusals change nothing", () => {
  async function expectRefused(response: Promise<Response>, status: number, code: string) {
    const before = await counts();
    const answer = await response;
    expect(answer.status).toBe(status);
    const body = await answer.json();
    expect(body.error.code).toBe(code);
    expect(await counts()).toEqual(before);
    return body;
  }

  it("bad signature → 401 bad_signature", async () => {
    await expectRefused(post(createdEvent("evt_1"), { signWith: "wrong" }), 401, "bad_signature");
  });

  it("a body changed after signing → 401", async () => {
    const headers = getSignedHeaders(desk.tmall, `${secret}-${desk.tmall}`, now, JSON.stringify(createdEvent("evt_1")));
    await expectRefused(post(createdEvent("evt_1", 0, { amountFen: 1 }), { headers }), 401, "bad_signature");
  });

  it("unknown shop, a shop of another platform, no shop header: the same 401 body as a bad signature", async () => {
    const badSignature = await expectRefused(post(createdEvent("evt_1"), { signWith: "wrong" }), 401, "bad_signature");
    const unknown = await expectRefused(post(createdEvent("evt_1"), { shopId: "shop_00000000000000000000" }), 401, "bad_signature");
    const otherPlatform = await expectRefused(post(createdEvent("evt_1"), { shopId: desk.douyin, platform: "tmall" }), 401, "bad_signature");
    const noShop = await expectRefused(post(createdEvent("evt_1"), { headers: { "X-Shop-Id": "" } }), 401, "bad_signature");
    expect(unknown).toEqual(badSignature);
    expect(otherPlatform).toEqual(badSignature);
    expect(noShop).toEqual(badSignature);
  });

  it("the secret rotated out more than 24 h ago → 401", async () => {
    await rotateShopSecret(desk.db, desk.tmall, "whsec_x", new Date(0));
    await expectRefused(post(createdEvent("evt_1"), { signWith: `${secret}-${desk.tmall}` }), 401, "bad_signature");
  });

  it.each([
    ["301 s old", -301_000],
    ["301 s ahead", 301_000],
  ])("timestamp %s → 401 timestamp_out_of_range", async (_label, offsetMs) => {
    await expectRefused(post(createdEvent("evt_1"), { clock: new Date(now.getTime() + offsetMs) }), 401, "timestamp_out_of_range");
  });

  it("timestamp exactly 300 s old is accepted", async () => {
    expect((await post(createdEvent("evt_1"), { clock: new Date(now.getTime() - 300_000) })).status).toBe(200);
  });

  it("timestamp in milliseconds → 401 malformed_timestamp", async () => {
    await expectRefused(post(createdEvent("evt_1"), { headers: { "X-Timestamp": String(now.getTime()) } }), 401, "malformed_timestamp");
  });

  it("schema error → 422 with the path of the bad field", async () => {
    const event = createdEvent("evt_1");
    const body = await expectRefused(post({ ...event, data: { ...event.data, order: { ...event.data.order, amountFen: -1 } } }), 422, "invalid_event");
    expect(body.error.issues[0].path).toBe("data.order.amountFen");
  });

  it("an 18-digit id sent as a JSON number → 422 at its path", async () => {
    const rawBody = JSON.stringify(createdEvent("evt_1")).replace(`"requestId":"${requestId}"`, `"requestId":${requestId}`);
    const body = await expectRefused(post(null, { rawBody }), 422, "invalid_event");
    expect(body.error.issues[0].path).toBe("data.requestId");
  });

  it("unknown type → 422 unknown_type", async () => {
    await expectRefused(post({ ...createdEvent("evt_1"), type: "refund.exploded" }), 422, "unknown_type");
  });

  it("not JSON → 422", async () => {
    await expectRefused(post(null, { rawBody: "{nope" }), 422, "invalid_event");
  });

  it("a body over 256 KiB → 413 before anything else", async () => {
    const rawBody = JSON.stringify({ ...createdEvent("evt_1"), padding: "x".repeat(256 * 1024) });
    await expectRefused(post(null, { rawBody, signWith: "wrong" }), 413, "payload_too_large");
  });

  it("8 MiB chunked → 413 once 256 KiB is passed, the rest never pulled, the connection closing", async () => {
    const { stream, seen } = countingBody(128, 64 * 1024);
    const response = await handleWebhookPost(desk.db, postStream("http://localhost/api/platforms/tmall/events", stream), "tmall", now);
    expect(response.headers.get("connection")).toBe("close");
    expect(seen.pulled).toBe(5);
    await expectRefused(Promise.resolve(response), 413, "payload_too_large");
  });

  it("an unknown platform → 404", async () => {
    await expectRefused(post(createdEvent("evt_1"), { platform: "jd" }), 404, "not_found");
  });
});


describe("tenancy", () => {
  it("a shop's events never touch another merchant's request with the same platform id", async () => {
    await post(createdEvent("evt_a", 0), { shopId: desk.otherMerchantShop });
    await post(cancelledEvent("evt_b", 60));
    const rows = await desk.db.select().from(requests);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ shopId: desk.otherMerchantShop, status: "pending" });
  });
});
