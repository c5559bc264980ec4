import "server-only";
import { z } from "zod";
import { zodIssues } from "@/app/_server/api";
import type { Db } from "@/db/client";
import { getMetricsReport, getReportShopIds } from "@/db/queries/metrics/report";
import { getStaffingForecast } from "@/db/queries/metrics/staffing";
import type { Scope } from "@/db/queries/users";
import type { MetricsReport, StaffingForecast } from "@/lib/metrics/report-types";
import { apiError } from "@/lib/api-error";
import { metricsQuery, resolveReportRange } from "@/lib/metrics/report-range";
import { dayMs, getShanghaiDay } from "@/lib/time";

// Shared by the metrics page, its JSON routes and the CSV exports, so all read the same figures.

const emptyToUndefined = (value: unknown) => (value === "" || value === null ? undefined : value);

export const staffingTargets = [0.8, 0.9, 0.95] as const;

export const staffingQuery = z.object({
  agents: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(50).default(2)),
  target: z.preprocess(emptyToUndefined, z.coerce.number().refine((value) => (staffingTargets as readonly number[]).includes(value), "Target must be 0.8, 0.9 or 0.95").default(0.95)),
});

/** Same weekday and hour over the last 4 weeks: a month of history, yet recent enough to follow a trend. */
const forecastWeeks = 4;

type Loaded<T> = { data: T } | { error: Response };

function toParams(input: URLSearchParams | Record<string, string | string[] | undefined>): Record<string, string> {
  const entries = input instanceof URLSearchParams ? [...input.entries()] : Object.entries(input);
  return Object.fromEntries(entries.filter((entry): entry is [string, string] => typeof entry[1] === "string"));
}

export async function loadReport(db: Db, scope: Scope, input: URLSearchParams | Record<string, string | string[] | undefined>, now: Date): Promise<Loaded<MetricsReport>> {
  const query = metricsQuery.safeParse(toParams(input));
  if (!query.success) return { error: apiError("invalid_query", query.error.issues[0]?.message ?? "Invalid query", { issues: zodIssues(query.error) }) };
  const shopIds = await getReportShopIds(db, scope, query.data.shop);
  if (!shopIds) return { error: apiError("not_found", "No such shop") };
  return { data: await getMetricsReport(db, scope, shopIds, resolveReportRange(query.data, now), now, query.data.shop ?? null) };
}

/** Tomorrow (Shanghai) for the viewer's shops, or the one chosen. */
export async function loadStaffing(db: Db, scope: Scope, input: URLSearchParams | Record<string, string | string[] | undefined>, now: Date): Promise<Loaded<StaffingForecast>> {
  const params = toParams(input);
  const query = staffingQuery.safeParse(params);
  if (!query.success) return { error: apiError("invalid_query", query.error.issues[0]?.message ?? "Invalid query", { issues: zodIssues(query.error) }) };
  const shop = metricsQuery.shape.shop.safeParse(params.shop);
  if (!shop.success) return { error: apiError("invalid_query", "Not a shop id", { issues: zodIssues(shop.error) }) };
  const shopIds = await getReportShopIds(db, scope, shop.data);
  if (!shopIds) return { error: apiError("not_found", "No such shop") };
  const day = getShanghaiDay(new Date(now.getTime() + dayMs));
  return {
    data: await getStaffingForecast(db, scope, shopIds, { day, weeks: forecastWeeks, targetLevel: query.data.target, agentsOnShift: query.data.agents }),
  };
}
