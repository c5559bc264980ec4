"use client";

import { useInfiniteQuery, type InfiniteData } from "@tanstack/react-query";
import { usePathname, useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useCallback } from "react";
import { fetchRequestPage, requestKeys, type DecisionInput, type InboxFilters } from "@/components/inbox/api";
import { InboxFilterBar } from "@/components/inbox/inbox-filters";
import { LiveRateBanner } from "@/components/metrics/live-rate-banner";
import { RequestCard } from "@/components/inbox/request-card";
import { useDecide } from "@/components/inbox/use-decide";
import { useNow } from "@/components/inbox/use-now";
import { Button } from "@/components/ui/button";
import type { RequestPage } from "@/lib/api-types";

type InboxViewProps = {
  filters: InboxFilters;
  shops: { id: string; name: string }[];
  initialPage: RequestPage;
};

function toSearch(filters: InboxFilters): string {
  const params = new URLSearchParams();
  if (filters.status !== "pending") params.set("status", filters.status);
  if (filters.platform) params.set("platform", filters.platform);
  if (filters.kind) params.set("kind", filters.kind);
  if (filters.shop) params.set("shop", filters.shop);
  const text = params.toString();
  return text ? `?${text}` : "";
}

export function InboxView({ filters, shops, initialPage }: InboxViewProps) {
  const t = useTranslations("inbox");
  const router = useRouter();
  const pathname = usePathname();
  const now = useNow();
  const decide = useDecide();

  const query = useInfiniteQuery({
    queryKey: requestKeys.list(filters),
    queryFn: ({ pageParam }) => fetchRequestPage(filters, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.nextCursor,
    initialData: { pages: [initialPage], pageParams: [null] } satisfies InfiniteData<RequestPage, string | null>,
    refetchInterval: 15_000,
  });

  const onDecide = useCallback((id: string, input: DecisionInput) => decide.mutate({ id, input }), [decide]);
  // Filters live in the URL so a view can be bookmarked; the server renders the first page for it.
  const onFiltersChange = (next: InboxFilters) => router.replace(`${pathname}${toSearch(next)}`, { scroll: false });

  const cards = query.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <section aria-labelledby="inbox-title" className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 id="inbox-title" className="text-lg font-semibold">
          {t("title")}
        </h1>
        {query.isFetching ? <span className="text-xs text-slate-500">{t("loading")}</span> : null}
      </div>
      <InboxFilterBar filters={filters} shops={shops} onChange={onFiltersChange} />
      <LiveRateBanner />

      {query.isError ? (
        <div role="alert" className="flex items-center justify-between rounded-md bg-rose-50 px-4 py-3 text-sm text-rose-800">
          {t("error")}: {query.error.message}
          <Button size="sm" onClick={() => query.refetch()}>
            {t("retry")}
          </Button>
        </div>
      ) : null}

      {cards.length === 0 && !query.isFetching ? (
        <p className="rounded-lg bg-white px-4 py-12 text-center text-sm text-slate-500 ring-1 ring-slate-200">
          {filters.status === "pending" ? t("emptyPending") : t("empty")}
        </p>
      ) : (
        <ul className="space-y-3" aria-label={t("title")}>
          {cards.map((card) => (
            <li key={card.id}>
              <RequestCard card={card} now={now} onDecide={onDecide} />
            </li>
          ))}
        </ul>
      )}

      {query.hasNextPage ? (
        <div className="flex justify-center">
          <Button onClick={() => query.fetchNextPage()} disabled={query.isFetchingNextPage}>
            {query.isFetchingNextPage ? t("loading") : t("loadMore")}
          </Button>
        </div>
      ) : null}
    </section>
  );
}
