import { beforeEach, describe, expect, it } from "vitest";
import fc from "fast-check";
import { openDb, type Db } from "@/db/client";
import { buildOrder, buildRequest, createMerchant, createShop, createUser } from "@/db/factories";
import { readBacktestHistory, runBacktest } from "@/db/queries/rules";
import { getScope, type Scope } from "@/db/queries/users";
import { orders, requests } from "@/db/schema";
import { priorRefundStates, requestKinds, requestStatuses, type PriorRefundState, type RequestKind, type RequestStatus } from "@/lib/domain";
import { addBacktestRow, createBacktest, getBacktestResult } from "@/lib/rules/backtest";
import { usesBuyerHistory } from "@/lib/rules/match";
import type { AutoRule, RuleConditions, RuleSet } from "@/lib/rules/schema";
import { dayMs } from "@/lib/time";

// SQLite only: the straightforward reading is SQLite SQL, and the scan hands over SQLite's rowids in their order
// (on PostgreSQL, which has none, rowId is the place in the scan: db/queries/backtest-scan.ts). The rest of the rules
// queries run on both engines (rules.test.ts).

const now = new Date("2026-11-23T06:00:00.000Z");

let db: Db;
let owner: Scope;
let sequence = 0;

function rule(id: string, conditions: RuleConditions, overrides: Partial<AutoRule> = {}): AutoRule {
  return { id, name: `规则${id}`, enabled: true, mode: "live", conditions, action: "approve", ...overrides };
}

beforeEach(async () => {
  db = openDb(":memory:");
  const merchant = await createMerchant(db, "A");
  owner = (await getScope(db, await createUser(db, { merchantId: merchant, name: "老板", email: "o@a.test", role: "owner" })))!;
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
