import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { buildOrder, buildRequest, createMerchant, createShop, createUser } from "@/db/factories";
import { listRuleSettings, runBacktest, saveRuleSettings } from "@/db/queries/rules";
import { getScope, type Scope } from "@/db/queries/users";
import { type WebhookShop } from "@/db/queries/webhooks";
import { receiveWebhookEvent } from "@/db/workflows/ingest";
import { auditLog, orders, requests } from "@/db/schema";
import { metricHourly } from "@/db/schema-metrics";
import { outbox } from "@/db/schema-webhooks";
import type { RequestKind, RequestStatus } from "@/lib/domain";
import type { AutoRule, RuleConditions, RuleSet } from "@/lib/rules/schema";
import { dayMs } from "@/lib/time";
import type { WebhookEvent } from "@/lib/webhook/events";
import { closeTestDb, openTestDb } from "@/db/test-db";

const now = new Date("2026-11-23T06:00:00.000Z");

let db: Db;
let tmall: WebhookShop;
let owner: Scope;
let ownerB: Scope;

function rule(id: string, conditions: RuleConditions, overrides: Partial<AutoRule> = {}): AutoRule {
  return { id, name: `规则${id}`, enabled: true, mode: "live", conditions, action: "approve", ...overrides };
}

async function save(ruleSet: RuleSet) {
  const current = (await listRuleSettings(db, owner)).find((row) => row.shopId === tmall.id)!;
  const result = await saveRuleSettings(db, owner, { shopId: tmall.id, ruleSet, expectedVersion: current.version }, now);
  expect(result.ok).toBe(true);
}

let sequence = 0;
async function created(options: { kind: RequestKind; completedDaysAgo: number; priorRefund?: "none" | "succeeded" | "closed"; amountFen?: number; buyerId?: string; reasonCode?: string; receivedAgoMs?: number }) {
  sequence += 1;
  const requestId = `77${String(sequence).padStart(10, "0")}`;
  const event: WebhookEvent = {
    id: `evt_rules_${sequence}`,
    type: "request.created",
    occurredAt: new Date(now.getTime() - (options.receivedAgoMs ?? 200)).toISOString(),
    data: {
      requestId,
      kind: options.kind,
      order: {
        orderId: `88${String(sequence).padStart(10, "0")}`,
        category: "apparel",
        title: "羊毛大衣",
        amountFen: 12_990,
        completedAt: new Date(now.getTime() - options.completedDaysAgo * dayMs).toISOString(),
        supportedKinds: ["refund_only", "return_refund"],
        priorRefund: options.priorRefund ?? "none",
      },
      buyer: { id: options.buyerId ?? `buyer-${sequence}`, nick: "买家" },
      reasonCode: options.reasonCode ?? "quality_issue",
      evidence: [],
      amountFen: options.amountFen ?? (options.kind === "entry_reopen" ? 0 : 5_000),
    },
  } as WebhookEvent;
  await receiveWebhookEvent(db, { shop: tmall, event, rawBody: JSON.stringify(event), now });
  const [row] = await db.select().from(requests).where(eq(requests.platformRequestId, requestId));
  return row;
}

async function auditOf(requestId: string) {
  return db.select().from(auditLog).where(eq(auditLog.requestId, requestId)).orderBy(auditLog.id);
}

beforeEach(async () => {
  db = await openTestDb();
  const merchant = await createMerchant(db, "A");
  tmall = { id: await createShop(db, { merchantId: merchant, platform: "tmall", name: "A 天猫店" }), platform: "tmall", merchantId: merchant };
  owner = (await getScope(db, await createUser(db, { merchantId: merchant, name: "老板", email: "o@a.test", role: "owner" })))!;
  const merchantB = await createMerchant(db, "B");
  await createShop(db, { merchantId: merchantB, platform: "taobao", name: "B 店" });
  ownerB = (await getScope(db, await createUser(db, { merchantId: merchantB, name: "B", email: "o@b.test", role: "owner" })))!;
});
afterEach(async () => closeTestDb(db));

describe("rules on arrival (webhook ingest, same transaction)", () => {
  it("自动开启售后入口 approves an eligible re-open at once: entry opened, rule in the history, outbox, counted as a rule's answer in time", async () => {
    await save({ autoOpenEntry: true, rules: [] });
    const card = await created({ kind: "entry_reopen", completedDaysAgo: 100 });
    expect(card).toMatchObject({ status: "approved", decision: "approve", decidedBy: null, decidedAt: now });
    const audit = await auditOf(card.id);
    expect(audit.map((entry) => entry.action)).toEqual(["received", "approved_by_rule", "entry_opened"]);
    expect(audit[1]).toMatchObject({ actorId: null, detail: { ruleId: "auto_open_entry", ruleName: "自动开启售后入口" } });
    const [order] = await db.select().from(orders).where(eq(orders.id, card.orderId));
    expect(order).toMatchObject({ entryOpenedAt: now, entryTimesOpened: 1 });
    expect(await db.select().from(outbox).where(eq(outbox.requestId, card.id))).toHaveLength(1);
    const [rollup] = await db.select().from(metricHourly).where(eq(metricHourly.shopId, tmall.id));
    expect(rollup).toMatchObject({ agentId: "rule", received: 1, answered: 1, answeredWithin3Min: 1, autoAnswered: 1, approved: 1 });
  });

  it.each([
    ["past 2 years after 交易成功", { completedDaysAgo: 800 }],
    ["after a refund that succeeded", { completedDaysAgo: 100, priorRefund: "succeeded" as const }],
  ])("never auto-approves an ineligible re-open (%s): left pending, tagged", async (_label, options) => {
    await save({ autoOpenEntry: true, rules: [] });
    const card = await created({ kind: "entry_reopen", ...options });
    expect(card.status).toBe("pending");
    expect((await auditOf(card.id)).map((entry) => entry.action)).toEqual(["received", "rule_not_eligible"]);
    expect(await db.select().from(outbox).where(eq(outbox.requestId, card.id))).toEqual([]);
  });

  it("the switch off leaves re-open requests to people", async () => {
    await save({ autoOpenEntry: false, rules: [] });
    expect((await created({ kind: "entry_reopen", completedDaysAgo: 100 })).status).toBe("pending");
  });

  it("a 只记录 rule tags the card with what it would have done, without deciding", async () => {
    await save({ autoOpenEntry: false, rules: [rule("small", { maxRequestedAmountFen: 10_000 }, { mode: "dry_run" })] });
    const card = await created({ kind: "refund_only", completedDaysAgo: 3 });
    expect(card.status).toBe("pending");
    expect((await auditOf(card.id))[1]).toMatchObject({ action: "rule_dry_run", actorId: null, detail: { ruleId: "small", ruleName: "规则small", wouldDecide: "approve" } });
  });

  it("first match wins: a live rule approves what it matches, not what it does not", async () => {
    await save({ autoOpenEntry: false, rules: [rule("small", { maxRequestedAmountFen: 10_000 }), rule("later", {}, { mode: "dry_run" })] });
    expect((await created({ kind: "refund_only", completedDaysAgo: 3, amountFen: 9_000 })).status).toBe("approved");
    const large = await created({ kind: "refund_only", completedDaysAgo: 3, amountFen: 12_000 });
    expect(large.status).toBe("pending");
    expect((await auditOf(large.id))[1]).toMatchObject({ action: "rule_dry_run", detail: { ruleId: "later" } });
  });

  it("counts the buyer's other requests of the last 90 days", async () => {
    await save({ autoOpenEntry: false, rules: [rule("first-timer", { maxBuyerRequests90d: 0 })] });
    expect((await created({ kind: "refund_only", completedDaysAgo: 3, buyerId: "repeat", receivedAgoMs: 60_000 })).status).toBe("approved");
    // The same buyer again: one request in the window now
    expect((await created({ kind: "refund_only", completedDaysAgo: 3, buyerId: "repeat" })).status).toBe("pending");
  });
});

describe("saving rules", () => {
  it("refuses a save on a stale version and another merchant's shop", async () => {
    await save({ autoOpenEntry: true, rules: [] });
    expect(await saveRuleSettings(db, owner, { shopId: tmall.id, ruleSet: { autoOpenEntry: false, rules: [] }, expectedVersion: 0 }, now)).toEqual({
      ok: false,
      code: "conflict",
      currentVersion: 1,
    });
    expect((await saveRuleSettings(db, ownerB, { shopId: tmall.id, ruleSet: { autoOpenEntry: false, rules: [] }, expectedVersion: 1 }, now)).ok).toBe(false);
    expect(await listRuleSettings(db, ownerB)).toHaveLength(1);
    const [settings] = await listRuleSettings(db, owner);
    expect(settings).toMatchObject({ autoOpenEntry: true, version: 1 });
    expect(await db.select().from(auditLog).where(and(eq(auditLog.shopId, tmall.id), eq(auditLog.action, "rules_changed")))).toHaveLength(1);
  });

  it("lists warnings for unreachable rules", async () => {
    await save({ autoOpenEntry: false, rules: [rule("all", {}), rule("tmall", { platforms: ["tmall"] })] });
    const [settings] = await listRuleSettings(db, owner);
    expect(settings.warnings).toEqual([{ ruleId: "tmall", reason: "shadowed", byRuleId: "all", byRuleName: "规则all" }]);
  });
});

describe("runBacktest on a hand-computed history", () => {
  type Past = {
    daysAgo: number;
    kind?: RequestKind;
    amountFen?: number;
    status: RequestStatus;
    responseS?: number;
    buyerId?: string;
    completedDaysAgo?: number;
    priorRefund?: "none" | "succeeded";
  };

  async function insertHistory(rows: Past[]) {
    for (const past of rows) {
      const receivedAt = new Date(now.getTime() - past.daysAgo * dayMs);
      const order = buildOrder({
        shopId: tmall.id,
        platform: "tmall",
        buyerId: past.buyerId ?? "someone",
        amountFen: 20_000,
        completedAt: new Date(receivedAt.getTime() - (past.completedDaysAgo ?? 5) * dayMs),
        priorRefund: past.priorRefund ?? "none",
      });
      await db.insert(orders).values(order);
      const isDecided = past.status === "approved" || past.status === "rejected";
      await db.insert(requests).values({
        ...buildRequest({ shopId: tmall.id, orderId: order.id, platform: "tmall", kind: past.kind ?? "refund_only", status: past.status, amountFen: past.amountFen ?? 5_000, receivedAt }),
        decision: isDecided ? (past.status === "approved" ? "approve" : "reject") : null,
        decidedAt: isDecided ? new Date(receivedAt.getTime() + (past.responseS ?? 60) * 1000) : null,
      });
    }
  }

  it("answers, ¥ refunded, rejections it would have overridden, ineligible, and the 3-minute rate with and without", async () => {
    await insertHistory([
      // Matched by "small" (≤ ¥100): approved in 60 s already, refund ¥50
      { daysAgo: 1, status: "approved", amountFen: 5_000 },
      // Matched: agents rejected it after 10 minutes; refund ¥80
      { daysAgo: 2, status: "rejected", amountFen: 8_000, responseS: 600 },
      // Not matched (¥150): approved late
      { daysAgo: 3, status: "approved", amountFen: 15_000, responseS: 400 },
      // Matched exchange: no refund; never answered (cancelled)
      { daysAgo: 4, kind: "exchange", status: "cancelled", amountFen: 3_000 },
      // Re-open, eligible: matched by the switch, approved in 180 s exactly (in time)
      { daysAgo: 5, kind: "entry_reopen", status: "approved", amountFen: 0, responseS: 180, completedDaysAgo: 100 },
      // Re-open after a refund: the switch matches, the policy refuses
      { daysAgo: 6, kind: "entry_reopen", status: "rejected", amountFen: 0, responseS: 100, priorRefund: "succeeded" },
      // Outside the 30-day window
      { daysAgo: 40, status: "rejected", amountFen: 1_000 },
    ]);
    const report = await runBacktest(
      db,
      owner,
      { shopId: tmall.id, windowDays: 30, ruleSet: { autoOpenEntry: true, rules: [rule("small", { maxRequestedAmountFen: 10_000, kinds: ["refund_only", "exchange"] })] } },
      now,
    );
    expect(report).toMatchObject({
      received: 6,
      answered: 4,
      refundFen: 13_000,
      rejectedByAgents: 1,
      ineligible: 1,
      intervention: 0,
      interventionRecorded: false,
    });
    // Without: in time = #1 (60 s), #5 (180 s), #6 (100 s) → 3/6; with: #1, #2, #4, #5 answered by rules, #6 in time → 5/6
    expect(report!.rateWithout).toBeCloseTo(3 / 6);
    expect(report!.rateWith).toBeCloseTo(5 / 6);
    expect(report!.perRule).toEqual([
      { ruleId: "auto_open_entry", ruleName: "自动开启售后入口", answered: 1, refundFen: 0 },
      { ruleId: "small", ruleName: "规则small", answered: 3, refundFen: 13_000 },
    ]);
    expect(report!.days.length).toBeGreaterThanOrEqual(30);
    expect(report!.days.reduce((sum, day) => sum + day.answered, 0)).toBe(4);
    // Newest match first, with the order's title
    expect(report!.samples.every((sample) => sample.requestId.startsWith("req_"))).toBe(true);
    expect(report!.samples.map((sample) => [sample.amountFen, sample.actualStatus, sample.title])).toEqual([
      [5_000, "approved", "测试商品"],
      [8_000, "rejected", "测试商品"],
      [3_000, "cancelled", "测试商品"],
      [0, "approved", "测试商品"],
    ]);
  });

  it("counts a buyer's requests from before the window, as the live rule does", async () => {
    await insertHistory([
      { daysAgo: 35, status: "approved", buyerId: "repeat" },
      { daysAgo: 10, status: "approved", buyerId: "repeat" },
      { daysAgo: 10, status: "approved", buyerId: "new" },
    ]);
    const report = await runBacktest(db, owner, { shopId: tmall.id, windowDays: 30, ruleSet: { autoOpenEntry: false, rules: [rule("first-timer", { maxBuyerRequests90d: 0 })] } }, now);
    expect(report).toMatchObject({ received: 2, answered: 1 });
  });

  it("answers null for a shop outside the scope", async () => {
    expect(await runBacktest(db, ownerB, { shopId: tmall.id, windowDays: 30, ruleSet: { autoOpenEntry: true, rules: [] } }, now)).toBeNull();
  });
});
