import { describe, expect, it } from "vitest";
import { openDb } from "@/db/client";
import { seedDemo } from "@/db/seed";
import { requests } from "@/db/schema";
import { dayMs, getShanghaiDay } from "@/lib/metrics/shanghai-time";

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
