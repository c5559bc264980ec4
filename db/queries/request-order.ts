import { sql, type SQL } from "drizzle-orm";
import { least } from "@/db/dialect";
import { orders, requests } from "@/db/schema";
import { platforms, requestKinds } from "@/lib/domain";
import { getSellerTimeoutStep } from "@/lib/platform-clock";
import { getPolicyProfile } from "@/lib/policy/profiles";
import { urgencyBands, type UrgencyBand } from "@/lib/urgency";

// lib/urgency.ts getUrgencyKey in SQL (instants are epoch ms), so the database sorts and pages the pending queue
// by the same key the client merges live cards with (docs/inbox-order.md). The key is one number: the band times
// bandSpanMs plus the band's instant, computed once per row. No index holds the platform's clock, so the pending
// rows in scope are read and the top of them kept (SQLite's sorter keeps only the page).

/** Past every instant the desk stores (the year 5138), so a band's keys never reach the next band's. */
export const bandSpanMs = 100_000_000_000_000;

const shippedAtSql = sql`(select ${orders.shippedAt} from ${orders} where ${orders.id} = ${requests.orderId})`;

/**
 * lib/platform-clock.ts getPlatformDueAt: the platform's deadline, else the profile's estimate from arrival. The
 * order's shipping time is looked up only where the estimate depends on it (a refund before or after shipping).
 */
function buildPlatformDueAtSql(): SQL<number | null> {
  const byPlatform: SQL[] = [];
  for (const platform of platforms) {
    const profile = getPolicyProfile(platform);
    const byKind: SQL[] = [];
    for (const kind of requestKinds) {
      const [unshippedMs, shippedMs] = [false, true].map((isShipped) => {
        const step = getSellerTimeoutStep(profile, kind, isShipped);
        return step ? (profile.timeouts[step]?.durationMs ?? null) : null;
      });
      if (unshippedMs === null && shippedMs === null) continue;
      const estimate =
        unshippedMs === shippedMs
          ? sql`${requests.receivedAt} + ${sql.raw(String(shippedMs))}`
          : sql`${requests.receivedAt} + (case when ${shippedAtSql} is null then ${sql.raw(String(unshippedMs))} else ${sql.raw(String(shippedMs))} end)`;
      byKind.push(sql`when '${sql.raw(kind)}' then ${estimate}`);
    }
    if (byKind.length) byPlatform.push(sql`when '${sql.raw(platform)}' then (case ${requests.kind} ${sql.join(byKind, sql` `)} else null end)`);
  }
  return sql<number | null>`coalesce(${requests.platformDeadline}, case ${requests.platform} ${sql.join(byPlatform, sql` `)} else null end)`;
}

export const platformDueAtSql = buildPlatformDueAtSql();

/** band × bandSpanMs + the band's instant (lib/urgency.ts getUrgencyKey, as of one instant) for every row. */
export function urgencySortKeySql(asOf: Date): SQL<number> {
  const asOfMs = sql.raw(String(asOf.getTime()));
  const span = (band: UrgencyBand) => sql.raw(String(band * bandSpanMs));
  return sql<number>`(case when ${requests.respondBy} >= ${asOfMs} then ${least(sql`${requests.respondBy}`, sql`coalesce(${platformDueAtSql}, ${requests.respondBy})`)} else coalesce(${span(urgencyBands.platformClock)} + ${platformDueAtSql}, ${span(urgencyBands.noClock)} + ${requests.respondBy}) end)`.mapWith(Number);
}
