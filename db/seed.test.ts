import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { openDb } from "@/db/client";
import { getMetricsReport, getReportShopIds } from "@/db/queries/metrics/report";
import { getStaffingForecast } from "@/db/queries/metrics/staffing";
import { getScope, type Scope } from "@/db/queries/users";
import { seedDemo } from "@/db/seed";
import { demoClaims, isDemoCategory } from "@/db/seed-claims";
import { orders, requests, users } from "@/db/schema";
import type { BuyerReasonCode } from "@/lib/buyer-reasons";
import { resolveReportRange } from "@/lib/metrics/report-range";
import { dayMs, getShanghaiDay } from "@/lib/time";

describe("the demo seed", () => {
  // 17:36 UTC is already 01:36 the next day in Shanghai: seeded by UTC days, "yesterday" came out empty
  it.each(["2026-11-23T17:36:00Z", "2026-11-23T06:00:00Z"])("fills each of the 30 Shanghai days before today with decided history (seeded at %s)", async (at) => {
    const now = new Date(at);
    const db = openDb(":memory:");
    await seedDemo(db, now);
    const decidedPerDay = new Map<string, number>();
    for (const row of await db.select({ receivedAt: requests.receivedAt, status: requests.status }).from(requests)) {
      if (row.status === "pending") continue;
      const day = getShanghaiDay(row.receivedAt);
      decidedPerDay.set(day, (decidedPerDay.get(day) ?? 0) + 1);
    }
    for (let daysBack = 1; daysBack <= 30; daysBack++) {
      const day = getShanghaiDay(new Date(now.getTime() - daysBack * dayMs));
      expect(decidedPerDay.get(day) ?? 0, day).toBeGreaterThan(50);
    }
    expect(decidedPerDay.get(getShanghaiDay(new Date(now.getTime() - 31 * dayMs))) ?? 0).toBeLessThan(50);
    // Seeding 30 days of history takes ~5 s on two busy cores: more than vitest's default limit
  }, 60_000);
});

describe("the demo's buyers and desk", () => {
  const now = new Date("2026-11-23T06:00:00Z");
  const db = openDb(":memory:");
  // One seed for both tests: seeding takes seconds on busy cores
  beforeAll(async () => seedDemo(db, now), 60_000);

  it("gives every card a claim from its product's category and reason: no wilted oranges, no dress with a charging port", async () => {
    const rows = await db
      .select({ claim: requests.claim, reasonCode: requests.reasonCode, kind: requests.kind, category: orders.category, title: orders.title })
      .from(requests)
      .innerJoin(orders, eq(orders.id, requests.orderId));
    expect(rows.length).toBeGreaterThan(3000);
    const misfits = rows.filter(({ claim, reasonCode, category }) => {
      if (!isDemoCategory(category)) return true;
      const claims = demoClaims[category][reasonCode as BuyerReasonCode] ?? [];
      return claim === null || !claims.includes(claim);
    });
    expect(misfits.map(({ title, reasonCode, claim }) => `${title} / ${reasonCode}: ${claim}`)).toEqual([]);
    // Re-open and repair requests carry their own reasons
    expect(rows.filter((row) => row.kind === "entry_reopen").every((row) => row.reasonCode === "late_problem")).toBe(true);
    expect(rows.filter((row) => row.kind === "repair").every((row) => row.reasonCode === "needs_repair")).toBe(true);
    // The two the owner saw: oranges never wilt, a dress has no charging port
    const oranges = rows.filter((row) => row.title.includes("脐橙"));
    expect(oranges.length).toBeGreaterThan(0);
    expect(oranges.some((row) => row.claim?.includes("蔫"))).toBe(false);
    expect(rows.filter((row) => row.title.includes("连衣裙")).some((row) => row.claim?.includes("充电"))).toBe(false);
  });

  it("answers the history through a desk whose staffing forecast reads back as needing people at the busy hours", async () => {
    const [owner] = await db.select().from(users).where(eq(users.email, "owner@mujin.demo"));
    const scope = (await getScope(db, owner.id)) as Scope;
    const shopIds = (await getReportShopIds(db, scope, undefined)) as string[];
    const forecast = await getStaffingForecast(db, scope, shopIds, { day: getShanghaiDay(new Date(now.getTime() + dayMs)), weeks: 4, targetLevel: 0.95, agentsOnShift: 1 });
    // Handle times as seeded: most under two minutes, so the 95% target is within reach
    expect(forecast.handle!.meanSeconds).toBeGreaterThan(40);
    expect(forecast.handle!.meanSeconds).toBeLessThan(120);
    expect(forecast.reachableLevel).toBeGreaterThan(0.95);
    const needs = forecast.hours.map((hour) => hour.agentsNeeded);
    // Two people at the busy hours, one in the quiet night
    expect(Math.max(...needs.map((need) => need ?? 0))).toBeGreaterThanOrEqual(2);
    expect(needs.filter((need) => need !== null && need > 0)).toContain(1);
    expect(forecast.runs.some((run) => run.isShort)).toBe(true);
    // Night cards wait for the morning shift, so the all-day rate sits under the scoring-hours rate
    const report = await getMetricsReport(db, scope, shopIds, resolveReportRange({ range: "30" }, now), now);
    expect(report.figures.responseRate.current!).toBeLessThan(report.figures.scoringHoursResponseRate.current!);
    expect(report.figures.scoringHoursResponseRate.current!).toBeGreaterThan(0.8);
  });
});
