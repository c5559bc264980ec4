import { beforeEach, describe, expect, it } from "vitest";
import fc from "fast-check";
import { and, eq } from "drizzle-orm";
import { openDb, type Db } from "@/db/client";
import { buildOrder, buildRequest, createMerchant, createShop, createUser } from "@/db/factories";
import { listRuleSettings, readBacktestHistory, runBacktest, saveRuleSettings } from "@/db/queries/rules";
import { getScope, type Scope } from "@/db/queries/users";
import { type WebhookShop } from "@/db/queries/webhooks";
import { receiveWebhookEvent } from "@/db/workflows/ingest";
import { auditLog, orders, requests } from "@/db/schema";
import { metricHourly } from "@/db/schema-metrics";
import { outbox } from "@/db/schema-webhooks";
import { priorRefundStates, requestKinds, requestStatuses, type PriorRefundState, type RequestKind, type RequestStatus } from "@/lib/domain";
import { addBacktestRow, createBacktest, getBacktestResult } from "@/lib/rules/backtest";
import { usesBuyerHistory } from "@/lib/rules/match";
import type { AutoRule, RuleConditions, RuleSet } from "@/lib/rules/schema";
import type { WebhookEvent } from "@/lib/webhook/events";

const now = new Date("2026-11-23T06:00:00.000Z");
const dayMs = 86_400_000;

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
  const [row] = db.select().from(requests).where(eq(requests.platformRequestId, requestId)).all();
  return row;
}

function auditOf(requestId: string) {
  return db.select().from(auditLog).where(eq(auditLog.requestId, requestId)).orderBy(auditLog.id).all();
}

beforeEach(async () => {
  db = openDb(":memory:");
  const merchant = await createMerchant(db, "A");
  tmall = { id: await createShop(db, { merchantId: merchant, platform: "tmall", name: "A 天猫店" }), platform: "tmall", merchantId: merchant };
  owner = (await getScope(db, await createUser(db, { merchantId: merchant, name: "老板", email: "o@a.test", role: "owner" })))!;
  const merchantB = await createMerchant(db, "B");
  await createShop(db, { merchantId: merchantB, platform: "taobao", name: "B 店" });
  ownerB = (await getScope(db, await createUser(db, { merchantId: merchantB, name: "B", email: "o@b.test", role: "owner" })))!;
});

describe("rules on arrival (webhook ingest, same transaction)", () => {
  it("自动开启售后入口 approves an eligible re-open at once: entry opened, rule in the history, outbox, counted as a rule's answer in time", async () => {
    await save({ autoOpenEntry: true, rules: [] });
    const card = await created({ kind: "entry_reopen", completedDaysAgo: 100 });
    expect(card).toMatchObject({ status: "approved", decision: "approve", decidedBy: null, decidedAt: now });
    const audit = auditOf(card.id);
    expect(audit.map((entry) => entry.action)).toEqual(["received", "approved_by_rule", "entry_opened"]);
    expect(audit[1]).toMatchObject({ actorId: null, detail: { ruleId: "auto_open_entry", ruleName: "自动开启售后入口" } });
    const [order] = db.select().from(orders).where(eq(orders.id, card.orderId)).all();
    expect(order).toMatchObject({ entryOpenedAt: now, entryTimesOpened: 1 });
    expect(db.select().from(outbox).where(eq(outbox.requestId, card.id)).all()).toHaveLength(1);
    const [rollup] = db.select().from(metricHourly).where(eq(metricHourly.shopId, tmall.id)).all();
    expect(rollup).toMatchObject({ agentId: "rule", received: 1, answered: 1, answeredWithin3Min: 1, autoAnswered: 1, approved: 1 });
  });

  it.each([
    ["past 2 years after 交易成功", { completedDaysAgo: 800 }],
    ["after a refund that succeeded", { completedDaysAgo: 100, priorRefund: "succeeded" as const }],
  ])("never auto-approves an ineligible re-open (%s): left pending, tagged", async (_label, options) => {
    await save({ autoOpenEntry: true, rules: [] });
    const card = await created({ kind: "entry_reopen", ...options });
    expect(card.status).toBe("pending");
    expect(auditOf(card.id).map((entry) => entry.action)).toEqual(["received", "rule_not_eligible"]);
    expect(db.select().from(outbox).where(eq(outbox.requestId, card.id)).all()).toEqual([]);
  });

  it("the switch off leaves re-open requests to people", async () => {
    await save({ autoOpenEntry: false, rules: [] });
    expect((await created({ kind: "entry_reopen", completedDaysAgo: 100 })).status).toBe("pending");
  });

  it("a 只记录 rule tags the card with what it would have done, without deciding", async () => {
    await save({ autoOpenEntry: false, rules: [rule("small", { maxRequestedAmountFen: 10_000 }, { mode: "dry_run" })] });
    const card = await created({ kind: "refund_only", completedDaysAgo: 3 });
    expect(card.status).toBe("pending");
    expect(auditOf(card.id)[1]).toMatchObject({ action: "rule_dry_run", actorId: null, detail: { ruleId: "small", ruleName: "规则small", wouldDecide: "approve" } });
  });

  it("first match wins: a live rule approves what it matches, not what it does not", async () => {
    await save({ autoOpenEntry: false, rules: [rule("small", { maxRequestedAmountFen: 10_000 }), rule("later", {}, { mode: "dry_run" })] });
    expect((await created({ kind: "refund_only", completedDaysAgo: 3, amountFen: 9_000 })).status).toBe("approved");
    const large = await created({ kind: "refund_only", completedDaysAgo: 3, amountFen: 12_000 });
    expect(large.status).toBe("pending");
    expect(auditOf(large.id)[1]).toMatchObject({ action: "rule_dry_run", detail: { ruleId: "later" } });
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
    expect(db.select().from(auditLog).where(and(eq(auditLog.shopId, tmall.id), eq(auditLog.action, "rules_changed"))).all()).toHaveLength(1);
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

describe("runBacktest against the straightforward reading, on random histories", () => {
  const pastRequest = fc.record({
    // Few distinct instants 5 days apart over 200 days: equal receipt times are common, some sit on the window's edge
    slot: fc.integer({ min: 0, max: 40 }),
    kind: fc.constantFrom(...requestKinds),
    status: fc.constantFrom(...requestStatuses),
    amountFen: fc.integer({ min: 0, max: 30_000 }),
    reasonCode: fc.constantFrom("quality_issue", "no_reason_7d", "wrong_item"),
    hasEvidence: fc.boolean(),
    responseS: fc.option(fc.integer({ min: 0, max: 600 }), { nil: null }),
  });
  const pastOrder = fc.record({
    buyer: fc.integer({ min: 0, max: 3 }),
    // "手办" is no product category: the rules read it as "other"
    category: fc.constantFrom("apparel", "3c_digital", "手办"),
    amountFen: fc.integer({ min: 0, max: 50_000 }),
    completedDaysAgo: fc.option(fc.integer({ min: 0, max: 900 }), { nil: null }),
    priorRefund: fc.constantFrom(...priorRefundStates),
    entryOpenedDaysAgo: fc.option(fc.integer({ min: 0, max: 200 }), { nil: null }),
    entryTimesOpened: fc.integer({ min: 0, max: 2 }),
    // Several requests on one order, some at the same instant
    requests: fc.array(pastRequest, { minLength: 1, maxLength: 3 }),
  });
  type PastOrder = typeof pastOrder extends fc.Arbitrary<infer Value> ? Value : never;
  const ruleSets: RuleSet[] = [
    {
      autoOpenEntry: true,
      rules: [
        rule("first-timer", { kinds: ["refund_only", "return_refund"], maxBuyerRequests90d: 1 }),
        rule("quality", { reasonCodes: ["quality_issue"], maxOrderAmountFen: 20_000, maxDaysSinceCompleted: 100 }),
        rule("no-reason", { isNoReason7d: true, categories: ["apparel", "other"], hasEvidence: false }, { mode: "dry_run" }),
        rule("off", {}, { enabled: false }),
      ],
    },
    { autoOpenEntry: false, rules: [rule("all", {})] },
  ];

  async function insertPast(shopId: string, pastOrders: PastOrder[]) {
    for (const past of pastOrders) {
      const order = {
        ...buildOrder({
          shopId,
          platform: "tmall",
          buyerId: `buyer-${past.buyer}`,
          category: past.category,
          amountFen: past.amountFen,
          completedAt: past.completedDaysAgo === null ? null : new Date(now.getTime() - past.completedDaysAgo * dayMs),
          priorRefund: past.priorRefund,
        }),
        entryOpenedAt: past.entryOpenedDaysAgo === null ? null : new Date(now.getTime() - past.entryOpenedDaysAgo * dayMs),
        entryTimesOpened: past.entryTimesOpened,
      };
      await db.insert(orders).values(order);
      for (const request of past.requests) {
        const receivedAt = new Date(now.getTime() - request.slot * 5 * dayMs);
        await db.insert(requests).values({
          ...buildRequest({ shopId, orderId: order.id, platform: "tmall", kind: request.kind, status: request.status, amountFen: request.amountFen, reasonCode: request.reasonCode, receivedAt }),
          evidence: request.hasEvidence ? ["evd_1"] : [],
          decidedAt: request.responseS === null ? null : new Date(receivedAt.getTime() + request.responseS * 1000),
        });
      }
    }
  }

  type StraightRow = {
    rowId: number;
    id: string;
    title: string;
    kind: RequestKind;
    status: RequestStatus;
    reasonCode: string;
    hasEvidence: number;
    amountFen: number;
    receivedAt: number;
    decidedAt: number | null;
    category: string;
    orderAmountFen: number;
    completedAt: number | null;
    priorRefund: PriorRefundState;
    entryOpenedAt: number | null;
    entryTimesOpened: number;
    buyerId: string;
    buyerRequests90d: number;
  };

  /** Every request in receipt order (ties as the old scan's index had them), the buyer's count asked of SQL per row as the live path does. */
  function readStraightforward(shopId: string, fromMs: number, toMs: number): StraightRow[] {
    return db.$client
      .prepare(
        `select r.rowid as rowId, r.id, o.title, r.kind, r.status, r.reason_code as reasonCode, r.evidence != '[]' as hasEvidence, r.amount_fen as amountFen,
                r.received_at as receivedAt, r.decided_at as decidedAt, o.category, o.amount_fen as orderAmountFen, o.completed_at as completedAt,
                o.prior_refund as priorRefund, o.entry_opened_at as entryOpenedAt, o.entry_times_opened as entryTimesOpened, o.buyer_id as buyerId,
                (select count(*) from requests other join orders mine on mine.id = other.order_id
                  where mine.shop_id = o.shop_id and mine.buyer_id = o.buyer_id and other.id != r.id
                    and other.received_at >= r.received_at - ${90 * dayMs} and other.received_at < r.received_at) as buyerRequests90d
           from requests r join orders o on o.id = r.order_id
          where r.shop_id = ? and r.received_at >= ? and r.received_at < ?
          order by r.received_at, r.order_id, r.kind, r.status, r.amount_fen, r.decided_at, r.reason_code, r.evidence, r.rowid`,
      )
      .all(shopId, fromMs, toMs) as StraightRow[];
  }

  it("visits the rows of the straightforward receipt-order query, in its order, equal times included", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(pastOrder, { maxLength: 12 }), async (pastOrders) => {
        const shopId = await createShop(db, { merchantId: owner.merchantId, platform: "tmall", name: `随机店 ${sequence++}` });
        await insertPast(shopId, pastOrders);
        const range = { fromMs: now.getTime() - 120 * dayMs, toMs: now.getTime() };
        const visited: unknown[] = [];
        await readBacktestHistory(db, { id: shopId, platform: "tmall" }, range, { withBuyer: true }, (row) =>
          visited.push([row.rowId, row.kind, row.status, row.reasonCode, row.hasEvidence, row.requestedAmountFen, row.receivedAtMs, row.decidedAtMs, row.category, row.orderAmountFen, row.completedAtMs, row.priorRefund, row.entryOpenedAtMs, row.entryTimesOpened, row.buyerId]),
        );
        const expected = readStraightforward(shopId, range.fromMs, range.toMs).map((row) => [
          row.rowId, row.kind, row.status, row.reasonCode, row.hasEvidence === 1, row.amountFen, row.receivedAt, row.decidedAt, row.category, row.orderAmountFen,
          row.completedAt, row.priorRefund, row.entryOpenedAt, row.entryTimesOpened, row.buyerId,
        ]);
        expect(visited).toEqual(expected);
      }),
      { numRuns: 60 },
    );
  });

  it("gives the report the matcher gives on the rows read straightforwardly", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(pastOrder, { maxLength: 15 }), fc.constantFrom(...ruleSets), fc.constantFrom(30, 90), async (pastOrders, ruleSet, windowDays) => {
        const shopId = await createShop(db, { merchantId: owner.merchantId, platform: "tmall", name: `随机店 ${sequence++}` });
        await insertPast(shopId, pastOrders);
        const scope = { ...owner, shopIds: [...owner.shopIds, shopId] };
        const report = await runBacktest(db, scope, { shopId, ruleSet, windowDays }, now);
        const window = { startMs: now.getTime() - windowDays * dayMs, endMs: now.getTime() };
        const state = createBacktest(ruleSet, window);
        const withBuyer = usesBuyerHistory(state.rules);
        const rows = readStraightforward(shopId, window.startMs, window.endMs);
        for (const row of rows) {
          addBacktestRow(state, {
            requestId: row.id,
            platform: "tmall",
            kind: row.kind,
            status: row.status,
            reasonCode: row.reasonCode,
            hasEvidence: row.hasEvidence === 1,
            requestedAmountFen: row.amountFen,
            receivedAtMs: row.receivedAt,
            decidedAtMs: row.decidedAt,
            category: row.category,
            orderAmountFen: row.orderAmountFen,
            completedAtMs: row.completedAt,
            priorRefund: row.priorRefund,
            entryOpenedAtMs: row.entryOpenedAt,
            entryTimesOpened: row.entryTimesOpened,
            buyerRequests90d: withBuyer ? row.buyerRequests90d : null,
          });
        }
        const expected = getBacktestResult(state);
        const titles = new Map(rows.map((row) => [row.id, row.title]));
        expect(report).toMatchObject({ ...expected, samples: expected.samples.map((sample) => ({ ...sample, title: titles.get(sample.requestId) })) });
      }),
      { numRuns: 60 },
    );
  });
});
