import Link from "next/link";
import type { ReactNode } from "react";
import { getTranslations } from "next-intl/server";
import { requirePageScope } from "@/app/_server/scope";
import { CurrentUserProvider } from "@/components/current-user";
import { LiveStatus } from "@/components/live/live-status";
import { LocaleSwitch } from "@/components/locale-switch";
import { LogoutButton } from "@/components/logout-button";

export default async function DeskLayout({ children }: { children: ReactNode }) {
  const scope = await requirePageScope();
  const t = await getTranslations();
  return (
    <div className="min-h-screen">
      <header className="sticky top-0 z-30 border-b border-slate-200 bg-white/95 backdrop-blur">
        <div className="mx-auto flex h-14 max-w-6xl items-center gap-6 px-4">
          <Link href="/inbox" className="font-semibold text-emerald-700">
            {t("app.name")}
          </Link>
          <nav aria-label={t("nav.label")} className="flex items-center gap-4 text-sm">
            <Link href="/inbox" className="text-slate-700 hover:text-slate-900">
              {t("nav.inbox")}
            </Link>
            <Link href="/metrics" className="text-slate-700 hover:text-slate-900">
              {t("metrics.nav")}
            </Link>
            <Link href="/orders" className="text-slate-700 hover:text-slate-900">
              {t("orders.nav")}
            </Link>
            {/* Agents see the rules read-only (issue 7) */}
            <Link href="/rules" className="text-slate-700 hover:text-slate-900">
              {t("rules.nav")}
            </Link>
            {scope.role === "owner" ? (
              <Link href="/team" className="text-slate-700 hover:text-slate-900">
                {t("nav.team")}
              </Link>
            ) : null}
            {scope.role === "owner" ? (
              <Link href="/freight" className="text-slate-700 hover:text-slate-900">
                {t("freight.nav")}
              </Link>
            ) : null}
            {scope.role === "owner" ? (
              <Link href="/settings" className="text-slate-700 hover:text-slate-900">
                {t("webhooks.nav")}
              </Link>
            ) : null}
          </nav>
          <div className="ml-auto flex items-center gap-2 text-sm">
            <LiveStatus userId={scope.userId} appName={t("app.name")} />
            <span className="text-slate-600" data-testid="current-user">
              {scope.userName} · {t(`nav.role.${scope.role}`)}
            </span>
            <LocaleSwitch />
            <LogoutButton />
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-6xl px-4 py-6">
        <CurrentUserProvider user={{ id: scope.userId, name: scope.userName, role: scope.role }}>{children}</CurrentUserProvider>
      </main>
    </div>
  );
}
