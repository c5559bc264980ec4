import { requirePageScope } from "@/app/_server/scope";
import { OrdersView } from "@/components/orders/orders-view";
import { getDb } from "@/db/client";
import { listEntrySettings, listOrders } from "@/db/queries/orders";

export default async function OrdersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const scope = await requirePageScope();
  const raw = (await searchParams).q;
  // A hand-edited URL never fails the page: an overlong query is cut, not refused
  const q = typeof raw === "string" ? raw.trim().slice(0, 100) : "";
  const db = getDb();
  const now = new Date();
  const [orders, settings] = await Promise.all([
    await listOrders(db, scope, { q, limit: 50 }, now),
    scope.role === "owner" ? await listEntrySettings(db, scope) : Promise.resolve(null),
  ]);
  return <OrdersView key={q} q={q} orders={orders} entrySettings={settings} />;
}
