import { expect } from "vitest";
import { eq } from "drizzle-orm";
import { transact, type Db } from "@/db/client";
import { buildRequest, createMerchant, createOrder, createShop, createUser } from "@/db/factories";
import { getMetricsReport, getReportShopIds } from "@/db/queries/metrics/report";
import { addReceivedToRollup } from "@/db/queries/metrics/upkeep";
import { getScope, type Scope } from "@/db/queries/users";
import { evidenceFiles, requests } from "@/db/schema";
import { metricDaily, metricHourly, metricMonthly, metricShopDaily, metricShopHourly } from "@/db/schema-metrics";
import { decideRequest } from "@/db/workflows/decide";
import type { Platform, RequestKind } from "@/lib/domain";
import { newId } from "@/lib/ids";
import { resolveReportRange } from "@/lib/metrics/report-range";

// The rollup tests' shops, cards and hand-computed history: db/queries/metrics.test.ts (both engines) and
// db/queries/metrics-migrations.test.ts (SQLite's backfill migrations). It decides cards through the decide workflow,
// so it lives beside db/factories.ts and not in db/queries/, which never imports a workflow.

// Monday 2026-11-23, 14:00 in Shanghai
export const now = new Date("2026-11-23T14:00:00.000+08:00");
export const shanghai = (text: string) => new Date(`${text}+08:00`);
export const after = (instant: Date, seconds: number) => new Date(instant.getTime() + seconds * 1000);

export async function setUp(db: Db) {
  const merchant = await createMerchant(db, "木槿");
  const tmall = await createShop(db, { merchantId: merchant, platform: "tmall", name: "天猫店" });
  const douyin = await createShop(db, { merchantId: merchant, platform: "douyin", name: "抖音店" });
  const owner = await createUser(db, { merchantId: merchant, name: "陈静", email: "owner@m.test", role: "owner" });
  const agent = await createUser(db, { merchantId: merchant, name: "王芳", email: "wang@m.test", role: "agent" });
  const douyinAgent = await createUser(db, { merchantId: merchant, name: "李雷", email: "li@m.test", role: "agent", shopIds: [douyin] });
  const other = await createMerchant(db, "北岸");
  const otherShop = await createShop(db, { merchantId: other, platform: "taobao", name: "北岸店" });
  const scope = async (userId: string) => (await getScope(db, userId)) as Scope;
  return {
    shops: { tmall, douyin, otherShop },
    owner: await scope(owner),
    agent: await scope(agent),
    douyinAgent: await scope(douyinAgent),
  };
}

export type Fixture = Awaited<ReturnType<typeof setUp>>;

/** A card as the webhook stores it: the row and its rollup count in one transaction. */
export async function receive(db: Db, shopId: string, platform: Platform, receivedAt: Date, values: { kind?: RequestKind; amountFen?: number } = {}) {
  const orderId = await createOrder(db, { shopId, platform });
  const row = buildRequest({ shopId, orderId, platform, receivedAt, kind: values.kind ?? "refund_only", amountFen: values.amountFen ?? 1000 });
  await transact(db, async (tx) => {
    await tx.insert(requests).values(row);
    await addReceivedToRollup(tx, { ...row, status: "pending", decidedAt: null, decidedBy: null, rejectReasonCode: null, rejectMessage: null, kind: row.kind!, rejectEvidenceCount: 0 });
  });
  return row.id;
}

export async function approve(db: Db, scope: Scope, id: string, at: Date) {
  expect((await decideRequest(db, scope, id, { decision: "approve" }, at)).ok).toBe(true);
}

/** A rejection through the desk, with the proof the platform asks for. */
export async function reject(db: Db, scope: Scope, id: string, at: Date) {
  const [{ shopId }] = await db.select({ shopId: requests.shopId }).from(requests).where(eq(requests.id, id));
  const proof = newId("evd");
  await db.insert(evidenceFiles).values({ id: proof, shopId, name: "proof.png", mimeType: "image/png", bytes: Buffer.from("png") });
  const result = await decideRequest(db, scope, id, { decision: "reject", reasonCode: "no_quality_issue", message: "商品无质量问题", evidenceIds: [proof] }, at);
  expect(result).toEqual(expect.objectContaining({ ok: true }));
}

export async function readTables(db: Db) {
  const sortKey = (row: { shopId: string; agentId: string; platform: string; kind: string }, bucket: Date) =>
    `${row.shopId}|${bucket.toISOString()}|${row.agentId}|${row.platform}|${row.kind}`;
  const hourly = (await db.select().from(metricHourly)).sort((a, b) => sortKey(a, a.hourStart).localeCompare(sortKey(b, b.hourStart)));
  const daily = (await db.select().from(metricDaily)).sort((a, b) => sortKey(a, a.dayStart).localeCompare(sortKey(b, b.dayStart)));
  const monthly = (await db.select().from(metricMonthly)).sort((a, b) => sortKey(a, a.monthStart).localeCompare(sortKey(b, b.monthStart)));
  const shopHourly = (await db.select().from(metricShopHourly)).sort((a, b) => `${a.shopId}|${a.hourStart.toISOString()}`.localeCompare(`${b.shopId}|${b.hourStart.toISOString()}`));
  const shopDaily = (await db.select().from(metricShopDaily)).sort((a, b) => `${a.shopId}|${a.dayStart.toISOString()}`.localeCompare(`${b.shopId}|${b.dayStart.toISOString()}`));
  return { hourly, daily, monthly, shopHourly, shopDaily };
}

/**
 * The hand-computed history (Shanghai times). Today, Monday 11-23:
 *   c1 天猫 仅退款 09:00:00, 王芳 approves after 60 s, ¥50
 *   c2 天猫 退货退款 09:59:00, 王芳 rejects with proof after 200 s (10:02:20: answered in the next hour, late)
 *   c3 抖音 仅退款 07:30:00 (outside scoring hours), 李雷 approves after 30 s, ¥30
 *   c4 抖音 换货 10:15:00, still pending: overdue now
 *   c6 抖音 仅退款 00:00:00.000 (first instant of the day), 李雷 approves after 10 s, ¥10
 * Sunday 11-22: c5 天猫 23:59:59.999 (last instant of the day), the owner approves after 120 s;
 *   c7 天猫 10:00:00, 王芳 approves after 100 s.
 */
export async function seedHandHistory(db: Db, fixture: Fixture) {
  const { tmall, douyin } = fixture.shops;
  const c1 = await receive(db, tmall, "tmall", shanghai("2026-11-23T09:00:00"), { amountFen: 5000 });
  await approve(db, fixture.agent, c1, after(shanghai("2026-11-23T09:00:00"), 60));
  const c2 = await receive(db, tmall, "tmall", shanghai("2026-11-23T09:59:00"), { kind: "return_refund", amountFen: 8000 });
  await reject(db, fixture.agent, c2, after(shanghai("2026-11-23T09:59:00"), 200));
  const c3 = await receive(db, douyin, "douyin", shanghai("2026-11-23T07:30:00"), { amountFen: 3000 });
  await approve(db, fixture.douyinAgent, c3, after(shanghai("2026-11-23T07:30:00"), 30));
  const c4 = await receive(db, douyin, "douyin", shanghai("2026-11-23T10:15:00"), { kind: "exchange" });
  const c5 = await receive(db, tmall, "tmall", shanghai("2026-11-22T23:59:59.999"), { amountFen: 2000 });
  await approve(db, fixture.owner, c5, after(shanghai("2026-11-22T23:59:59.999"), 120));
  const c6 = await receive(db, douyin, "douyin", shanghai("2026-11-23T00:00:00.000"), { amountFen: 1000 });
  await approve(db, fixture.douyinAgent, c6, after(shanghai("2026-11-23T00:00:00.000"), 10));
  const c7 = await receive(db, tmall, "tmall", shanghai("2026-11-22T10:00:00"), { amountFen: 4000 });
  await approve(db, fixture.agent, c7, after(shanghai("2026-11-22T10:00:00"), 100));
  return { c1, c2, c3, c4, c5, c6, c7 };
}

export async function report(db: Db, scope: Scope, range: "today" | "7", shopId?: string) {
  const shopIds = (await getReportShopIds(db, scope, shopId)) as string[];
  return getMetricsReport(db, scope, shopIds, resolveReportRange({ range }, now), now, shopId ?? null);
}
