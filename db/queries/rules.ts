import { and, asc, eq, gte, inArray, lt, ne, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { auditLog, orders, requests, shops } from "@/db/schema";
import { autoRuleSets } from "@/db/schema-rules";
import { readPolicySnapshot } from "@/db/queries/decision-policy";
import { applyDecisionToRollup, recordedSources } from "@/db/queries/metrics";
import { openOrderEntry } from "@/db/queries/orders";
import { enqueueDecision } from "@/db/queries/outbox";
import type { Scope } from "@/db/queries/users";
import type { Tx } from "@/db/queries/webhooks";
import type { PriorRefundState, RequestKind, RequestStatus } from "@/lib/domain";
import type { BacktestReport, ShopRuleSettings } from "@/lib/rules/api-types";
import { addBacktestRow, createBacktest, createBuyerHistoryCounter, getBacktestResult } from "@/lib/rules/backtest";
import { getAutoAnswer, getEffectiveRules, isApproveAllowed, usesBuyerHistory, type AutoAnswer, type RuleFacts } from "@/lib/rules/match";
import type { RuleSet } from "@/lib/rules/schema";
import { findUnreachableRules } from "@/lib/rules/unreachable";

const dayMs = 86_400_000;
const buyerWindowMs = 90 * dayMs;

/** The rules of every shop the scope covers (agents read them too; only owners save). */
export async function listRuleSettings(db: Db, scope: Scope): Promise<ShopRuleSettings[]> {
  if (scope.shopIds.length === 0) return [];
  const rows = await db
    .select({ shopId: shops.id, shopName: shops.name, platform: shops.platform, set: autoRuleSets })
    .from(shops)
    .leftJoin(autoRuleSets, eq(autoRuleSets.shopId, shops.id))
    .where(and(eq(shops.merchantId, scope.merchantId), inArray(shops.id, scope.shopIds)))
    .orderBy(asc(shops.name));
  return rows.map(({ set, ...shop }) => {
    const ruleSet: RuleSet = { autoOpenEntry: set?.autoOpenEntry ?? false, rules: set?.rules ?? [] };
    return { ...shop, ...ruleSet, version: set?.version ?? 0, updatedAt: set?.updatedAt.toISOString() ?? null, warnings: findUnreachableRules(ruleSet) };
  });
}

export type SaveRulesResult =
  | { ok: true; settings: ShopRuleSettings }
  | { ok: false; code: "not_found" }
  | { ok: false; code: "conflict"; currentVersion: number };

/**
 * Saves a shop's switch and ordered rules (owner-only: checked by the caller) with an audit row. The
 * write only lands on the version the owner edited, so a concurrent save is refused, not lost.
 */
export async function saveRuleSettings(
  db: Db,
  scope: Scope,
  input: { shopId: string; ruleSet: RuleSet; expectedVersion: number },
  now: Date,
): Promise<SaveRulesResult> {
  if (!scope.shopIds.includes(input.shopId)) return { ok: false, code: "not_found" };
  const result = db.transaction((tx): SaveRulesResult | null => {
    const shop = tx
      .select({ id: shops.id })
      .from(shops)
      .where(and(eq(shops.id, input.shopId), eq(shops.merchantId, scope.merchantId)))
      .get();
    if (!shop) return { ok: false, code: "not_found" };
    const current = tx.select({ version: autoRuleSets.version }).from(autoRuleSets).where(eq(autoRuleSets.shopId, shop.id)).get();
    const currentVersion = current?.version ?? 0;
    if (currentVersion !== input.expectedVersion) return { ok: false, code: "conflict", currentVersion };
    const values = { autoOpenEntry: input.ruleSet.autoOpenEntry, rules: input.ruleSet.rules, updatedBy: scope.userId, updatedAt: now };
    if (current) {
      tx.update(autoRuleSets)
        .set({ ...values, version: currentVersion + 1 })
        .where(and(eq(autoRuleSets.shopId, shop.id), eq(autoRuleSets.version, currentVersion)))
        .run();
    } else {
      tx.insert(autoRuleSets).values({ shopId: shop.id, ...values, version: 1 }).run();
    }
    tx.insert(auditLog)
      .values({
        shopId: shop.id,
        actorId: scope.userId,
        action: "rules_changed",
        detail: { autoOpenEntry: input.ruleSet.autoOpenEntry, rules: input.ruleSet.rules.map((rule) => ({ id: rule.id, name: rule.name, enabled: rule.enabled, mode: rule.mode })) },
        at: now,
      })
      .run();
    return null;
  });
  if (result) return result;
  const settings = (await listRuleSettings(db, scope)).find((row) => row.shopId === input.shopId);
  return settings ? { ok: true, settings } : { ok: false, code: "not_found" };
}

/** The buyer's other requests in the shop received in [t − 90 days, t); the same window the backtest counts. */
function countBuyerRequests(tx: Tx, input: { shopId: string; buyerId: string; requestId: string; receivedAt: Date }): number {
  const row = tx
    .select({ count: sql<number>`count(*)` })
    .from(orders)
    .innerJoin(requests, eq(requests.orderId, orders.id))
    .where(
      and(
        eq(orders.shopId, input.shopId),
        eq(orders.buyerId, input.buyerId),
        gte(requests.receivedAt, new Date(input.receivedAt.getTime() - buyerWindowMs)),
        lt(requests.receivedAt, input.receivedAt),
        ne(requests.id, input.requestId),
      ),
    )
    .get();
  return row?.count ?? 0;
}

/**
 * Runs the shop's rules on a request just stored, inside the transaction that stored it (webhook
 * ingest): a live rule approves it at once (a re-open opens the entry), like an agent's approval but
 * with no person (decidedBy null, so the metrics count it as a rule's answer); a 只记录 rule only tags
 * the card. Platform rules still hold: an ineligible request is left to a person.
 */
export function applyAutoRules(tx: Tx, requestId: string, now: Date): AutoAnswer {
  const row = tx
    .select({ request: requests, order: orders, set: autoRuleSets })
    .from(requests)
    .innerJoin(orders, eq(orders.id, requests.orderId))
    .innerJoin(autoRuleSets, eq(autoRuleSets.shopId, requests.shopId))
    .where(eq(requests.id, requestId))
    .get();
  if (!row || row.request.status !== "pending") return null;
  const { request, order, set } = row;
  const rules = getEffectiveRules({ autoOpenEntry: set.autoOpenEntry, rules: set.rules });
  if (!rules.some((rule) => rule.enabled)) return null;
  const facts: RuleFacts = {
    platform: request.platform,
    kind: request.kind,
    category: order.category,
    orderAmountFen: order.amountFen,
    requestedAmountFen: request.amountFen,
    completedAtMs: order.completedAt?.getTime() ?? null,
    receivedAtMs: request.receivedAt.getTime(),
    reasonCode: request.reasonCode,
    hasEvidence: request.evidence.length > 0,
    buyerRequests90d: usesBuyerHistory(rules)
      ? countBuyerRequests(tx, { shopId: request.shopId, buyerId: order.buyerId, requestId, receivedAt: request.receivedAt })
      : null,
  };
  const answer = getAutoAnswer(rules, facts, () => {
    const snapshot = readPolicySnapshot(tx, requestId);
    return snapshot !== null && isApproveAllowed(snapshot.profile, snapshot.order, snapshot.policyRequest, now);
  });
  if (!answer) return null;
  const ruleDetail = { ruleId: answer.rule.id, ruleName: answer.rule.name };
  if (answer.outcome !== "approve") {
    // 只记录, or matched but the platform forbids approving: the card says so, a person decides
    tx.insert(auditLog)
      .values({
        shopId: request.shopId,
        requestId,
        orderId: order.id,
        actorId: null,
        action: answer.outcome === "dry_run" ? "rule_dry_run" : "rule_not_eligible",
        detail: { ...ruleDetail, wouldDecide: "approve" },
        at: now,
      })
      .run();
    return answer;
  }
  const updated = tx
    .update(requests)
    // A rule's answer is final at once: there is no author to undo it
    .set({ status: "approved", decision: "approve", decidedAt: now, decidedBy: null, finalAt: now, version: sql`${requests.version} + 1` })
    .where(and(eq(requests.id, requestId), eq(requests.status, "pending")))
    .run();
  if (updated.changes !== 1) return null;
  tx.insert(auditLog)
    .values({
      shopId: request.shopId,
      requestId,
      orderId: order.id,
      actorId: null,
      action: "approved_by_rule",
      fromStatus: "pending",
      toStatus: "approved",
      detail: ruleDetail,
      at: now,
    })
    .run();
  // Approving a re-open request opens the order's entry (seeds/002); eligibility was checked just above in this transaction
  if (request.kind === "entry_reopen") {
    const opened = openOrderEntry(tx, { orderId: order.id, actorId: null, requestId, source: "request", now });
    if (!opened.ok) throw new Error(`Entry of order ${order.id} could not be opened: ${opened.eligibility.reason}`);
  }
  applyDecisionToRollup(tx, requestId);
  enqueueDecision(tx, requestId, now);
  return answer;
}

type RawBacktestRow = [
  rowId: number,
  kind: RequestKind,
  status: RequestStatus,
  reasonCode: string,
  hasEvidence: 0 | 1,
  amountFen: number,
  receivedAt: number,
  decidedAt: number | null,
  category: string,
  orderAmountFen: number,
  completedAt: number | null,
  priorRefund: PriorRefundState,
  entryOpenedAt: number | null,
  entryTimesOpened: number,
  buyerId: string | null,
];

// Only what the matcher, the policy gate and the figures read, all from the two covering indexes (the
// rowid stands in for the id until the few samples are looked up); the buyer only when a rule needs it
function prepareBacktestScan(db: Db, withBuyer: boolean) {
  return db.$client
    .prepare(
      `select r.rowid, r.kind, r.status, r.reason_code, r.evidence != '[]', r.amount_fen, r.received_at, r.decided_at,
              o.category, o.amount_fen, o.completed_at, o.prior_refund, o.entry_opened_at, o.entry_times_opened, ${withBuyer ? "o.buyer_id" : "null"}
         from requests r indexed by requests_rule_facts_idx
         join orders o indexed by orders_rule_facts_idx on o.id = r.order_id
        where r.shop_id = ? and r.received_at >= ? and r.received_at < ?
        order by r.received_at`,
    )
    .raw(true);
}

/** Streams the shop's history in day-sized chunks through the same matcher the live path uses. */
export async function runBacktest(
  db: Db,
  scope: Scope,
  input: { shopId: string; ruleSet: RuleSet; windowDays: number },
  now: Date,
  clock: () => number = () => performance.now(),
): Promise<BacktestReport | null> {
  const startedAt = clock();
  if (!scope.shopIds.includes(input.shopId)) return null;
  const [shop] = await db
    .select({ id: shops.id, platform: shops.platform })
    .from(shops)
    .where(and(eq(shops.id, input.shopId), eq(shops.merchantId, scope.merchantId)));
  if (!shop) return null;
  const windowEndMs = now.getTime();
  const windowStartMs = windowEndMs - input.windowDays * dayMs;
  const state = createBacktest(input.ruleSet, { startMs: windowStartMs, endMs: windowEndMs });
  const withBuyer = usesBuyerHistory(state.rules);
  const buyers = createBuyerHistoryCounter(buyerWindowMs);
  const scan = prepareBacktestScan(db, withBuyer);
  // The 90 days before the window only feed the buyers' counts
  for (let chunkStartMs = withBuyer ? windowStartMs - buyerWindowMs : windowStartMs; chunkStartMs < windowEndMs; chunkStartMs += dayMs) {
    const rows = scan.all(shop.id, chunkStartMs, Math.min(chunkStartMs + dayMs, windowEndMs)) as RawBacktestRow[];
    for (const raw of rows) {
      const receivedAtMs = raw[6];
      const buyerRequests90d = withBuyer && raw[14] !== null ? buyers.countThenAdd(raw[14], receivedAtMs) : null;
      if (receivedAtMs < windowStartMs) continue;
      addBacktestRow(state, {
        requestId: String(raw[0]),
        // A shop is on one platform, so its requests are too
        platform: shop.platform,
        kind: raw[1],
        status: raw[2],
        reasonCode: raw[3],
        hasEvidence: raw[4] === 1,
        requestedAmountFen: raw[5],
        receivedAtMs,
        decidedAtMs: raw[7],
        category: raw[8],
        orderAmountFen: raw[9],
        completedAtMs: raw[10],
        priorRefund: raw[11],
        entryOpenedAtMs: raw[12],
        entryTimesOpened: raw[13],
        buyerRequests90d,
      });
    }
  }
  const result = getBacktestResult(state);
  // The samples carry rowids from the scan: their ids and titles in one query
  const sampleRows = result.samples.length
    ? (db.$client
        .prepare(
          `select r.rowid, r.id, o.title from requests r join orders o on o.id = r.order_id
            where r.shop_id = ? and r.rowid in (${result.samples.map(() => "?").join(", ")})`,
        )
        .all(shop.id, ...result.samples.map((sample) => Number(sample.requestId))) as { rowid: number; id: string; title: string }[])
    : [];
  const byRowId = new Map(sampleRows.map((row) => [String(row.rowid), row]));
  return {
    ...result,
    samples: result.samples.map((sample) => ({ ...sample, requestId: byRowId.get(sample.requestId)?.id ?? sample.requestId, title: byRowId.get(sample.requestId)?.title ?? null })),
    shopId: shop.id,
    windowDays: input.windowDays,
    from: new Date(windowStartMs).toISOString(),
    to: new Date(windowEndMs).toISOString(),
    interventionRecorded: recordedSources.intervention,
    intervention: 0,
    elapsedMs: Math.round(clock() - startedAt),
  };
}
