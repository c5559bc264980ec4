"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useTranslations } from "next-intl";

/**
 * The owner's alert on every page while a shop's platform connection is failing: such a shop may not receive
 * after-sales messages or have its answers accepted. The settings page lists each shop and why, so it is not repeated there.
 */
export function ConnectionAlert({ failingCount }: { failingCount: number }) {
  const t = useTranslations("connectionHealth.alert");
  const pathname = usePathname();
  if (failingCount === 0 || pathname.startsWith("/settings")) return null;
  return (
    <div role="alert" className="mb-4 flex flex-wrap items-center gap-x-3 gap-y-1 rounded-lg bg-rose-50 px-4 py-2 text-sm text-rose-900 ring-1 ring-rose-300" data-testid="connection-alert">
      <span>{t("text", { count: failingCount })}</span>
      <Link href="/settings" className="font-medium underline">
        {t("link")}
      </Link>
    </div>
  );
}
