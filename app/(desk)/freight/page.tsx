import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { requirePageScope } from "@/app/_server/scope";
import { FreightEstimator } from "@/components/freight/freight-estimator";
import { getDb } from "@/db/client";
import { getFreightSettings, getShopFreightInputs, listScenarios } from "@/db/queries/freight";
import { listScopeShops } from "@/db/queries/users";
import { freightInputsQuery } from "@/lib/return-freight/api";

// The owner's 退货宝 estimator (docs/return-freight.md): agents get a 404, whatever links they follow.
export default async function FreightPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const scope = await requirePageScope();
  if (scope.role !== "owner") notFound();
  const t = await getTranslations("freight");
  const db = getDb();
  const shops = await listScopeShops(db, scope);
  if (shops.length === 0) return <p className="rounded-lg bg-white p-6 text-center text-slate-600 ring-1 ring-slate-200">{t("noShops")}</p>;
  const raw = await searchParams;
  // A hand-edited URL with an unknown shop or window falls back to the first shop and 90 days.
  const parsed = freightInputsQuery.safeParse({ shop: raw.shop, window: raw.window });
  const shopId = parsed.success && shops.some((shop) => shop.id === parsed.data.shop) ? parsed.data.shop : shops[0].id;
  const windowDays = parsed.success ? parsed.data.window : freightInputsQuery.shape.window.parse(undefined);
  const [inputs, settings, scenarios] = await Promise.all([
    await getShopFreightInputs(db, scope, shopId, { windowDays, now: new Date() }),
    await getFreightSettings(db, scope, shopId),
    await listScenarios(db, scope, shopId),
  ]);
  if (!inputs || !settings || !scenarios) notFound();
  return <FreightEstimator shops={shops} shopId={shopId} windowDays={windowDays} initial={{ inputs, settings }} initialScenarios={scenarios} />;
}
