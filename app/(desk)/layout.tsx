import Link from "next/link";
import type { ReactNode } from "react";
import { getTranslations } from "next-intl/server";
import { countFailingConnections } from "@/app/_server/connection-alert";
import { requirePageScope } from "@/app/_server/scope";
import { ConnectionAlert } from "@/components/connection-alert";
import { CurrentUserProvider } from "@/components/current-user";
import { DeskMenu, type DeskLink } from "@/components/desk-menu";
import { HydrationNow } from "@/components/inbox/use-now";
import { LiveStatus } from "@/components/live/live-status";
import { LocaleSwitch } from "@/components/locale-switch";
import { LogoutButton } from "@/components/logout-button";

export default async function DeskLayout({ children }: { children: ReactNode }) {
  const scope = await requirePageScope();
  const t = await getTranslations();
  const isOwner = scope.role === "owner";
  const failingConnections = await countFailingConnections(scope, new Date());
  // Agents see the rules read-only; the team, 退货宝 and platform pages are the owner's
  const links: DeskLink[] = [
    { href: "/inbox", label: t("nav.inbox") },
    { href: "/metrics", label: t("metrics.nav") },
    { href: "/orders", label: t("orders.nav") },
    { href: "/rules", label: t("rules.nav") },
    ...(isOwner
      ? [
          { href: "/team", label: t("nav.team") },
          { href: "/freight", label: t("freight.nav") },
          { href: "/settings", label: t("webhooks.nav") },
        ]
      : []),
  ];
  const userLabel = `${scope.userName} · ${t(`nav.role.${scope.role}`)}`;
  return (
    <div className="min-h-screen">
      <header className="sticky top-0 z-30 border-b border-slate-200 bg-white/95 backdrop-blur">
        <div className="mx-auto flex h-14 max-w-6xl items-center gap-3 px-4 xl:gap-6">
          <Link href="/inbox" className="shrink-0 font-semibold text-emerald-700">
            {t("app.name")}
          </Link>
          {/* The whole row fits from 1280 px; narrower screens get the 菜单 button instead (components/desk-menu.tsx) */}
          <nav aria-label={t("nav.label")} className="hidden items-center gap-4 text-sm xl:flex">
            {links.map((link) => (
              <Link key={link.href} href={link.href} className="text-slate-700 hover:text-slate-900">
                {link.label}
              </Link>
            ))}
          </nav>
          <div className="ml-auto flex min-w-0 items-center gap-2 text-sm">
            <LiveStatus userId={scope.userId} appName={t("app.name")} />
            <span className="hidden text-slate-600 xl:inline" data-testid="current-user">
              {userLabel}
            </span>
            <div className="hidden items-center gap-2 xl:flex">
              <LocaleSwitch />
              <LogoutButton />
            </div>
            <div className="xl:hidden">
              <DeskMenu links={links} userLabel={userLabel} />
            </div>
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-6xl px-4 py-6">
        <ConnectionAlert failingCount={failingConnections} />
        {/* Clocks render with this instant on the server and while hydrating, so both draw the same text */}
        <HydrationNow iso={new Date().toISOString()}>
          <CurrentUserProvider user={{ id: scope.userId, name: scope.userName, role: scope.role }}>{children}</CurrentUserProvider>
        </HydrationNow>
      </main>
    </div>
  );
}
