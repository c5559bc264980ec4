import { getTranslations } from "next-intl/server";
import { requirePageScope } from "@/app/_server/scope";
import { RulesEditor } from "@/components/rules/rules-editor";
import { getDb } from "@/db/client";
import { listRuleSettings } from "@/db/queries/rules";

// Automatic rules (docs/domain/automatic-rules.md): owners edit and backtest; agents see the same rules read-only.
export default async function RulesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const scope = await requirePageScope();
  const t = await getTranslations("rules");
  const shops = await listRuleSettings(getDb(), scope);
  if (shops.length === 0) return <p className="rounded-lg bg-white p-6 text-center text-slate-600 ring-1 ring-slate-200">{t("readOnly")}</p>;
  const requested = (await searchParams).shop;
  // An unknown shop in a hand-edited URL falls back to the first one
  const shop = shops.find((candidate) => candidate.shopId === requested) ?? shops[0];
  return <RulesEditor key={`${shop.shopId}:${shop.version}`} shops={shops} shopId={shop.shopId} canEdit={scope.role === "owner"} />;
}
