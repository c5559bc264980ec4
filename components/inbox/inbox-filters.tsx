"use client";

import { Search } from "lucide-react";
import { useTranslations } from "next-intl";
import { memo, useMemo, useState, type FormEvent } from "react";
import type { InboxFilters, PendingCounts } from "@/components/inbox/api";
import { inboxStatusFilters } from "@/lib/api-schemas";
import { platforms, requestKinds, type Platform } from "@/lib/domain";

type InboxFiltersProps = {
  filters: InboxFilters;
  shops: { id: string; name: string; platform: Platform }[];
  counts?: PendingCounts;
  onChange: (next: InboxFilters) => void;
};

const countKeys = { pending: "pending", due_soon: "dueSoon", overdue: "overdue" } as const;

const selectClass = "rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm";

// Memoized: the inbox re-renders on every decision and live event; the filters only when their props change
export const InboxFilterBar = memo(function InboxFilterBar({ filters, shops, counts, onChange }: InboxFiltersProps) {
  const t = useTranslations();
  const [search, setSearch] = useState(filters.q ?? "");
  // Only the platforms of the shops this user may work (a hand-typed URL's platform stays selectable to be undone)
  const platformOptions = useMemo(
    () => platforms.filter((platform) => platform === filters.platform || shops.some((shop) => shop.platform === platform)),
    [shops, filters.platform],
  );
  const submitSearch = (event: FormEvent) => {
    event.preventDefault();
    onChange({ ...filters, q: search.trim() || undefined });
  };
  return (
    <div role="group" aria-label={t("filters.label")} className="flex flex-wrap items-end gap-3">
      <div role="tablist" aria-label={t("filters.status")} className="flex max-w-full flex-wrap rounded-md bg-slate-200/70 p-0.5">
        {inboxStatusFilters.map((status) => (
          <button
            key={status}
            role="tab"
            aria-selected={filters.status === status}
            onClick={() => onChange({ ...filters, status })}
            className={
              filters.status === status
                ? "rounded px-3 py-1 text-sm font-medium text-slate-900 shadow-sm bg-white"
                : "rounded px-3 py-1 text-sm text-slate-700 hover:text-slate-900"
            }
          >
            {t(`status.${status}`)}
            {counts && status in countKeys ? (
              <span className={status === "overdue" && counts.overdue > 0 ? "ml-1 font-semibold text-rose-800" : "ml-1 text-slate-700"}>
                {counts[countKeys[status as keyof typeof countKeys]]}
              </span>
            ) : null}
          </button>
        ))}
      </div>
      <label className="flex items-center gap-1.5 text-sm text-slate-600">
        {t("filters.platform")}
        <select
          aria-label={t("filters.platform")}
          className={selectClass}
          value={filters.platform ?? ""}
          onChange={(event) => onChange({ ...filters, platform: (event.target.value || undefined) as InboxFilters["platform"] })}
        >
          <option value="">{t("filters.all")}</option>
          {platformOptions.map((platform) => (
            <option key={platform} value={platform}>
              {t(`platform.${platform}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="flex items-center gap-1.5 text-sm text-slate-600">
        {t("filters.kind")}
        <select
          aria-label={t("filters.kind")}
          className={selectClass}
          value={filters.kind ?? ""}
          onChange={(event) => onChange({ ...filters, kind: (event.target.value || undefined) as InboxFilters["kind"] })}
        >
          <option value="">{t("filters.all")}</option>
          {requestKinds.map((kind) => (
            <option key={kind} value={kind}>
              {t(`kind.${kind}`)}
            </option>
          ))}
        </select>
      </label>
      <form role="search" onSubmit={submitSearch} className="flex items-center gap-1.5 text-sm text-slate-600">
        <label className="flex items-center gap-1.5">
          <Search className="size-4" aria-hidden />
          <span className="sr-only">{t("filters.search")}</span>
          <input
            type="search"
            value={search}
            onChange={(event) => setSearch(event.target.value)}
            placeholder={t("filters.searchPlaceholder")}
            className="w-56 rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm"
          />
        </label>
      </form>
      {shops.length > 1 ? (
        <label className="flex items-center gap-1.5 text-sm text-slate-600">
          {t("filters.shop")}
          <select aria-label={t("filters.shop")} className={selectClass} value={filters.shop ?? ""} onChange={(event) => onChange({ ...filters, shop: event.target.value || undefined })}>
            <option value="">{t("filters.allShops")}</option>
            {shops.map((shop) => (
              <option key={shop.id} value={shop.id}>
                {shop.name}
              </option>
            ))}
          </select>
        </label>
      ) : null}
    </div>
  );
});
