import Link from "next/link";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { requirePageScope } from "@/app/_server/scope";
import { DeliveriesTable, EventsTable } from "@/components/settings/activity-tables";
import { ConnectionCard } from "@/components/settings/connection-card";
import { ConnectionHealthBanner } from "@/components/settings/connection-health";
import { PlatformAppCard } from "@/components/settings/platform-app-card";
import { getDb } from "@/db/client";
import { listRecentDeliveries } from "@/db/queries/outbox";
import { listPlatformAppsForShops } from "@/db/queries/platforms";
import { listRecentEvents, listShopConnections } from "@/db/queries/webhooks";
import { toPlatformAppView } from "@/lib/platforms/connection";

/** 平台连接: the owner's view of each shop's webhook secret, decision endpoint, events and deliveries. */
export default async function SettingsPage() {
  const scope = await requirePageScope();
  if (scope.role !== "owner") notFound();
  const t = await getTranslations("webhooks");
  const tApps = await getTranslations("platformConnect");
  const db = getDb();
  const [connections, events, deliveries, apps] = await Promise.all([
    await listShopConnections(db, scope.merchantId, scope.shopIds, new Date()),
    await listRecentEvents(db, scope.shopIds),
    await listRecentDeliveries(db, scope.shopIds),
    await listPlatformAppsForShops(db, scope.merchantId, scope.shopIds),
  ]);
  const now = new Date();
  const appByShop = new Map(apps.map((app) => [app.shopId, toPlatformAppView(app.shopId, app, now)]));
  const shopNames = Object.fromEntries(connections.map((connection) => [connection.shopId, connection.shopName]));
  // Token upkeep: a shop whose token expired or failed to refresh, or whose platform calls fail, is flagged first
  const failing = connections.flatMap((connection) => {
    const health = appByShop.get(connection.shopId)?.health;
    return health?.isFailing ? [{ shopId: connection.shopId, shopName: connection.shopName, problems: health.problems }] : [];
  });
  return (
    <div className="space-y-6">
      <ConnectionHealthBanner failing={failing} />
      <header className="space-y-1">
        <h1 className="text-lg font-semibold">{t("title")}</h1>
        <p className="text-sm text-slate-600">
          {t("intro")}{" "}
          <Link href="/api-docs" className="text-emerald-700 underline">
            {t("apiDocs")}
          </Link>
        </p>
      </header>
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
        {connections.map((connection) => (
          <ConnectionCard key={connection.shopId} connection={connection} />
        ))}
      </div>
      {/* Each shop's own platform app: the credentials the platform adapters use (docs/platforms/README.md, docs/platforms/tokens.md) */}
      <section aria-labelledby="platform-apps-title" className="space-y-3">
        <header className="space-y-1">
          <h2 id="platform-apps-title" className="text-base font-semibold">
            {tApps("title")}
          </h2>
          <p className="text-sm text-slate-600">{tApps("intro")}</p>
        </header>
        <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
          {connections.map((connection) => (
            <PlatformAppCard key={connection.shopId} shop={{ id: connection.shopId, name: connection.shopName, platform: connection.platform }} app={appByShop.get(connection.shopId) ?? null} />
          ))}
        </div>
      </section>
      <DeliveriesTable deliveries={deliveries} shopNames={shopNames} />
      <EventsTable events={events} shopNames={shopNames} />
    </div>
  );
}
