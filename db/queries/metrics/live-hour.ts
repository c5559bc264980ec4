import { and, eq, gte, inArray, lt, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { requests } from "@/db/schema";
import { metricHourly } from "@/db/schema-metrics";
import { createEmptyRollup, defaultRollupPolicy, type RollupCounters } from "@/lib/metrics/response-metrics";
import type { LiveHourStatus } from "@/lib/metrics/report-types";
import { isInScoringHours } from "@/lib/metrics/scoring-window";
import { getShanghaiHourBucket } from "@/lib/time";
import { getShopPlatforms } from "@/db/queries/metrics/names";
import { responseRateTarget, sumRows, type ReadRow } from "@/db/queries/metrics/report";
import { getTableCounterColumns, pickCounters, type StoredKey } from "@/db/queries/metrics/tables";

// The current hour's response rate, for the inbox banner

function toReadRow(row: RollupCounters & StoredKey & { bucketStart: Date }): ReadRow {
  return { shopId: row.shopId, agentId: row.agentId, platform: row.platform, kind: row.kind, bucketStart: row.bucketStart, counters: pickCounters(row) };
}

/** Below this many settled cards an hour's rate swings on one card, so no warning yet. */
const minSettledForWarning = 5;

/** The current Shanghai hour so far, for the inbox banner: answers in time ÷ cards whose outcome is already known. */
export async function getLiveHourStatus(db: Db, shopIds: string[], now: Date): Promise<LiveHourStatus> {
  const hourStart = getShanghaiHourBucket(now);
  // Scored when any of the viewer's shops is in its platform's scoring hours
  const isScoredHour = [...new Set((await getShopPlatforms(db, shopIds)).values())].some((platform) => isInScoringHours(defaultRollupPolicy.scoringWindows[platform], now));
  let counters = createEmptyRollup();
  let overduePending = 0;
  if (shopIds.length > 0) {
    const hourRows = await db
      .select({ ...getTableCounterColumns(metricHourly), shopId: metricHourly.shopId, agentId: metricHourly.agentId, platform: metricHourly.platform, kind: metricHourly.kind, bucketStart: metricHourly.hourStart })
      .from(metricHourly)
      .where(and(inArray(metricHourly.shopId, shopIds), eq(metricHourly.hourStart, hourStart)));
    counters = sumRows(hourRows.map(toReadRow));
    const [row] = await db
      .select({ count: sql<number>`count(*)`.mapWith(Number) })
      .from(requests)
      .where(and(inArray(requests.shopId, shopIds), gte(requests.receivedAt, hourStart), eq(requests.status, "pending"), lt(requests.respondBy, now)));
    overduePending = row?.count ?? 0;
  }
  const settled = counters.answered + overduePending;
  const rate = settled === 0 ? null : counters.answeredWithin3Min / settled;
  return {
    hourStart: hourStart.toISOString(),
    isScoredHour,
    received: counters.received,
    answeredInTime: counters.answeredWithin3Min,
    settled,
    rate,
    target: responseRateTarget,
    isHeadingUnder: isScoredHour && settled >= minSettledForWarning && rate !== null && rate < responseRateTarget,
  };
}
