"use client";

import { useTranslations } from "next-intl";
import type { InboxFilters } from "@/components/inbox/api";
import { Button } from "@/components/ui/button";

type InboxEmptyProps = {
  filters: InboxFilters;
  shops: { id: string; name: string }[];
  onClear: () => void;
};

export function hasActiveFilters(filters: InboxFilters): boolean {
  return Boolean(filters.platform || filters.kind || filters.shop || filters.q);
}

/**
 * An empty list says why: under filters it names them and offers to clear them (the tab stays); only the
 * unfiltered 待处理 tab may say that everything is done.
 */
export function InboxEmpty({ filters, shops, onClear }: InboxEmptyProps) {
  const t = useTranslations();
  const boxClass = "rounded-lg bg-white px-4 py-10 text-center text-sm text-slate-600 ring-1 ring-slate-200";
  if (!hasActiveFilters(filters)) {
    return (
      <p className={boxClass} data-testid="inbox-empty">
        {filters.status === "pending" ? t("inbox.emptyPending") : t("inbox.emptyStatus", { status: t(`status.${filters.status}`) })}
      </p>
    );
  }
  const shopName = shops.find((shop) => shop.id === filters.shop)?.name ?? filters.shop ?? "";
  const parts = [
    filters.platform ? t("inbox.filteredBy", { name: t("filters.platform"), value: t(`platform.${filters.platform}`) }) : null,
    filters.kind ? t("inbox.filteredBy", { name: t("filters.kind"), value: t(`kind.${filters.kind}`) }) : null,
    filters.shop ? t("inbox.filteredBy", { name: t("filters.shop"), value: shopName }) : null,
    filters.q ? t("inbox.searchedFor", { q: filters.q }) : null,
  ].filter((part): part is string => part !== null);
  return (
    <div className={boxClass} role="status" data-testid="inbox-empty">
      <p className="font-medium text-slate-800">{t("inbox.emptyFiltered", { status: t(`status.${filters.status}`) })}</p>
      <p className="mt-1">{t("inbox.filteredNow", { filters: parts.join(t("inbox.filterSeparator")) })}</p>
      <Button className="mt-4" onClick={onClear}>
        {t("inbox.clearFilters")}
      </Button>
    </div>
  );
}
