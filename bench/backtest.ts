// The rules backtest (docs/domain/automatic-rules.md#the-backtest: the shop's whole history in under 2 s at 1M requests), timed in-process on a
// copy of a bench database: `npx tsx bench/backtest.ts <copy of bench/.data/bench-1000000.db> [--runs 7] [--window 365]`.
// Never point it at bench/.data itself: openDb migrates the file and the bench may reseed it at any time.
import os from "node:os";
import { eq } from "drizzle-orm";
import { openDb } from "@/db/client";
import { readBacktestHistory } from "@/db/queries/backtest-scan";
import { runBacktest } from "@/db/queries/rules";
import { getScope } from "@/db/queries/users";
import { users } from "@/db/schema";
import { createBuyerHistoryCounter } from "@/lib/rules/backtest";
import { getEffectiveRules, usesBuyerHistory } from "@/lib/rules/match";
import type { Platform } from "@/lib/domain";
import { dayMs } from "@/lib/time";
import type { RuleSet } from "@/lib/rules/schema";

/**
 * What an owner might really switch on: the re-open switch, a small-refund rule limited by the buyer's
 * history, a cheap quality rule on reason codes and days since 交易成功, 7天无理由 on apparel, a 只记录 rule
 * and a disabled one. The buyer limit is high because the bench's 2,500 buyers per shop each ask ~50 times
 * in 90 days (db/bench-seed.ts), so the rule still matches some.
 */
export const benchRuleSet: RuleSet = {
  autoOpenEntry: true,
  rules: [
    { id: "small-refund", name: "小额仅退款", enabled: true, mode: "live", action: "approve", conditions: { kinds: ["refund_only"], maxRequestedAmountFen: 5_000, maxBuyerRequests90d: 50 } },
    { id: "quality", name: "质量问题低价单", enabled: true, mode: "live", action: "approve", conditions: { reasonCodes: ["quality_issue", "damaged_in_transit"], maxOrderAmountFen: 20_000, maxDaysSinceCompleted: 7 } },
    { id: "no-reason", name: "服饰七天无理由", enabled: true, mode: "live", action: "approve", conditions: { isNoReason7d: true, categories: ["apparel"], hasEvidence: false } },
    { id: "exchange", name: "换货只记录", enabled: true, mode: "dry_run", action: "approve", conditions: { kinds: ["exchange"], minDaysSinceCompleted: 1, maxRequestedAmountFen: 30_000 } },
    { id: "off", name: "已停用", enabled: false, mode: "live", action: "approve", conditions: {} },
  ],
};

export type BacktestMeasureOptions = {
  /** 30 and 90 are what the page offers; 365 is the bench shops' whole history. */
  windowDays?: number;
  runs?: number;
  /** Defaults to the bench's first shop (Tmall). */
  shopId?: string;
  ruleSet?: RuleSet;
};

export type BacktestMeasure = {
  shopId: string;
  windowDays: number;
  /** Requests in the window (the buyer counter also reads the 90 days before it). */
  rows: number;
  answered: number;
  runs: number;
  p50Ms: number;
  p95Ms: number;
  minMs: number;
  /** This process's CPU time per run (median): steadier than wall time when other work shares the cores. */
  cpuP50Ms: number;
  /**
   * Medians of the same runs taken apart: reading the history (SQL scan, order lookups, rows in receipt
   * order), the buyer counter on top of that, and the rest of runBacktest (matcher, policy gate, figures).
   */
  phasesMs: { scan: number; buyerCounter: number; match: number };
  /** The 1-minute load average before and after the runs: the machine's 2 cores are shared. */
  loadAverage: { before: number; after: number };
};


function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Times `runBacktest` as the route calls it (owner scope, one shop), `runs` times after one warm-up run. */
export async function measureBacktest(dbFile: string, options: BacktestMeasureOptions = {}): Promise<BacktestMeasure> {
  const { windowDays = 365, runs = 5, ruleSet = benchRuleSet } = options;
  const db = openDb(dbFile);
  try {
    const [owner] = await db.select({ id: users.id }).from(users).where(eq(users.email, "owner@bench.local"));
    const scope = owner && (await getScope(db, owner.id));
    if (!scope) throw new Error(`${dbFile} is not a bench database (no owner@bench.local)`);
    const shopId = options.shopId ?? scope.shopIds[0];
    const { latestMs } = db.$client.prepare("select max(received_at) as latestMs from requests where shop_id = ?").get(shopId) as { latestMs: number };
    // Just after the shop's newest request, so every run (and every machine) reads the same history
    const now = new Date(latestMs + 1_000);
    const input = { shopId, ruleSet, windowDays };
    const loadBefore = os.loadavg()[0];
    const warmUp = await runBacktest(db, scope, input, now);
    if (!warmUp) throw new Error(`shop ${shopId} is not in the owner's scope`);
    const shop = { id: shopId, platform: (db.$client.prepare("select platform from shops where id = ?").get(shopId) as { platform: Platform }).platform };
    const withBuyer = usesBuyerHistory(getEffectiveRules(ruleSet));
    const range = { fromMs: now.getTime() - (windowDays + (withBuyer ? 90 : 0)) * dayMs, toMs: now.getTime() };
    const timings: number[] = [];
    const cpuTimings: number[] = [];
    const scanTimings: number[] = [];
    const buyerTimings: number[] = [];
    for (let run = 0; run < runs; run++) {
      const startedAt = performance.now();
      const cpuBefore = process.cpuUsage();
      await runBacktest(db, scope, input, now);
      timings.push(performance.now() - startedAt);
      const cpu = process.cpuUsage(cpuBefore);
      cpuTimings.push((cpu.user + cpu.system) / 1000);
      const scanStartedAt = performance.now();
      await readBacktestHistory(db, shop, range, { withBuyer }, () => {});
      scanTimings.push(performance.now() - scanStartedAt);
      const buyers = createBuyerHistoryCounter();
      const buyerStartedAt = performance.now();
      await readBacktestHistory(db, shop, range, { withBuyer }, (row) => row.buyerId !== null && buyers.countThenAdd(row.buyerId, row.receivedAtMs));
      buyerTimings.push(performance.now() - buyerStartedAt);
    }
    const scanMs = percentile(scanTimings, 50);
    const withBuyerMs = withBuyer ? percentile(buyerTimings, 50) : scanMs;
    return {
      shopId,
      windowDays,
      rows: warmUp.received,
      answered: warmUp.answered,
      runs,
      p50Ms: Math.round(percentile(timings, 50)),
      p95Ms: Math.round(percentile(timings, 95)),
      minMs: Math.round(Math.min(...timings)),
      cpuP50Ms: Math.round(percentile(cpuTimings, 50)),
      phasesMs: {
        scan: Math.round(scanMs),
        buyerCounter: Math.round(Math.max(0, withBuyerMs - scanMs)),
        match: Math.round(Math.max(0, percentile(timings, 50) - withBuyerMs)),
      },
      loadAverage: { before: loadBefore, after: os.loadavg()[0] },
    };
  } finally {
    db.$client.close();
  }
}

function readFlag(name: string): number | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : Number(process.argv[index + 1]);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dbFile = process.argv[2];
  if (!dbFile || dbFile.startsWith("--")) throw new Error("usage: npx tsx bench/backtest.ts <copy of a bench db> [--runs 5] [--window 365]");
  const windows = readFlag("window") ? [readFlag("window")!] : [30, 90, 365];
  for (const windowDays of windows) {
    const measure = await measureBacktest(dbFile, { windowDays, runs: readFlag("runs") });
    console.log(
      `${windowDays} days: ${measure.rows.toLocaleString()} requests (${measure.answered.toLocaleString()} answered), p50 ${measure.p50Ms} ms, p95 ${measure.p95Ms} ms, min ${measure.minMs} ms, CPU p50 ${measure.cpuP50Ms} ms over ${measure.runs} runs (scan ${measure.phasesMs.scan} + buyer counter ${measure.phasesMs.buyerCounter} + matching ${measure.phasesMs.match} ms); load ${measure.loadAverage.before.toFixed(2)} → ${measure.loadAverage.after.toFixed(2)}`,
    );
  }
}
