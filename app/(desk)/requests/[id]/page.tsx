import { notFound } from "next/navigation";
import { requirePageScope } from "@/app/_server/scope";
import { RequestDetail } from "@/components/request-detail";
import { getDb } from "@/db/client";
import { getRequestCard, listRequestAudit } from "@/db/queries/requests";
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
  return <RequestDetail initial={{ card, audit, serverNow: new Date().toISOString() }} />;
}
