import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Db, transact } from "@/db/client";
import { buildRequest, createOrder } from "@/db/factories";
import { toCardFacts, type RollupSource } from "@/db/queries/metrics/card-facts";
import { getLiveHourStatus } from "@/db/queries/metrics/live-hour";
import { rebuildRollups } from "@/db/queries/metrics/rebuild";
import { getMetricsReport, getReportShopIds, otherAgentsId } from "@/db/queries/metrics/report";
import { getStaffingForecast } from "@/db/queries/metrics/staffing";
import { applyRollupChange } from "@/db/queries/metrics/upkeep";
import { auditLog, requests } from "@/db/schema";
import { closeTestDb, openTestDb } from "@/db/test-db";
import { resolveReportRange } from "@/lib/metrics/report-range";
import { addCardInto, createEmptyRollup, getRangeFigures, getRollupKey, ruleAgentId, type RollupCounters } from "@/lib/metrics/response-metrics";
import { getShanghaiDay } from "@/lib/time";
import { createRandom } from "@/lib/random";
import { after, approve, type Fixture, now, readTables, receive, reject, report, seedHandHistory, setUp, shanghai } from "@/db/metrics-history.fixture";

let db: Db;
let fixture: Fixture;

beforeEach(async () => {
  db = await openTestDb();
  fixture = await setUp(db);
});
afterEach(async () => closeTestDb(db));

describe("figures on a hand-computed history", () => {
  it("today, compared with yesterday until the same hour", async () => {
    await seedHandHistory(db, fixture);
    const { figures, overdueNow } = await report(db, fixture.owner, "today");
    expect(figures.received).toEqual({ current: 5, previous: 1, delta: 4 }); // c1 c2 c3 c4 c6 vs c7
    expect(figures.responseRate.current).toBe(3 / 5); // c1, c3, c6 within 3 min
    expect(figures.responseRate.previous).toBe(1);
    expect(figures.scoringHoursResponseRate.current).toBe(1 / 3); // c1 c2 c4 scored; only c1 in time
    expect(figures.p50ResponseMs.current).toBe(30_000); // 10, 30, 60, 200 s: rank 2
    expect(figures.p90ResponseMs.current).toBe(216_000); // 200 s reported as its bucket's upper edge
    expect(figures.p99ResponseMs.current).toBe(216_000);
    expect(figures.meanResponseMs.current).toBe(75_000); // (10 + 30 + 60 + 200) / 4 s
    expect(figures.autoAnsweredShare.current).toBe(0);
    expect(figures.approved.current).toBe(3);
    expect(figures.rejected.current).toBe(1);
    expect(figures.rejectedWithoutReasonOrEvidence.current).toBe(0); // c2 carried its proof
    expect(figures.intervention.current).toBe(0);
    expect(figures.refundFen.current).toBe(9_000); // c1 + c3 + c6; the rejected return is no refund
    expect(figures.returnFreightFen.current).toBe(0);
    expect(overdueNow).toBe(1); // c4
  });

  it("breaks down by shop, agent, platform, kind and day, with the Shanghai midnight cards on their own days", async () => {
    await seedHandHistory(db, fixture);
    const { breakdowns } = await report(db, fixture.owner, "7");
    const received = (rows: { label: string; figures: { received: number } }[]) => Object.fromEntries(rows.map((row) => [row.label, row.figures.received]));
    expect(received(breakdowns.shop)).toEqual({ 天猫店: 4, 抖音店: 3 });
    expect(received(breakdowns.agent)).toEqual({ 王芳: 3, 李雷: 2, 陈静: 1, "": 1 }); // "" = not answered yet (c4)
    expect(received(breakdowns.platform)).toEqual({ tmall: 4, douyin: 3 });
    expect(received(breakdowns.kind)).toEqual({ refund_only: 5, return_refund: 1, exchange: 1 });
    expect(breakdowns.day.map((row) => [row.key, row.figures.received])).toEqual([
      ["2026-11-17", 0],
      ["2026-11-18", 0],
      ["2026-11-19", 0],
      ["2026-11-20", 0],
      ["2026-11-21", 0],
      ["2026-11-22", 2], // c5 at 23:59:59.999 and c7
      ["2026-11-23", 5], // c6 at 00:00:00.000 among them
    ]);
    const wang = breakdowns.agent.find((row) => row.label === "王芳")!;
    expect(wang.figures.responseRate).toBe(2 / 3); // c1 and c7 in time, c2 late
  });

  it("heatmap: arrivals and late answers by weekday and Shanghai hour", async () => {
    await seedHandHistory(db, fixture);
    const { heatmap } = await report(db, fixture.owner, "7");
    expect(heatmap.arrivals[0][9]).toBe(2); // Monday 09:xx: c1, c2
    expect(heatmap.late[0][9]).toBe(1); // c2, answered 10:02 but counted in its 09:00 hour
    expect(heatmap.arrivals[0][0]).toBe(1); // c6
    expect(heatmap.arrivals[6][23]).toBe(1); // Sunday 23:xx: c5
    expect(heatmap.arrivals.flat().reduce((sum, count) => sum + count, 0)).toBe(7);
  });

  it("a rejection kept without its proof (imported history) lacks evidence; one without a message lacks a reason", async () => {
    const { tmall, douyin } = fixture.shops;
    for (const [shopId, platform, reasonCode, message] of [
      [tmall, "tmall", "past_period", "已超出售后期限"], // Tmall wants proof on every rejection
      [douyin, "douyin", "past_period", " "], // proof not needed for this reason, but no message
      [douyin, "douyin", "past_period", "已超出售后期限"], // complete
    ] as const) {
      const orderId = await createOrder(db, { shopId, platform });
      const row = buildRequest({ shopId, orderId, platform, receivedAt: shanghai("2026-11-23T11:00:00") });
      await db.insert(requests).values({ ...row, status: "rejected", decision: "reject", decidedAt: shanghai("2026-11-23T11:01:00"), decidedBy: fixture.agent.userId, rejectReasonCode: reasonCode, rejectMessage: message });
      await db.insert(auditLog).values({ shopId, requestId: row.id, action: "rejected", actorId: fixture.agent.userId, detail: { reasonCode, message }, at: shanghai("2026-11-23T11:01:00") });
    }
    await rebuildRollups(db);
    const { figures } = await report(db, fixture.owner, "today");
    expect(figures.rejected.current).toBe(3);
    expect(figures.rejectedWithoutReasonOrEvidence.current).toBe(2);
  });

  it("counts a rule's answer as automatic", async () => {
    const { tmall } = fixture.shops;
    const id = await receive(db, tmall, "tmall", shanghai("2026-11-23T11:00:00"));
    const [row] = await db.select().from(requests).where(eq(requests.id, id));
    const before = { ...row, rejectEvidenceCount: 0 };
    const answered = { ...before, status: "approved" as const, decision: "approve" as const, decidedAt: after(before.receivedAt, 1), decidedBy: null };
    await transact(db, async (tx) => {
      await tx.update(requests).set({ status: answered.status, decision: answered.decision, decidedAt: answered.decidedAt }).where(eq(requests.id, id));
      await applyRollupChange(tx, before, answered);
    });
    const { figures, breakdowns } = await report(db, fixture.owner, "today");
    expect(figures.autoAnsweredShare.current).toBe(1);
    expect(breakdowns.agent.map((row) => row.key)).toEqual([ruleAgentId]);
  });
});

describe("roles", () => {
  it("an agent gets shop totals and only their own agent row, never another agent's", async () => {
    await seedHandHistory(db, fixture);
    const ownerReport = await report(db, fixture.owner, "7");
    const agentReport = await report(db, fixture.agent, "7");
    expect(agentReport.figures).toEqual(ownerReport.figures);
    expect(agentReport.breakdowns.shop).toEqual(ownerReport.breakdowns.shop);
    expect(agentReport.breakdowns.agent.map((row) => row.key)).toEqual([fixture.agent.userId]);
    expect(agentReport.ownFigures?.received).toBe(3);
    expect(JSON.stringify(agentReport)).not.toContain(fixture.douyinAgent.userId);
    expect(JSON.stringify(agentReport)).not.toContain(fixture.owner.userId);
    expect(JSON.stringify(agentReport)).not.toContain("李雷");
    expect(agentReport.breakdowns.agent.some((row) => row.key === otherAgentsId)).toBe(false);
  });

  it("an agent of one shop sees that shop's totals only", async () => {
    await seedHandHistory(db, fixture);
    const { figures, breakdowns } = await report(db, fixture.douyinAgent, "7");
    expect(figures.received.current).toBe(3); // c3 c4 c6
    expect(breakdowns.shop.map((row) => row.label)).toEqual(["抖音店"]);
    expect(breakdowns.agent.map((row) => row.label)).toEqual(["李雷"]);
  });

  it("a shop outside the viewer's scope answers like a missing one", async () => {
    expect(await getReportShopIds(db, fixture.douyinAgent, fixture.shops.tmall)).toBeNull();
    expect(await getReportShopIds(db, fixture.owner, fixture.shops.otherShop)).toBeNull();
    expect(await getReportShopIds(db, fixture.owner, fixture.shops.douyin)).toEqual([fixture.shops.douyin]);
  });

  it("the staffing forecast lists only the agent's own handling time", async () => {
    await seedHandHistory(db, fixture);
    const shopIds = (await getReportShopIds(db, fixture.agent, undefined)) as string[];
    const forecast = await getStaffingForecast(db, fixture.agent, shopIds, { day: "2026-11-30", weeks: 1, targetLevel: 0.95, agentsOnShift: 1 });
    expect(forecast.agentHandle.map((row) => row.agentId)).toEqual([fixture.agent.userId]);
  });
});

describe("rollups agree exactly with a scan of the requests", () => {
  it("after incremental receipts, decisions, an undone decision and cards across hour and Shanghai day boundaries", async () => {
    const { tmall, douyin } = fixture.shops;
    const random = createRandom(9);
    const ids: string[] = [];
    for (let index = 0; index < 60; index++) {
      const [shopId, platform] = random.chance(0.5) ? [tmall, "tmall" as const] : [douyin, "douyin" as const];
      // Three days around two Shanghai midnights, minute-level stamps
      const receivedAt = new Date(shanghai("2026-11-21T22:00:00").getTime() + random.int(0, 50 * 60) * 60_000);
      const kind = random.pick(["refund_only", "return_refund", "exchange"] as const);
      const id = await receive(db, shopId, platform, receivedAt, { kind, amountFen: random.int(1, 500) * 100 });
      ids.push(id);
      if (random.chance(0.75)) {
        const scope = shopId === douyin && random.chance(0.5) ? fixture.douyinAgent : random.pick([fixture.agent, fixture.owner]);
        const decidedAt = after(receivedAt, random.int(5, 5400)); // up to 90 min: many answered in a later hour or day
        // An unshipped refund-only card may not be rejected (docs/domain/rejections.md), so only the others are
        if (kind === "refund_only" || random.chance(0.8)) await approve(db, scope, id, decidedAt);
        else await reject(db, scope, id, decidedAt);
      }
    }
    // Explicit boundary cards: answered across the hour, and on either side of Shanghai midnight
    const acrossHour = await receive(db, tmall, "tmall", shanghai("2026-11-22T20:59:30"));
    await approve(db, fixture.agent, acrossHour, shanghai("2026-11-22T21:01:00"));
    const beforeMidnight = await receive(db, douyin, "douyin", shanghai("2026-11-22T23:59:59.999"));
    await approve(db, fixture.douyinAgent, beforeMidnight, shanghai("2026-11-23T00:00:30"));
    await receive(db, douyin, "douyin", shanghai("2026-11-23T00:00:00"));

    // Undo a decision: the card goes back to pending, applyRollupChange takes its decided facts back and adds the pending ones
    const decided = { ...(await db.select().from(requests).where(eq(requests.id, acrossHour)))[0], rejectEvidenceCount: 0 };
    const undone: RollupSource = { ...decided, status: "pending", decidedAt: null, decidedBy: null, rejectReasonCode: null, rejectMessage: null, rejectEvidenceCount: 0 };
    await transact(db, async (tx) => {
      await tx.update(requests).set({ status: "pending", decision: null, decidedAt: null, decidedBy: null }).where(eq(requests.id, acrossHour));
      await applyRollupChange(tx, decided, undone);
    });

    const incremental = await readTables(db);
    expect(incremental.hourly.length).toBeGreaterThan(20);
    await rebuildRollups(db);
    expect(await readTables(db)).toEqual(incremental);

    // Hand checks on the boundary rows: the undone card sits unanswered in its 20:00 hour; midnight splits the days
    const hour20 = incremental.hourly.filter((row) => row.shopId === tmall && row.hourStart.getTime() === shanghai("2026-11-22T20:00:00").getTime());
    expect(hour20.find((row) => row.agentId === "")?.received).toBeGreaterThanOrEqual(1);
    expect(hour20.reduce((sum, row) => sum + row.received, 0)).toBe(
      (await db.select().from(requests)).filter((row) => row.shopId === tmall && row.receivedAt >= shanghai("2026-11-22T20:00:00") && row.receivedAt < shanghai("2026-11-22T21:00:00")).length,
    );
    const douyinDays = (dayStart: Date) =>
      incremental.daily.filter((row) => row.shopId === douyin && row.dayStart.getTime() === dayStart.getTime()).reduce((sum, row) => sum + row.received, 0);
    const douyinRows = (await db.select().from(requests)).filter((row) => row.shopId === douyin);
    expect(douyinDays(shanghai("2026-11-22T00:00:00"))).toBe(douyinRows.filter((row) => row.receivedAt >= shanghai("2026-11-22T00:00:00") && row.receivedAt < shanghai("2026-11-23T00:00:00")).length);
    expect(douyinDays(shanghai("2026-11-23T00:00:00"))).toBe(douyinRows.filter((row) => row.receivedAt >= shanghai("2026-11-23T00:00:00")).length);
  });

  it("a rebuild writes the same rows when a shop's hours fill several multi-row inserts", async () => {
    const { tmall } = fixture.shops;
    // 230 hours in one rebuild chunk: two full inserts of a hundred rows and thirty rows left over
    for (let hour = 0; hour < 230; hour++) await receive(db, tmall, "tmall", new Date(shanghai("2026-11-10T00:00:00").getTime() + hour * 3_600_000 + 60_000));
    const incremental = await readTables(db);
    expect(incremental.hourly.length).toBe(230);
    await rebuildRollups(db);
    expect(await readTables(db)).toEqual(incremental);
  });

  it("a decision on a card stored without its rollup recomputes that hour instead of drifting", async () => {
    const { tmall } = fixture.shops;
    const orderId = await createOrder(db, { shopId: tmall, platform: "tmall" });
    const row = buildRequest({ shopId: tmall, orderId, platform: "tmall", receivedAt: shanghai("2026-11-23T12:10:00") });
    await db.insert(requests).values(row); // as a test factory or an import does: no rollup
    await approve(db, fixture.agent, row.id!, shanghai("2026-11-23T12:11:00"));
    const incremental = await readTables(db);
    await rebuildRollups(db);
    expect(await readTables(db)).toEqual(incremental);
    expect(incremental.hourly.map((stored) => stored.received)).toEqual([1]);
  });

  it("each shop-day row is the sum of that day's keyed rows, histogram included", async () => {
    await seedHandHistory(db, fixture);
    const { daily, shopDaily } = await readTables(db);
    expect(shopDaily.length).toBe(new Set(daily.map((row) => `${row.shopId}|${row.dayStart.getTime()}`)).size);
    for (const shopDay of shopDaily) {
      const keyed = daily.filter((row) => row.shopId === shopDay.shopId && row.dayStart.getTime() === shopDay.dayStart.getTime());
      expect(shopDay.received).toBe(keyed.reduce((sum, row) => sum + row.received, 0));
      expect(shopDay.responseMsTotal).toBe(keyed.reduce((sum, row) => sum + row.responseMsTotal, 0));
      expect(shopDay.responseHistogram).toEqual(keyed.reduce((sum, row) => sum.map((count, index) => count + row.responseHistogram[index]), new Array<number>(shopDay.responseHistogram.length).fill(0)));
    }
  });

});

describe("a report over months reads what a scan of the requests gives", () => {
  /** Every figure of a range straight from the request rows (approvals only, so no evidence join is needed). */
  async function scan(range: { start: Date; end: Date }, getKey: (facts: ReturnType<typeof toCardFacts>) => string) {
    const groups = new Map<string, RollupCounters>();
    const endMs = Math.ceil(range.end.getTime() / 3_600_000) * 3_600_000; // the report counts a partial last hour whole
    for (const row of await db.select().from(requests)) {
      if (row.receivedAt < range.start || row.receivedAt.getTime() >= endMs) continue;
      const facts = toCardFacts({ ...row, rejectEvidenceCount: 0 });
      const key = getKey(facts);
      if (!groups.has(key)) groups.set(key, createEmptyRollup());
      addCardInto(groups.get(key)!, facts);
    }
    return groups;
  }

  it("for 90 and 365 days and a custom range with part months at both ends, in total, per agent, per day and for the range before", async () => {
    const { tmall, douyin } = fixture.shops;
    const random = createRandom(14);
    const instants = [
      ...Array.from({ length: 120 }, () => new Date(shanghai("2025-10-01T00:00:00").getTime() + random.int(0, 418 * 24 * 60) * 60_000)),
      // Either side of Shanghai month starts, and of the edges of the custom range
      ...["2026-08-31T23:59:59.999", "2026-09-01T00:00:00", "2026-10-31T23:59:59.999", "2026-11-01T00:00:00", "2026-08-14T23:59:59.999", "2026-08-15T00:00:00"].map(shanghai),
    ].filter((instant) => instant < now);
    for (const receivedAt of instants) {
      const [shopId, platform] = random.chance(0.5) ? [tmall, "tmall" as const] : [douyin, "douyin" as const];
      const id = await receive(db, shopId, platform, receivedAt, { kind: random.pick(["refund_only", "return_refund", "exchange"] as const), amountFen: random.int(1, 500) * 100 });
      const decidedAt = after(receivedAt, random.int(5, 900));
      if (random.chance(0.8) && decidedAt < now) await approve(db, random.pick([fixture.agent, fixture.owner]), id, decidedAt);
    }
    const ranges = [{ range: "90" as const }, { range: "365" as const }, { range: "custom" as const, from: "2026-08-15", to: "2026-10-31" }];
    for (const query of ranges) {
      const range = resolveReportRange(query, now);
      const shopIds = (await getReportShopIds(db, fixture.owner, undefined)) as string[];
      const result = await getMetricsReport(db, fixture.owner, shopIds, range, now);
      const total = (await scan(range, () => "all")).get("all") ?? createEmptyRollup();
      expect(total.received).toBeGreaterThan(10);
      const previous = (await scan(range.previous, () => "all")).get("all") ?? createEmptyRollup();
      for (const [name, change] of Object.entries(result.figures)) {
        expect(change.current, `${query.range} ${name}`).toEqual(getRangeFigures(total)[name as keyof typeof change & keyof ReturnType<typeof getRangeFigures>]);
        expect(change.previous, `${query.range} previous ${name}`).toEqual(getRangeFigures(previous)[name as keyof ReturnType<typeof getRangeFigures>]);
      }
      const byAgent = await scan(range, (facts) => getRollupKey(facts).agentId ?? "");
      expect(Object.fromEntries(result.breakdowns.agent.map((row) => [row.key, row.figures]))).toEqual(
        Object.fromEntries([...byAgent].map(([key, counters]) => [key, getRangeFigures(counters)])),
      );
      const byDay = await scan(range, (facts) => getShanghaiDay(facts.receivedAt));
      for (const day of result.breakdowns.day) expect(day.figures, day.key).toEqual(getRangeFigures(byDay.get(day.key) ?? createEmptyRollup()));
    }
    // A year of hand-made cards read three ways: seconds on busy cores
  }, 30_000);
});

describe("the live hour and the staffing forecast", () => {
  it("warns when the settled cards of the current scored hour are under the target", async () => {
    const { tmall } = fixture.shops;
    const hourStart = shanghai("2026-11-23T14:00:00");
    const liveNow = shanghai("2026-11-23T14:40:00");
    for (let index = 0; index < 6; index++) {
      const receivedAt = after(hourStart, index * 60);
      const id = await receive(db, tmall, "tmall", receivedAt);
      // 4 answered in time, 2 late: 4/6 ≈ 67% < 90%
      await approve(db, fixture.agent, id, after(receivedAt, index < 4 ? 30 : 600));
    }
    await receive(db, tmall, "tmall", after(hourStart, 39 * 60 + 30)); // pending, still within 3 min: not settled yet
    const status = await getLiveHourStatus(db, [tmall], liveNow);
    expect(status).toMatchObject({ received: 7, answeredInTime: 4, settled: 6, isScoredHour: true, isHeadingUnder: true });
    expect(status.rate).toBe(4 / 6);
    const night = await getLiveHourStatus(db, [tmall], shanghai("2026-11-23T23:30:00"));
    expect(night.isHeadingUnder).toBe(false);
  });

  it("forecasts from the same weekday and hour and sizes each hour from the time spent per card", async () => {
    const { tmall } = fixture.shops;
    // Two Mondays back: 20:00 had 6 and 10 cards, each answered after 60 s
    for (const [monday, count] of [["2026-11-16", 6], ["2026-11-09", 10]] as const) {
      for (let index = 0; index < count; index++) {
        const receivedAt = shanghai(`${monday}T20:${String(index * 5).padStart(2, "0")}:00`);
        const id = await receive(db, tmall, "tmall", receivedAt);
        await approve(db, fixture.agent, id, after(receivedAt, 60));
      }
    }
    const forecast = await getStaffingForecast(db, fixture.owner, [tmall], { day: "2026-11-23", weeks: 2, targetLevel: 0.95, agentsOnShift: 1 });
    expect(forecast.hours[20].arrivals).toBe(8);
    expect(forecast.hours[19].arrivals).toBe(0);
    expect(forecast.handle).toEqual({ meanSeconds: 60, medianSeconds: 60, cards: 16, awayLeftOut: 0, awayGapMinutes: 10 });
    expect(forecast.reachableLevel).toBe(1);
    expect(forecast.hours[20].agentsNeeded).toBe(1);
    expect(forecast.hours[20].levelOnShift).toBeGreaterThan(0.95);
    expect(forecast.runs).toEqual([{ startHour: 20, endHour: 21, agentsNeeded: 1, isShort: false }]);
    expect(forecast.agentHandle).toEqual([{ agentId: fixture.agent.userId, label: "王芳", cards: 16, meanSeconds: 60, medianSeconds: 60 }]);
  });

  it("measures handle time from when the agent was free, not from when the card arrived", async () => {
    const { tmall, douyin } = fixture.shops;
    // A burst of three cards at 20:00 for one agent: answered at 20:01, 20:02, 20:03 (each took a minute,
    // though they waited 1, 2 and 3 minutes); a Douyin card between them ends her previous card too
    const burst = shanghai("2026-11-16T20:00:00");
    for (const minutes of [1, 2, 4]) {
      const id = await receive(db, tmall, "tmall", burst);
      await approve(db, fixture.agent, id, after(burst, minutes * 60));
    }
    const other = await receive(db, douyin, "douyin", after(burst, 150));
    await approve(db, fixture.agent, other, after(burst, 180));
    // After a 40-minute break: away, left out
    const late = await receive(db, tmall, "tmall", after(burst, 600));
    await approve(db, fixture.agent, late, after(burst, 4 * 60 + 40 * 60));
    const forecast = await getStaffingForecast(db, fixture.owner, [tmall], { day: "2026-11-23", weeks: 1, targetLevel: 0.9, agentsOnShift: 1 });
    expect(forecast.handle).toMatchObject({ cards: 3, awayLeftOut: 1, medianSeconds: 60 });
    // 60, 60 and 60 s (the last started when the Douyin card was done at 20:03)
    expect(forecast.handle?.meanSeconds).toBe(60);
  });

  it("without any person's answer there is nothing to size with", async () => {
    const forecast = await getStaffingForecast(db, fixture.owner, [fixture.shops.tmall], { day: "2026-11-23", weeks: 4, targetLevel: 0.95, agentsOnShift: 2 });
    expect(forecast.handle).toBeNull();
    expect(forecast.runs).toEqual([]);
    expect(forecast.hours.every((hour) => hour.agentsNeeded === null && hour.levelOnShift === null)).toBe(true);
  });
});

describe("each platform's scoring hours and minimum volume", () => {
  it("scores a Tmall card at 23:30 but not a Douyin one, and calls a shop under 100 rounds in 30 days exempt", async () => {
    const { tmall, douyin } = fixture.shops;
    await receive(db, tmall, "tmall", shanghai("2026-11-22T23:30:00"));
    await receive(db, douyin, "douyin", shanghai("2026-11-22T23:30:00"));
    await receive(db, douyin, "douyin", shanghai("2026-11-22T12:00:00"));
    const { figures, scoring, policy } = await report(db, fixture.owner, "7");
    expect(figures.received.current).toBe(3);
    expect(figures.scoringHoursResponseRate.current).toBe(0); // 2 scored (Tmall 23:30, Douyin 12:00), none answered
    expect([...scoring].sort((left, right) => left.platform.localeCompare(right.platform))).toEqual([
      { shopId: douyin, label: "抖音店", platform: "douyin", scoredRounds: 1, minRounds: null, isExempt: false },
      { shopId: tmall, label: "天猫店", platform: "tmall", scoredRounds: 1, minRounds: 100, isExempt: true },
    ]);
    expect(policy.platforms.map((platform) => [platform.platform, platform.window.end])).toEqual([
      ["douyin", "23:00"],
      ["tmall", "24:00"],
    ]);
  });

  it("names the period it compares with", async () => {
    const { range } = await report(db, fixture.owner, "7");
    expect(range.current).toEqual({ firstDay: "2026-11-17", lastDay: "2026-11-23", endClock: "14:00" });
    expect(range.previous).toEqual({ firstDay: "2026-11-10", lastDay: "2026-11-16", endClock: "14:00" });
  });
});
