import { beforeEach, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { type Db } from "@/db/client";
import { getRaw } from "@/db/raw";
import { openTestDbForTest } from "@/db/test-db";
import { createMerchant, createShop, createUser } from "@/db/factories";
import { saveRejectionEvidence } from "@/db/queries/decision-policy";
import { decideRequest } from "@/db/workflows/decide";
import { getScope, type Scope } from "@/db/queries/users";
import { rotateShopSecret } from "@/db/queries/webhooks";
import { auditLog, orders, requests } from "@/db/schema";
import { outbox } from "@/db/schema-webhooks";
import { platformProposals } from "@/db/schema-policy";
import { getPolicyProfile } from "@/lib/policy/profiles";
import { getSignedHeaders } from "@/lib/webhook/signature";
import { countingBody, postStream } from "@/app/_server/read-body.fixture";
import { handleWebhookPost } from "./handle-event";

const now = new Date("2026-11-20T02:05:00.000Z");
const secret = "local-demo-secret-test";
const requestId = "7301500100200300401";

let db: Db;
let tmall: string;
let douyin: string;
let otherMerchantShop: string;
let owner: Scope;

beforeEach(async () => {
  db = await openTestDbForTest();
  const merchant = await createMerchant(db, "A");
  tmall = await createShop(db, { merchantId: merchant, platform: "tmall", name: "A 天猫店" });
  douyin = await createShop(db, { merchantId: merchant, platform: "douyin", name: "A 抖音店" });
  const merchantB = await createMerchant(db, "B");
  otherMerchantShop = await createShop(db, { merchantId: merchantB, platform: "tmall", name: "B 天猫店" });
  for (const shopId of [tmall, douyin, otherMerchantShop]) await rotateShopSecret(db, shopId, `${secret}-${shopId}`, new Date(0));
  const ownerId = await createUser(db, { merchantId: merchant, name: "老板", email: "owner@a.test", role: "owner" });
  owner = (await getScope(db, ownerId))!;
});

function at(second: number): string {
  return new Date(Date.UTC(2026, 10, 20, 2, 0, second)).toISOString();
}

function createdEvent(id: string, second = 0, patch: Record<string, unknown> = {}) {
  return {
    id,
    type: "request.created",
    occurredAt: at(second),
    data: {
      requestId,
      kind: "return_refund",
      order: {
        orderId: "3723456789012345678",
        category: "apparel",
        title: "羊毛围巾 灰色",
        amountFen: 8900,
        completedAt: "2026-11-10T10:00:00+08:00",
        supportedKinds: ["refund_only", "return_refund"],
        priorRefund: "none",
      },
      buyer: { id: "2200123456789", nick: "买家小王" },
      reasonCode: "quality_issue",
      reasonText: "拉链坏了",
      evidence: ["https://img.alicdn.com/evidence/1.jpg"],
      amountFen: 8900,
      platformDeadline: "2026-11-22T10:00:00+08:00",
      ...patch,
    },
  };
}

const cancelledEvent = (id: string, second: number) => ({ id, type: "request.cancelled", occurredAt: at(second), data: { requestId } });
const updatedEvent = (id: string, second: number, amountFen: number) => ({
  id,
  type: "request.updated",
  occurredAt: at(second),
  data: { requestId, amountFen },
});
const deadlineEvent = (id: string, second: number, platformDeadline: string) => ({
  id,
  type: "deadline.changed",
  occurredAt: at(second),
  data: { requestId, platformDeadline },
});

type PostOptions = { platform?: string; shopId?: string; signWith?: string; clock?: Date; headers?: Record<string, string>; rawBody?: string };

function post(body: unknown, options: PostOptions = {}): Promise<Response> {
  const shopId = options.shopId ?? tmall;
  const rawBody = options.rawBody ?? JSON.stringify(body);
  const headers = { ...getSignedHeaders(shopId, options.signWith ?? `${secret}-${shopId}`, options.clock ?? now, rawBody), ...options.headers };
  const request = new Request("http://localhost/api/platforms/tmall/events", { method: "POST", body: rawBody, headers });
  return handleWebhookPost(db, request, options.platform ?? "tmall", now);
}

async function counts() {
  // count(*) is a bigint on PostgreSQL, read back as text: Number() makes both engines' answers alike
  const row = await getRaw<Record<string, unknown>>(
    db,
    "select (select count(*) from webhook_events) as events, (select count(*) from requests) as requests, (select count(*) from orders) as orders, (select count(*) from audit_log) as audit",
  );
  return Object.fromEntries(Object.entries(row!).map(([key, value]) => [key, Number(value)]));
}

async function getRequestRow() {
  const [row] = await db.select().from(requests).where(eq(requests.platformRequestId, requestId));
  return row ?? null;
}

describe("POST /api/platforms/{platform}/events accepts", () => {
  it("a signed request.created: 200, one order and one pending card with the profile's reply time", async () => {
    const response = await post(createdEvent("evt_1"));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true, duplicate: false });
    const row = await getRequestRow();
    expect(row).toMatchObject({ shopId: tmall, platform: "tmall", kind: "return_refund", status: "pending", amountFen: 8900, reasonText: "拉链坏了" });
    expect(row!.receivedAt.toISOString()).toBe(at(0));
    expect(row!.respondBy.getTime() - row!.receivedAt.getTime()).toBe(getPolicyProfile("tmall").replyWindowMs);
    expect(row!.platformDeadline?.toISOString()).toBe("2026-11-22T02:00:00.000Z");
    expect(row!.evidence).toEqual(["https://img.alicdn.com/evidence/1.jpg"]);
    const [order] = await db.select().from(orders).where(eq(orders.id, row!.orderId));
    expect(order).toMatchObject({ platformOrderId: "3723456789012345678", buyerNick: "买家小王", amountFen: 8900 });
    expect(await counts()).toMatchObject({ events: 1, requests: 1, orders: 1 });
  });

  it("a request without platformDeadline: none is invented", async () => {
    await post(createdEvent("evt_1", 0, { platformDeadline: undefined }));
    expect((await getRequestRow())!.platformDeadline).toBeNull();
  });

  it("a signature with the rotated-out secret within 24 h, and refuses it after", async () => {
    const rotatedAt = new Date(now.getTime() - 24 * 3600_000);
    await rotateShopSecret(db, tmall, "whsec_new", rotatedAt);
    expect((await post(createdEvent("evt_1"))).status).toBe(200);
    expect((await post(createdEvent("evt_2"), { signWith: "whsec_new" })).status).toBe(200);
    await rotateShopSecret(db, tmall, "whsec_newer", new Date(now.getTime() - 24 * 3600_000 - 1));
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
    expect(await (await post(createdEvent("evt_same"), { shopId: douyin, platform: "douyin" })).json()).toEqual({ received: true, duplicate: false });
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
    const headers = getSignedHeaders(tmall, `${secret}-${tmall}`, now, JSON.stringify(createdEvent("evt_1")));
    await expectRefused(post(createdEvent("evt_1", 0, { amountFen: 1 }), { headers }), 401, "bad_signature");
  });

  it("unknown shop, a shop of another platform, no shop header: the same 401 body as a bad signature", async () => {
    const badSignature = await expectRefused(post(createdEvent("evt_1"), { signWith: "wrong" }), 401, "bad_signature");
    const unknown = await expectRefused(post(createdEvent("evt_1"), { shopId: "shop_00000000000000000000" }), 401, "bad_signature");
    const otherPlatform = await expectRefused(post(createdEvent("evt_1"), { shopId: douyin, platform: "tmall" }), 401, "bad_signature");
    const noShop = await expectRefused(post(createdEvent("evt_1"), { headers: { "X-Shop-Id": "" } }), 401, "bad_signature");
    expect(unknown).toEqual(badSignature);
    expect(otherPlatform).toEqual(badSignature);
    expect(noShop).toEqual(badSignature);
  });

  it("the secret rotated out more than 24 h ago → 401", async () => {
    await rotateShopSecret(db, tmall, "whsec_x", new Date(0));
    await expectRefused(post(createdEvent("evt_1"), { signWith: `${secret}-${tmall}` }), 401, "bad_signature");
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
    const response = await handleWebhookPost(db, postStream("http://localhost/api/platforms/tmall/events", stream), "tmall", now);
    expect(response.headers.get("connection")).toBe("close");
    expect(seen.pulled).toBe(5);
    await expectRefused(Promise.resolve(response), 413, "payload_too_large");
  });

  it("an unknown platform → 404", async () => {
    await expectRefused(post(createdEvent("evt_1"), { platform: "jd" }), 404, "not_found");
  });
});

describe("out of order: the same result as in order", () => {
  type Event = ReturnType<typeof createdEvent> | ReturnType<typeof cancelledEvent> | ReturnType<typeof updatedEvent> | ReturnType<typeof deadlineEvent>;

  async function projectionAfter(events: Event[]) {
    for (const event of events) expect((await post(event)).status).toBe(200);
    const row = await getRequestRow();
    return row && { status: row.status, amountFen: row.amountFen, platformDeadline: row.platformDeadline?.toISOString() ?? null };
  }

  it.each([
    ["create, cancel", [createdEvent("evt_a", 0), cancelledEvent("evt_b", 60)]],
    ["cancel before its create", [cancelledEvent("evt_b", 60), createdEvent("evt_a", 0)]],
    ["create, update", [createdEvent("evt_a", 0), updatedEvent("evt_b", 30, 5000)]],
    ["update before its create", [updatedEvent("evt_b", 30, 5000), createdEvent("evt_a", 0)]],
    ["an older update arriving late", [createdEvent("evt_a", 30), updatedEvent("evt_b", 0, 5000)]],
    ["deadlines in order", [createdEvent("evt_a", 0), deadlineEvent("evt_b", 10, at(7200)), deadlineEvent("evt_c", 20, at(3600))]],
    ["deadlines reversed", [deadlineEvent("evt_c", 20, at(3600)), deadlineEvent("evt_b", 10, at(7200)), createdEvent("evt_a", 0)]],
  ])("%s", async (_label, events) => {
    const outOfOrder = await projectionAfter(events as Event[]);
    db = await openTestDbForTest();
    const merchant = await createMerchant(db, "A");
    tmall = await createShop(db, { merchantId: merchant, platform: "tmall", name: "A 天猫店" });
    await rotateShopSecret(db, tmall, `${secret}-${tmall}`, new Date(0));
    const sorted = [...(events as Event[])].sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt));
    expect(outOfOrder).toEqual(await projectionAfter(sorted));
    expect(outOfOrder).not.toBeNull();
  });

  it("a cancel alone shows no card; its create then shows a cancelled one, never a pending one", async () => {
    await post(cancelledEvent("evt_b", 60));
    expect(await getRequestRow()).toBeNull();
    await post(createdEvent("evt_a", 0));
    expect((await getRequestRow())!.status).toBe("cancelled");
  });

  it.each([
    ["an update", updatedEvent("evt_b", 30, 5000)],
    ["a cancel", cancelledEvent("evt_b", 30)],
    ["a deadline change", deadlineEvent("evt_b", 30, at(9000))],
  ])("%s after a decision does not reopen or change it, and queues nothing more", async (_label, event) => {
    await post(createdEvent("evt_a", 0));
    const row = (await getRequestRow())!;
    const decided = await decideRequest(db, owner, row.id, { decision: "approve" }, now);
    expect(decided.ok).toBe(true);
    expect((await post(event)).status).toBe(200);
    const after = (await getRequestRow())!;
    expect(after).toMatchObject({ status: "approved", decision: "approve", amountFen: 8900, version: row.version + 1 });
    expect(await db.select().from(outbox)).toHaveLength(1);
  });

  it("an update while pending changes the card and writes an audit row", async () => {
    await post(createdEvent("evt_a", 0));
    await post(updatedEvent("evt_b", 30, 5000));
    const row = (await getRequestRow())!;
    expect(row.amountFen).toBe(5000);
    const audit = await db.select().from(auditLog).where(and(eq(auditLog.requestId, row.id), eq(auditLog.action, "updated_by_platform")));
    expect(audit).toHaveLength(1);
  });

  it("an order.upserted newer than the create's snapshot wins, whichever arrives first", async () => {
    const upsert = {
      id: "evt_o",
      type: "order.upserted",
      occurredAt: at(60),
      data: { order: { ...createdEvent("x").data.order, title: "羊毛围巾 灰色（改）" } },
    };
    await post(upsert);
    await post(createdEvent("evt_a", 0));
    const [order] = await db.select().from(orders);
    expect(order).toMatchObject({ title: "羊毛围巾 灰色（改）", buyerNick: "买家小王" });
    expect(await db.select().from(orders)).toHaveLength(1);
  });

  it.each([
    ["create, proposal, resolution", ["create", "proposal", "resolved"]],
    ["resolution, proposal, create", ["resolved", "proposal", "create"]],
  ])("Douyin proposal %s: recorded once and resolved once", async (_label, order) => {
    const douyinEvents: Record<string, unknown> = {
      create: createdEvent("evt_a", 0, { kind: "refund_only" }),
      proposal: { id: "evt_p", type: "proposal.created", occurredAt: at(10), data: { requestId, proposalId: "p1", expiresAt: at(43_210) } },
      resolved: { id: "evt_r", type: "proposal.resolved", occurredAt: at(20), data: { requestId, proposalId: "p1", outcome: "rejected" } },
    };
    for (const step of order) expect((await post(douyinEvents[step], { shopId: douyin, platform: "douyin" })).status).toBe(200);
    const proposals = await db.select().from(platformProposals);
    expect(proposals).toHaveLength(1);
    expect(proposals[0]).toMatchObject({ shopId: douyin, platformProposalId: "p1", outcome: "rejected" });
    const row = (await db.select().from(requests).where(eq(requests.shopId, douyin)))[0];
    const audit = await db.select().from(auditLog).where(eq(auditLog.requestId, row.id));
    expect(audit.filter((entry) => entry.action === "proposal_rejected")).toHaveLength(1);
  });
});

describe("order facts and categories", () => {
  const receivedOrder = { receivedAt: "2026-11-19T10:00:00+08:00", shippedAt: "2026-11-17T10:00:00+08:00" };
  const proposal = { id: "evt_p", type: "proposal.created", occurredAt: at(10), data: { requestId, proposalId: "p1", expiresAt: at(43_210) } };
  const reject = { decision: "reject" as const, reasonCode: "fresh_no_return", message: "生鲜商品签收后不支持仅退款" };

  async function createDouyinCard(category: string) {
    const create = createdEvent("evt_a", 0, { kind: "refund_only", order: { ...createdEvent("x").data.order, ...receivedOrder, category } });
    expect((await post(create, { shopId: douyin, platform: "douyin" })).status).toBe(200);
    expect((await post(proposal, { shopId: douyin, platform: "douyin" })).status).toBe(200);
    const [row] = await db.select().from(requests).where(eq(requests.shopId, douyin));
    return row;
  }

  it("a webhook order with category 生鲜 is stored as fresh_food, and a Douyin proposal on it locks nothing", async () => {
    const row = await createDouyinCard("生鲜");
    const [order] = await db.select().from(orders).where(eq(orders.id, row.orderId));
    expect(order.category).toBe("fresh_food");
    const result = await decideRequest(db, owner, row.id, reject, now);
    expect(result.ok).toBe(true);
  });

  it("the same proposal on an apparel order locks the card (the control for the test above)", async () => {
    const row = await createDouyinCard("服饰");
    const result = await decideRequest(db, owner, row.id, reject, now);
    expect(result).toMatchObject({ ok: false, code: "negotiation_lock" });
  });

  it("an unmapped category is kept verbatim, never silently other", async () => {
    await post(createdEvent("evt_a", 0, { order: { ...createdEvent("x").data.order, category: "汽车用品/车载电器" } }));
    const [order] = await db.select().from(orders);
    expect(order.category).toBe("汽车用品/车载电器");
  });

  it.each([
    ["shipping left out (unknown)", {}, true],
    ["shipped", { shippedAt: "2026-11-17T10:00:00+08:00" }, true],
    ["not shipped (null)", { shippedAt: null }, false],
  ])("a Tmall 仅退款 with %s: refusable = %s", async (_label, facts, isRefusable) => {
    const order = { ...createdEvent("x").data.order, ...facts };
    await post(createdEvent("evt_a", 0, { kind: "refund_only", order }));
    const [row] = await db.select().from(requests);
    const proof = await saveRejectionEvidence(db, { shopId: tmall, name: "签收.jpg", mimeType: "image/jpeg", bytes: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]) });
    const result = await decideRequest(db, owner, row.id, { decision: "reject", reasonCode: "no_quality_issue", message: "商品无质量问题，签收完好", evidenceIds: [proof.id] }, now);
    if (isRefusable) expect(result.ok).toBe(true);
    else expect(result).toMatchObject({ ok: false, code: "not_rejectable", rules: ["refund_only_unshipped"] });
    const [stored] = await db.select().from(orders);
    expect(stored.unknownFacts.includes("shipped")).toBe(!("shippedAt" in facts));
  });
});

describe("tenancy", () => {
  it("a shop's events never touch another merchant's request with the same platform id", async () => {
    await post(createdEvent("evt_a", 0), { shopId: otherMerchantShop });
    await post(cancelledEvent("evt_b", 60));
    const rows = await db.select().from(requests);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ shopId: otherMerchantShop, status: "pending" });
  });
});
