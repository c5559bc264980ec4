import { and, asc, eq, inArray } from "drizzle-orm";
import { transact } from "@/db/client";
import type { Db } from "@/db/client";
import { getDialect } from "@/db/dialect";
import { readBacktestHistory } from "@/db/queries/backtest-scan";
import { allRaw } from "@/db/raw";
import { auditLog, shops } from "@/db/schema";
import { autoRuleSets } from "@/db/schema-rules";
import { recordedSources } from "@/db/queries/metrics/card-facts";
import type { Scope } from "@/db/queries/users";
import type { BacktestReport, ShopRuleSettings } from "@/lib/rules/api-types";
import { addBacktestRow, createBacktest, createBuyerHistoryCounter, getBacktestResult } from "@/lib/rules/backtest";
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
  const result = await transact(db, async (tx): Promise<SaveRulesResult | null> => {
    const [shop] = await tx
      .select({ id: shops.id })
      .from(shops)
      .where(and(eq(shops.id, input.shopId), eq(shops.merchantId, scope.merchantId)))
      .limit(1);
    if (!shop) return { ok: false, code: "not_found" };
    const [current] = await tx.select({ version: autoRuleSets.version }).from(autoRuleSets).where(eq(autoRuleSets.shopId, shop.id)).limit(1);
    const currentVersion = current?.version ?? 0;
    if (currentVersion !== input.expectedVersion) return { ok: false, code: "conflict", currentVersion };
    const values = { autoOpenEntry: input.ruleSet.autoOpenEntry, rules: input.ruleSet.rules, updatedBy: scope.userId, updatedAt: now };
    if (current) {
      await tx
        .update(autoRuleSets)
        .set({ ...values, version: currentVersion + 1 })
        .where(and(eq(autoRuleSets.shopId, shop.id), eq(autoRuleSets.version, currentVersion)));
    } else {
      await tx.insert(autoRuleSets).values({ shopId: shop.id, ...values, version: 1 });
    }
    await tx
      .insert(auditLog)
      .values({
        shopId: shop.id,
        actorId: scope.userId,
        action: "rules_changed",
        detail: { autoOpenEntry: input.ruleSet.autoOpenEntry, rules: input.ruleSet.rules.map((rule) => ({ id: rule.id, name: rule.name, enabled: rule.enabled, mode: rule.mode })) },
        at: now,
      });
    return null;
  });
  if (result) return result;
  const settings = (await listRuleSettings(db, scope)).find((row) => row.shopId === input.shopId);
  return settings ? { ok: true, settings } : { ok: false, code: "not_found" };
}

// The scan also answers to this module's name (db/queries/rules.test.ts reads it here)
export { readBacktestHistory } from "@/db/queries/backtest-scan";

/** Reads the shop's history (db/queries/backtest-scan.ts) through the same matcher the live path uses. */
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
  await readBacktestHistory(db, shop, range, { withBuyer }, (row) => {
    if (withBuyer && row.buyerId !== null) row.buyerRequests90d = buyers.countThenAdd(row.buyerId, row.receivedAtMs);
    if (row.receivedAtMs >= windowStartMs) addBacktestRow(state, row);
  });
  const result = getBacktestResult(state);
  // On SQLite the samples carry rowids from the scan, on PostgreSQL their ids: their ids and titles in one query
  const isSqlite = getDialect() === "sqlite";
  const sampleRows = result.samples.length
    ? await allRaw<{ key: number | string; id: string; title: string }>(
        db,
        `select ${isSqlite ? "r.rowid" : 'r."id"'} as "key", r."id", o."title" from "requests" r join "orders" o on o."id" = r."order_id"
          where r."shop_id" = ? and ${isSqlite ? "r.rowid" : 'r."id"'} in (${result.samples.map(() => "?").join(", ")})`,
        [shop.id, ...result.samples.map((sample) => (isSqlite ? Number(sample.requestId) : sample.requestId))],
      )
    : [];
  const byRowId = new Map(sampleRows.map((row) => [String(row.key), row]));
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
