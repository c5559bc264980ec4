import type { Db } from "@/db/client";
import { getDialect, toBoolean } from "@/db/dialect";
import { allRaw } from "@/db/raw";
import type { Platform, PriorRefundState, RequestKind, RequestStatus } from "@/lib/domain";
import type { BacktestRow } from "@/lib/rules/backtest";

// The backtest's scan of a shop's past requests (the backtest itself: db/queries/rules.ts runBacktest).

/**
 * One past request as the scan hands it over: the figures' facts, the buyer (when asked for) and a number for the
 * samples: SQLite's rowid (requestId is then that number, looked up for the few samples); on PostgreSQL, which has no
 * rowid, the row's place in the scan (requestId is then the id itself).
 */
export type BacktestHistoryRow = BacktestRow & { rowId: number; buyerId: string | null };

// A row's columns are kept as numbers, one row after the other in one typed array: text as its code in the column's
// dictionary, null as NaN. Each column's place in its row:
const column = {
  rowId: 0,
  kind: 1,
  status: 2,
  reasonCode: 3,
  hasEvidence: 4,
  requestedAmountFen: 5,
  receivedAt: 6,
  decidedAt: 7,
  category: 8,
  orderAmountFen: 9,
  completedAt: 10,
  priorRefund: 11,
  entryOpenedAt: 12,
  entryTimesOpened: 13,
  buyer: 14,
} as const;
const storedColumns = Object.keys(column).length;
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

// PostgreSQL has no rowid, no indexed by and no aggregate functions written in JS: the same rows in the same order,
// each with its id, handed over by the driver (docs/postgres.md#writing-queries-for-both-engines)
const postgresScanSql = (withBuyer: boolean) => `
  select r."id", r."kind", r."status", r."reason_code", r."evidence" <> '[]' as "has_evidence", r."amount_fen", r."received_at", r."decided_at",
         o."category", o."amount_fen" as "order_amount_fen", o."completed_at", o."prior_refund", o."entry_opened_at", o."entry_times_opened",
         ${withBuyer ? 'o."buyer_id"' : "null"} as "buyer_id"
    from "requests" r
    join "orders" o on o."id" = r."order_id"
   where r."shop_id" = ? and r."received_at" >= ? and r."received_at" < ?
   order by r."order_id", r."received_at", r."kind", r."status", r."amount_fen", r."decided_at", r."reason_code", r."evidence", r."id"`;

type PostgresScanRow = {
  id: string;
  kind: RequestKind;
  status: RequestStatus;
  reason_code: string;
  has_evidence: unknown;
  amount_fen: number | string;
  received_at: number | string;
  decided_at: number | string | null;
  category: string;
  order_amount_fen: number | string;
  completed_at: number | string | null;
  prior_refund: PriorRefundState;
  entry_opened_at: number | string | null;
  entry_times_opened: number | string;
  buyer_id: string | null;
};

const toNumberOrNull = (value: number | string | null) => (value === null ? null : Number(value));

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
export async function readBacktestHistory(
  db: Db,
  shop: { id: string; platform: Platform },
  range: { fromMs: number; toMs: number },
  options: { withBuyer: boolean },
  visit: (row: BacktestHistoryRow) => void,
): Promise<void> {
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
    const at = count * storedColumns;
    stored[at + column.rowId] = rowId;
    stored[at + column.kind] = kinds.encode(kind);
    stored[at + column.status] = statuses.encode(status);
    stored[at + column.reasonCode] = reasonCodes.encode(reasonCode);
    stored[at + column.hasEvidence] = hasEvidence;
    stored[at + column.requestedAmountFen] = amountFen;
    stored[at + column.receivedAt] = receivedAt;
    stored[at + column.decidedAt] = decidedAt ?? NaN;
    stored[at + column.category] = categories.encode(category);
    stored[at + column.orderAmountFen] = orderAmountFen;
    stored[at + column.completedAt] = completedAt ?? NaN;
    stored[at + column.priorRefund] = priorRefunds.encode(priorRefund);
    stored[at + column.entryOpenedAt] = entryOpenedAt ?? NaN;
    stored[at + column.entryTimesOpened] = entryTimesOpened;
    stored[at + column.buyer] = buyerId === null ? NaN : buyers.encode(buyerId);
    times[count] = receivedAt;
    count++;
  };
  // On PostgreSQL the ids, by the place in the scan that stands in for a rowid
  let ids: string[] | null = null;
  if (getDialect() === "postgres") {
    ids = [];
    for (const row of await allRaw<PostgresScanRow>(db, postgresScanSql(options.withBuyer), [shop.id, range.fromMs, range.toMs])) {
      collectRow(
        null,
        ids.push(row.id) - 1,
        row.kind,
        row.status,
        row.reason_code,
        toBoolean(row.has_evidence) ? 1 : 0,
        Number(row.amount_fen),
        Number(row.received_at),
        toNumberOrNull(row.decided_at),
        row.category,
        Number(row.order_amount_fen),
        toNumberOrNull(row.completed_at),
        row.prior_refund,
        toNumberOrNull(row.entry_opened_at),
        Number(row.entry_times_opened),
        row.buyer_id,
      );
    }
  } else {
    // Registered per scan (the connection is synchronous: nothing else runs meanwhile) to fill this scan's
    // arrays; better-sqlite3 takes the argument count from the function, which its types do not model
    db.$client.aggregate(collectRowsFunction, { start: null, step: collectRow as unknown as (total: null, next: null) => void });
    db.$client.prepare(backtestScanSql(options.withBuyer)).get(shop.id, range.fromMs, range.toMs);
  }
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
    const at = row * storedColumns;
    visited.rowId = stored[at + column.rowId];
    visited.requestId = ids ? ids[stored[at + column.rowId]] : String(stored[at + column.rowId]);
    visited.kind = kinds.values[stored[at + column.kind]];
    visited.status = statuses.values[stored[at + column.status]];
    visited.reasonCode = reasonCodes.values[stored[at + column.reasonCode]];
    visited.hasEvidence = stored[at + column.hasEvidence] === 1;
    visited.requestedAmountFen = stored[at + column.requestedAmountFen];
    visited.receivedAtMs = stored[at + column.receivedAt];
    visited.decidedAtMs = instant(stored[at + column.decidedAt]);
    visited.category = categories.values[stored[at + column.category]];
    visited.orderAmountFen = stored[at + column.orderAmountFen];
    visited.completedAtMs = instant(stored[at + column.completedAt]);
    visited.priorRefund = priorRefunds.values[stored[at + column.priorRefund]];
    visited.entryOpenedAtMs = instant(stored[at + column.entryOpenedAt]);
    visited.entryTimesOpened = stored[at + column.entryTimesOpened];
    const buyer = stored[at + column.buyer];
    visited.buyerId = Number.isNaN(buyer) ? null : buyers.values[buyer];
    visited.buyerRequests90d = null;
    visit(visited);
  }
}
