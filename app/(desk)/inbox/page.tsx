import { cookies } from "next/headers";
import { requirePageScope } from "@/app/_server/scope";
import { InboxView } from "@/components/inbox/inbox-view";
import { getDb } from "@/db/client";
import { listRequests } from "@/db/queries/requests";
import { listScopeShops } from "@/db/queries/users";
import { listRequestsQuery } from "@/lib/api-schemas";
import { getDensityCookieName, parseInboxDensity } from "@/lib/inbox-density";

export default async function InboxPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const scope = await requirePageScope();
  const raw = Object.fromEntries(Object.entries(await searchParams).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
  // A hand-edited URL with a bad filter falls back to the default view instead of failing.
  const parsed = listRequestsQuery.safeParse(raw);
  const query = parsed.success ? parsed.data : listRequestsQuery.parse({});
  const db = getDb();
  const now = new Date();
  const [page, shops] = await Promise.all([await listRequests(db, scope, { ...query, cursor: null }, now), await listScopeShops(db, scope)]);
  // The user's own card density (a cookie named after them): read here, so the first paint is already right
  const density = parseInboxDensity((await cookies()).get(getDensityCookieName(scope.userId))?.value);
  const filters = { status: query.status, platform: query.platform, kind: query.kind, shop: query.shop, q: query.q };
  return <InboxView key={JSON.stringify(filters)} filters={filters} shops={shops} initialPage={{ ...page, serverNow: now.toISOString() }} density={density} />;
}
