import { notFound } from "next/navigation";
import { requirePageScope } from "@/app/_server/scope";
import { RequestDetail } from "@/components/request-detail";
import { getDb } from "@/db/client";
import { getRequestCard, listRequestAudit } from "@/db/queries/requests";
import { listTeam } from "@/db/queries/users";
import { requestIdParam } from "@/lib/api-schemas";

export default async function RequestPage({ params }: { params: Promise<{ id: string }> }) {
  const scope = await requirePageScope();
  const id = requestIdParam.safeParse((await params).id);
  if (!id.success) notFound();
  const db = getDb();
  // Another merchant's card, or a shop this user may not work, is indistinguishable from a missing one.
  const card = await getRequestCard(db, scope, id.data);
  if (!card) notFound();
  const audit = await listRequestAudit(db, scope, id.data);
  // Owners may reassign: to anyone of the merchant who may work this card's shop.
  const assignees =
    scope.role === "owner"
      ? (await listTeam(db, scope.merchantId))
          .filter((member) => member.shops.some((shop) => shop.id === card.shop.id))
          .map((member) => ({ id: member.id, name: member.name }))
      : null;
  return <RequestDetail initial={{ card, audit, serverNow: new Date().toISOString() }} assignees={assignees} />;
}
