import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { requirePageScope } from "@/app/_server/scope";
import { PlatformBadge } from "@/components/inbox/badges";
import { RevokeSessionsButton } from "@/components/revoke-sessions-button";
import { getDb } from "@/db/client";
import { listAgentLoads } from "@/db/queries/claims";
import { listOnlineUserIds } from "@/db/queries/presence";
import { listShopAssignments, listTeam } from "@/db/queries/users";
import { AssignmentSettings } from "@/components/assignment-settings";
import { Table, TableBody, TableHead, Td, Th } from "@/components/ui/table";

export default async function TeamPage() {
  const scope = await requirePageScope();
  if (scope.role !== "owner") notFound();
  const t = await getTranslations();
  const db = getDb();
  const [team, loads, shopAssignments] = await Promise.all([await listTeam(db, scope.merchantId), await listAgentLoads(db, scope.merchantId), await listShopAssignments(db, scope.merchantId)]);
  const openClaims = new Map(loads.map((load) => [load.userId, load.openClaims]));
  // Online on any desk instance (the presence table, lib/presence.ts)
  const online = await listOnlineUserIds(db, new Date());
  return (
    <section aria-labelledby="team-title" className="space-y-4">
      <h1 id="team-title" className="text-lg font-semibold">
        {t("team.title")}
      </h1>
      <Table>
          <TableHead>
            <tr>
              <Th className="px-4">{t("team.name")}</Th>
              <Th className="px-4">{t("team.email")}</Th>
              <Th className="px-4">{t("team.role")}</Th>
              <Th className="px-4">{t("team.shops")}</Th>
              <Th className="px-4">{t("claim.load")}</Th>
              <Th className="px-4">{t("team.actions")}</Th>
            </tr>
          </TableHead>
          <TableBody>
            {team.map((member) => (
              <tr key={member.id}>
                <Td className="px-4 font-medium">{member.name}</Td>
                <Td className="px-4 text-slate-600">{member.email}</Td>
                <Td className="px-4">{t(`nav.role.${member.role}`)}</Td>
                <Td className="px-4">
                  <div className="flex flex-wrap items-center gap-2">
                    {member.allShops ? <span className="text-slate-500">{t("team.allShops")}:</span> : null}
                    {member.shops.map((shop) => (
                      <span key={shop.id} className="inline-flex items-center gap-1">
                        <PlatformBadge platform={shop.platform} />
                        {shop.name}
                      </span>
                    ))}
                  </div>
                </Td>
                <Td className="px-4 whitespace-nowrap">
                  <span className={online.has(member.id) ? "text-emerald-700" : "text-slate-500"}>● {online.has(member.id) ? t("claim.online") : t("claim.offline")}</span>
                  <span className="ml-2 text-slate-700">{t("claim.openClaims", { count: openClaims.get(member.id) ?? 0 })}</span>
                </Td>
                <Td className="px-4">{member.id === scope.userId ? null : <RevokeSessionsButton userId={member.id} name={member.name} />}</Td>
              </tr>
            ))}
          </TableBody>
      </Table>
      <section aria-labelledby="assignment-title" className="space-y-3 rounded-lg bg-white p-4 ring-1 ring-slate-200">
        <h2 id="assignment-title" className="font-medium">
          {t("claim.assignment")}
        </h2>
        {shopAssignments.map((shop) => (
          <AssignmentSettings key={shop.id} shop={shop} />
        ))}
      </section>
    </section>
  );
}
