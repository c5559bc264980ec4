import Link from "next/link";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { requirePageScope } from "@/app/_server/scope";
import { DeliveriesTable, EventsTable } from "@/components/settings/activity-tables";
import { ConnectionCard } from "@/components/settings/connection-card";
import { getDb } from "@/db/client";
import { listRecentDeliveries } from "@/db/queries/outbox";
import { listRecentEvents, listShopConnections } from "@/db/queries/webhooks";

/** 平台连接: the owner's view of each shop's webhook secret, decision endpoint, events and deliveries. */
export default async function SettingsPage() {
  const scope = await requirePageScope();
  if (scope.role !== "owner") notFound();
  const t = await getTranslations("webhooks");
  const db = getDb();
  const [connections, events, deliveries] = await Promise.all([
    listShopConnections(db, scope.merchantId, scope.shopIds, new Date()),
    listRecentEvents(db, scope.shopIds),
    listRecentDeliveries(db, scope.shopIds),
  ]);
  const shopNames = Object.fromEntries(connections.map((connection) => [connection.shopId, connection.shopName]));
  return (
    <div className="space-y-6">
      <header className="space-y-1">
        <h1 className="text-lg font-semibold">{t("title")}</h1>
        <p className="text-sm text-slate-600">
          {t("intro")}{" "}
          <Link href="/api-docs" className="text-emerald-700 underline">
            {t("apiDocs")}
          </Link>
        </p>
      </header>
      <div className="grid gap-4 lg:grid-cols-2">
        {connections.map((connection) => (
          <ConnectionCard key={connection.shopId} connection={connection} />
        ))}
      </div>
      <DeliveriesTable deliveries={deliveries} shopNames={shopNames} />
      <EventsTable events={events} shopNames={shopNames} />
    </div>
  );
}
