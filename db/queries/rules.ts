import { and, asc, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { auditLog, shops } from "@/db/schema";
import { autoRuleSets } from "@/db/schema-rules";
import { recordedSources } from "@/db/queries/metrics/card-facts";
import type { Scope } from "@/db/queries/users";
import type { Platform, PriorRefundState, RequestKind, RequestStatus } from "@/lib/domain";
import type { BacktestReport, ShopRuleSettings } from "@/lib/rules/api-types";
import { addBacktestRow, createBacktest, createBuyerHistoryCounter, getBacktestResult, type BacktestRow } from "@/lib/rules/backtest";
import { usesBuyerHistory } from "@/lib/rules/match";
import type { RuleSet } from "@/lib/rules/schema";
import { findUnreachableRules } from "@/lib/rules/unreachable";
import { dayMs } from "@/lib/time";

/** A rule's "buyer's requests in 90 days" counts this window, live (db/workflows/auto-rules.ts) and in the backtest alike. */
export const buyerWindowMs = 90 * dayMs;

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

/** One past request as the scan hands it over: the figures' facts, the buyer (when asked for) and the rowid for samples. */
export type BacktestHistoryRow = BacktestRow & { rowId: number; buyerId: string | null };

// A row's 15 columns are kept as numbers: text as its code in the column's dictionary, null as NaN
const storedColumns = 15;
const collectRowsFunction = "backtest_collect_rows";

// Only what the matcher, the policy gate and the figures read, all from the two covering indexes, fed to
// an aggregate function in JS: SQLite passes each row as arguments, about twice as cheap as building a
// row array per request (better-sqlite3 on Node 20 sets each column through the V8 API). The requests
// come in order-id order so each order lookup lands beside the previous one: looked up in receipt order
// they were random B-tree descents, about a third of a 1M run (docs/domain/automatic-rules.md#the-backtest). The ORDER BY is the index's own
// order, so no sort. Rowids stand in for ids until the few samples are looked up; the buyer only when a
// rule needs it.
const backtestScanSql = (withBuyer: boolean) => `
  select ${collectRowsFunction}(row_id, kind, status, reason_code, has_evidence, amount_fen, received_at, decided_at,
                               category, order_amount_fen, completed_at, prior_refund, entry_opened_at, entry_times_opened, buyer_id)
    from (select r.rowid as row_id, r.kind, r.status, r.reason_code, r.evidence != '[]' as has_evidence, r.amount_fen, r.received_at, r.decided_at,
                 o.category, o.amount_fen as order_amount_fen, o.completed_at, o.prior_refund, o.entry_opened_at, o.entry_times_opened,
                 ${withBuyer ? "o.buyer_id" : "null"} as buyer_id
            from requests r indexed by requests_rule_scan_idx
            join orders o indexed by orders_rule_facts_idx on o.id = r.order_id
           where r.shop_id = ? and r.received_at >= ? and r.received_at < ?
           order by r.order_id, r.received_at, r.kind, r.status, r.amount_fen, r.decided_at, r.reason_code, r.evidence, r.rowid)`;

function createDictionary<Value extends string>() {
  const codes = new Map<Value, number>();
  const values: Value[] = [];
  // Most columns repeat a handful of values: comparing with the last one is cheaper than hashing a new string
  let lastValue: Value | null = null;
  let lastCode = -1;
  return {
    values,
    encode(value: Value): number {
      if (value === lastValue) return lastCode;
      let code = codes.get(value);
      if (code === undefined) {
        code = values.push(value) - 1;
        codes.set(value, code);
      }
      lastValue = value;
      lastCode = code;
      return code;
    },
  };
}

/**
 * Row numbers in receipt order, equal times in row order. One pass into about one bucket per row by
 * time, then each bucket in order by insertion: linear where a comparison sort of a million was not.
 */
function getReceiptOrder(times: Float64Array, count: number): Uint32Array {
  const order = new Uint32Array(count);
  if (count === 0) return order;
  let earliest = Infinity;
  let latest = -Infinity;
  for (let row = 0; row < count; row++) {
    earliest = Math.min(earliest, times[row]);
    latest = Math.max(latest, times[row]);
  }
  const bucketMs = Math.max(1, (latest - earliest + 1) / count);
  const bucketOf = (row: number) => Math.floor((times[row] - earliest) / bucketMs);
  const starts = new Uint32Array(count + 1);
  for (let row = 0; row < count; row++) starts[bucketOf(row) + 1]++;
  for (let bucket = 0; bucket < count; bucket++) starts[bucket + 1] += starts[bucket];
  const next = starts.slice(0, count);
  for (let row = 0; row < count; row++) order[next[bucketOf(row)]++] = row;
  for (let bucket = 0; bucket < count; bucket++) {
    const bucketEnd = starts[bucket + 1];
    if (bucketEnd - starts[bucket] > 32) {
      // A burst in one bucket: a comparison sort, stable, so equal times keep row order
      order.subarray(starts[bucket], bucketEnd).sort((a, b) => times[a] - times[b] || a - b);
      continue;
    }
    for (let index = starts[bucket] + 1; index < bucketEnd; index++) {
      const row = order[index];
      let to = index;
      while (to > starts[bucket] && times[order[to - 1]] > times[row]) {
        order[to] = order[to - 1];
        to--;
      }
      order[to] = row;
    }
  }
  return order;
}

/**
 * Calls `visit` for each of the shop's requests received in [fromMs, toMs), in receipt order (ties in the
 * old scan's order: order id, then the index's columns). Rows arrive in order-id order and are kept as
 * numbers in one typed array (a million row objects cost more in garbage collection than the scan), then
 * visited in receipt order. `visit` gets the same object each time, refilled: copy what you keep.
 */
export function readBacktestHistory(
  db: Db,
  shop: { id: string; platform: Platform },
  range: { fromMs: number; toMs: number },
  options: { withBuyer: boolean },
  visit: (row: BacktestHistoryRow) => void,
): void {
  const kinds = createDictionary<RequestKind>();
  const statuses = createDictionary<RequestStatus>();
  const reasonCodes = createDictionary<string>();
  const categories = createDictionary<string>();
  const priorRefunds = createDictionary<PriorRefundState>();
  const buyers = createDictionary<string>();
  let stored = new Float64Array(4_096 * storedColumns);
  // Receipt times apart from the rows: the ordering reads only these, from a small contiguous array
  let times = new Float64Array(4_096);
  let count = 0;
  const collectRow = (
    _accumulator: null,
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
  ) => {
    if (count === times.length) {
      const grownTimes = new Float64Array(times.length * 2);
      grownTimes.set(times);
      times = grownTimes;
      const grownRows = new Float64Array(stored.length * 2);
      grownRows.set(stored);
      stored = grownRows;
    }
    const at = count * storedColumns - 1;
    stored[at + 1] = rowId;
    stored[at + 2] = kinds.encode(kind);
    stored[at + 3] = statuses.encode(status);
    stored[at + 4] = reasonCodes.encode(reasonCode);
    stored[at + 5] = hasEvidence;
    stored[at + 6] = amountFen;
    stored[at + 7] = receivedAt;
    stored[at + 8] = decidedAt ?? NaN;
    stored[at + 9] = categories.encode(category);
    stored[at + 10] = orderAmountFen;
    stored[at + 11] = completedAt ?? NaN;
    stored[at + 12] = priorRefunds.encode(priorRefund);
    stored[at + 13] = entryOpenedAt ?? NaN;
    stored[at + 14] = entryTimesOpened;
    stored[at + 15] = buyerId === null ? NaN : buyers.encode(buyerId);
    times[count] = receivedAt;
    count++;
  };
  // Registered per scan (the connection is synchronous: nothing else runs meanwhile) to fill this scan's
  // arrays; better-sqlite3 takes the argument count from the function, which its types do not model
  db.$client.aggregate(collectRowsFunction, { start: null, step: collectRow as unknown as (total: null, next: null) => void });
  db.$client.prepare(backtestScanSql(options.withBuyer)).get(shop.id, range.fromMs, range.toMs);
  const instant = (value: number) => (Number.isNaN(value) ? null : value);
  // One object refilled for every row: a million short-lived ones were a tenth of the run in allocation and collection
  const visited: BacktestHistoryRow = {
    rowId: 0,
    requestId: "",
    // A shop is on one platform, so its requests are too
    platform: shop.platform,
    kind: "refund_only",
    status: "pending",
    reasonCode: "",
    hasEvidence: false,
    requestedAmountFen: 0,
    receivedAtMs: 0,
    decidedAtMs: null,
    category: "",
    orderAmountFen: 0,
    completedAtMs: null,
    priorRefund: "none",
    entryOpenedAtMs: null,
    entryTimesOpened: 0,
    buyerId: null,
    buyerRequests90d: null,
  };
  for (const row of getReceiptOrder(times, count)) {
    const at = row * storedColumns - 1;
    visited.rowId = stored[at + 1];
    visited.requestId = String(stored[at + 1]);
    visited.kind = kinds.values[stored[at + 2]];
    visited.status = statuses.values[stored[at + 3]];
    visited.reasonCode = reasonCodes.values[stored[at + 4]];
    visited.hasEvidence = stored[at + 5] === 1;
    visited.requestedAmountFen = stored[at + 6];
    visited.receivedAtMs = stored[at + 7];
    visited.decidedAtMs = instant(stored[at + 8]);
    visited.category = categories.values[stored[at + 9]];
    visited.orderAmountFen = stored[at + 10];
    visited.completedAtMs = instant(stored[at + 11]);
    visited.priorRefund = priorRefunds.values[stored[at + 12]];
    visited.entryOpenedAtMs = instant(stored[at + 13]);
    visited.entryTimesOpened = stored[at + 14];
    visited.buyerId = Number.isNaN(stored[at + 15]) ? null : buyers.values[stored[at + 15]];
    visited.buyerRequests90d = null;
    visit(visited);
  }
}

/** Reads the shop's history (see readBacktestHistory) through the same matcher the live path uses. */
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
  // The 90 days before the window only feed the buyers' counts
  const range = { fromMs: withBuyer ? windowStartMs - buyerWindowMs : windowStartMs, toMs: windowEndMs };
  readBacktestHistory(db, shop, range, { withBuyer }, (row) => {
    if (withBuyer && row.buyerId !== null) row.buyerRequests90d = buyers.countThenAdd(row.buyerId, row.receivedAtMs);
    if (row.receivedAtMs >= windowStartMs) addBacktestRow(state, row);
  });
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
