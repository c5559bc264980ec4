"use client";

import { useInfiniteQuery, useQuery, type InfiniteData } from "@tanstack/react-query";
import { measureElement, useWindowVirtualizer, type Virtualizer } from "@tanstack/react-virtual";
import { usePathname, useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { useHotkeys } from "react-hotkeys-hook";
import { ChevronDown, ChevronRight } from "lucide-react";
import { toast } from "sonner";
import { fetchPendingCounts, fetchRequestPage, requestKeys, type DecisionInput, type InboxFilters } from "@/components/inbox/api";
import { BulkBar } from "@/components/inbox/bulk-bar";
import { CompactRequestCard } from "@/components/inbox/compact-card";
import { useCurrentUser } from "@/components/current-user";
import { useHydrated } from "@/components/use-hydrated";
import { InboxEmpty } from "@/components/inbox/inbox-empty";
import { InboxFilterBar } from "@/components/inbox/inbox-filters";
import { RequestCard } from "@/components/inbox/request-card";
import { ShortcutsDialog } from "@/components/inbox/shortcuts-dialog";
import { useDecide } from "@/components/inbox/use-decide";
import { LiveRateBanner } from "@/components/metrics/live-rate-banner";
import { getCardPolicyState } from "@/components/policy/card-policy-state";
import { usePolicyText } from "@/components/policy/use-policy-text";
import { getServerNow } from "@/components/server-clock";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import type { RequestCard as RequestCardData, RequestPage } from "@/lib/api-types";
import { formatDensityCookie, inboxDensities, type InboxDensity } from "@/lib/inbox-density";
import type { Platform } from "@/lib/domain";
import { classifyRequestError } from "@/lib/request-error";

type InboxViewProps = {
  filters: InboxFilters;
  /** The shops this user may work: the shop filter, and the platforms the platform filter offers. */
  shops: { id: string; name: string; platform: Platform }[];
  initialPage: RequestPage;
  /** The user's own choice, read from their cookie by the server so the first paint is already right */
  density: InboxDensity;
};

function toSearch(filters: InboxFilters): string {
  const params = new URLSearchParams();
  if (filters.status !== "pending") params.set("status", filters.status);
  if (filters.platform) params.set("platform", filters.platform);
  if (filters.kind) params.set("kind", filters.kind);
  if (filters.shop) params.set("shop", filters.shop);
  if (filters.q) params.set("q", filters.q);
  const text = params.toString();
  return text ? `?${text}` : "";
}

// Shortcuts stay quiet while a dialog (reject, evidence, help) has the keyboard.
const isNoDialogOpen = () => !document.querySelector('[role="dialog"]');

// The parts above the list take props that rarely change, so a decision re-renders the list alone.
const RateBanner = memo(LiveRateBanner);
const noCards: RequestCardData[] = [];
const estimateCardSize = () => 190;
// A compact row is one line on a desktop (about 44 px; two or three lines on a phone)
const estimateCompactSize = () => 46;
const listGap = { standard: 12, compact: 6 } as const;
const storeDensity = (userId: string, density: InboxDensity) => {
  document.cookie = formatDensityCookie(userId, density);
};

/**
 * A row mounted off screen (the overscan, like the card that moves up when one is decided) takes its
 * size from the ResizeObserver after layout: reading its height during the commit would force a layout
 * on every decision. Rows in view are measured at once, so none is ever painted overlapping another.
 */
function measureCardRow(element: Element, entry: ResizeObserverEntry | undefined, instance: Virtualizer<Window, Element>) {
  const index = instance.indexFromElement(element);
  const range = instance.range;
  const isOffScreen = range !== null && (index < range.startIndex || index > range.endIndex);
  if (entry || !isOffScreen) return measureElement(element, entry, instance);
  return instance.itemSizeCache.get(instance.options.getItemKey(index)) ?? instance.options.estimateSize(index);
}

export function InboxView({ filters, shops, initialPage, density: initialDensity }: InboxViewProps) {
  const t = useTranslations("inbox");
  const tShortcuts = useTranslations("shortcuts");
  const tBulk = useTranslations("bulk");
  const tError = useTranslations("ownerPages.requestError");
  const policyText = usePolicyText();
  const router = useRouter();
  const pathname = usePathname();
  const { mutate: decide } = useDecide();
  const sectionRef = useRef<HTMLElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const [focusedIndex, setFocusedIndex] = useState(0);
  const [isHelpOpen, setIsHelpOpen] = useState(false);
  const [listTop, setListTop] = useState(0);
  const [selectedIds, setSelectedIds] = useState<ReadonlySet<string>>(new Set());
  const [anchorIndex, setAnchorIndex] = useState<number | null>(null);
  const user = useCurrentUser();
  const [density, setDensity] = useState(initialDensity);
  // Compact rows opened to the full card, by id (kept while a row scrolls out of the window and back)
  const [expandedIds, setExpandedIds] = useState<ReadonlySet<string>>(new Set());
  const isCompact = density === "compact";

  const query = useInfiniteQuery({
    queryKey: requestKeys.list(filters),
    queryFn: ({ pageParam }) => fetchRequestPage(filters, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.nextCursor,
    initialData: { pages: [initialPage], pageParams: [null] } satisfies InfiniteData<RequestPage, string | null>,
    refetchInterval: 60_000,
  });
  // The tabs count under the same filters as the list (the server applies them alike)
  const counts = useQuery({ queryKey: requestKeys.counts(filters), queryFn: () => fetchPendingCounts(filters) });
  // The header may have the counts before this part of the page hydrates; they show from the commit after
  const isHydrated = useHydrated();

  const pages = query.data?.pages;
  const cards = useMemo(() => pages?.flatMap((page) => page.items) ?? noCards, [pages]);
  const focused = cards[Math.min(focusedIndex, cards.length - 1)];
  const pendingCards = useMemo(() => cards.filter((card) => card.status === "pending"), [cards]);
  // A selected card that left the view (decided by anyone) is no longer selected.
  const selectedCards = useMemo(
    () => (selectedIds.size === 0 ? noCards : pendingCards.filter((card) => selectedIds.has(card.id))),
    [pendingCards, selectedIds],
  );

  /** x or a click toggles one card; shift-click selects the range from the last one toggled. */
  const toggleSelection = (index: number, isRange: boolean) => {
    const card = cards[index];
    if (!card || card.status !== "pending") return;
    setSelectedIds((current) => {
      const next = new Set(current);
      if (isRange && anchorIndex !== null) {
        const [from, to] = anchorIndex < index ? [anchorIndex, index] : [index, anchorIndex];
        for (const candidate of cards.slice(from, to + 1)) if (candidate.status === "pending") next.add(candidate.id);
      } else if (next.has(card.id)) next.delete(card.id);
      else next.add(card.id);
      return next;
    });
    setAnchorIndex(index);
  };

  // Only the cards in and near the viewport are mounted, so a 10,000-card queue stays smooth.
  const virtualizer = useWindowVirtualizer({
    count: cards.length,
    estimateSize: isCompact ? estimateCompactSize : estimateCardSize,
    measureElement: measureCardRow,
    overscan: 6,
    gap: listGap[density],
    scrollMargin: listTop,
    initialRect: { width: 1200, height: 1000 },
    getItemKey: useCallback((index: number) => cards[index]?.id ?? index, [cards]),
  });
  // The list's distance from the page top (filters, banners and the bulk bar sit above it). Anything
  // there changing height changes the section's height too, so it is re-read after layout when that
  // happens, never mid-commit on a decision, where reading it would force a layout.
  const isEmpty = cards.length === 0 && !query.isFetching;
  useLayoutEffect(() => {
    const list = listRef.current;
    const section = sectionRef.current;
    if (!list || !section) return;
    setListTop(list.offsetTop);
    const observer = new ResizeObserver(() => setListTop(list.offsetTop));
    observer.observe(section);
    return () => observer.disconnect();
  }, [isEmpty]);
  const virtualItems = virtualizer.getVirtualItems();
  const lastVirtualIndex = virtualItems.at(-1)?.index ?? 0;
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = query;

  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && lastVirtualIndex >= cards.length - 8) void fetchNextPage();
  }, [lastVirtualIndex, cards.length, hasNextPage, isFetchingNextPage, fetchNextPage]);

  // Stable, so a memoized card re-renders only when its own data changes
  const onDecide = useCallback((id: string, input: DecisionInput) => decide({ id, input }), [decide]);
  // Filters live in the URL so a view can be bookmarked; the server renders the first page for it.
  const onFiltersChange = useCallback(
    (next: InboxFilters) => router.replace(`${pathname}${toSearch(next)}`, { scroll: false }),
    [router, pathname],
  );
  const onSelectAll = useCallback(() => setSelectedIds(new Set(pendingCards.map((card) => card.id))), [pendingCards]);
  const onClearSelection = useCallback(() => setSelectedIds(new Set()), []);
  const chooseDensity = (next: InboxDensity) => {
    setDensity(next);
    // Per user: the cookie carries the user's id in its name, and the server reads it on the next page load
    if (user) storeDensity(user.id, next);
  };
  const toggleExpanded = (id: string) =>
    setExpandedIds((current) => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    });

  const onClearFilters = useCallback(() => onFiltersChange({ status: filters.status }), [onFiltersChange, filters.status]);

  const moveFocus = (delta: number) => {
    if (cards.length === 0) return;
    const next = Math.max(0, Math.min(cards.length - 1, focusedIndex + delta));
    setFocusedIndex(next);
    virtualizer.scrollToIndex(next, { align: "auto" });
  };
  const clickFocusedAction = (action: string) =>
    listRef.current?.querySelector<HTMLButtonElement>(`[data-request-id="${focused?.id}"] [data-action="${action}"]:not(:disabled)`)?.click();
  /** `a` / `r` on a card whose rules or platform do not allow it: say why instead of doing nothing. */
  const decideFocused = (action: "approve" | "reject") => {
    if (focused?.status !== "pending") return;
    const permission = getCardPolicyState(focused, getServerNow()).actions[action];
    if (permission.isAllowed) {
      clickFocusedAction(action);
      return;
    }
    toast.warning(tShortcuts(action === "approve" ? "cannotApprove" : "cannotReject", { reason: policyText.permission(permission) ?? "" }), {
      id: `cannot-${action}-${focused.id}`,
      description: focused.order.title,
    });
  };

  const hotkeyOptions = { enabled: isNoDialogOpen, preventDefault: true };
  useHotkeys("j, down", () => moveFocus(1), hotkeyOptions);
  useHotkeys("k, up", () => moveFocus(-1), hotkeyOptions);
  // Approve and next: the decided card leaves the list, so the same index is the next card.
  useHotkeys("a", () => decideFocused("approve"), hotkeyOptions);
  useHotkeys("r", () => decideFocused("reject"), hotkeyOptions);
  useHotkeys("o", () => focused && router.push(`/requests/${focused.id}`), hotkeyOptions);
  useHotkeys("x", () => toggleSelection(focusedIndex, false), hotkeyOptions);
  // Bulk approve opens the same confirmation as its button (Enter then confirms)
  useHotkeys(
    "shift+a",
    () => {
      const button = sectionRef.current?.querySelector<HTMLButtonElement>('[data-action="bulk-approve"]:not(:disabled)');
      if (button) button.click();
      else toast.info(tBulk("noneSelected"));
    },
    hotkeyOptions,
  );
  useHotkeys("shift+slash", () => setIsHelpOpen(true), hotkeyOptions);

  return (
    <section
      aria-labelledby="inbox-title"
      className="space-y-4"
      // Set once this view is hydrated (its shortcuts bound): the page shell can hydrate before it.
      ref={(node) => {
        sectionRef.current = node;
        if (node) node.dataset.inboxReady = "true";
      }}
    >
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 id="inbox-title" className="text-lg font-semibold">
          {t("title")}
        </h1>
        <div className="flex items-center gap-3 text-xs text-slate-500">
          {isHydrated && query.isFetching ? <span>{t("loading")}</span> : null}
          <div role="group" aria-label={t("density.label")} className="flex rounded-md bg-slate-200/70 p-0.5" data-testid="density-toggle">
            {inboxDensities.map((option) => (
              <button
                key={option}
                type="button"
                aria-pressed={density === option}
                onClick={() => chooseDensity(option)}
                className={cn(
                  "rounded px-3 py-1 text-sm max-sm:min-h-11",
                  density === option ? "bg-white font-medium text-slate-900 shadow-sm" : "text-slate-700 hover:text-slate-900",
                )}
              >
                {t(`density.${option}`)}
              </button>
            ))}
          </div>
          <button type="button" className="hover:text-slate-800 max-sm:hidden" onClick={() => setIsHelpOpen(true)}>
            {tShortcuts("hint")}
          </button>
        </div>
      </div>
      <RateBanner />
      <InboxFilterBar filters={filters} shops={shops} counts={isHydrated ? counts.data : undefined} onChange={onFiltersChange} />
      <BulkBar selected={selectedCards} selectableCount={pendingCards.length} onSelectAll={onSelectAll} onClear={onClearSelection} />

      {query.isError ? (
        <div role="alert" className="flex items-center justify-between rounded-md bg-rose-50 px-4 py-3 text-sm text-rose-800">
          {t("error")}: {tError(classifyRequestError(query.error))}
          <Button size="sm" onClick={() => query.refetch()}>
            {t("retry")}
          </Button>
        </div>
      ) : null}

      {isEmpty ? (
        <InboxEmpty filters={filters} shops={shops} onClear={onClearFilters} />
      ) : (
        <ul ref={listRef} aria-label={t("title")} data-density={density} className="relative" style={{ height: virtualizer.getTotalSize() }}>
          {virtualItems.map((item) => {
            const card = cards[item.index];
            if (!card) return null;
            const isExpanded = isCompact && expandedIds.has(card.id);
            return (
              <li
                key={card.id}
                data-index={item.index}
                ref={virtualizer.measureElement}
                onClick={() => setFocusedIndex(item.index)}
                className={cn("absolute inset-x-0 top-0 rounded-lg", item.index === focusedIndex && "ring-2 ring-emerald-500 ring-offset-2")}
                aria-current={item.index === focusedIndex ? "true" : undefined}
                style={{ transform: `translateY(${item.start - virtualizer.options.scrollMargin}px)` }}
              >
                <div className={cn("flex items-start gap-2", isCompact && !isExpanded && "items-center")}>
                  {card.status === "pending" ? (
                    <input
                      type="checkbox"
                      className={cn("size-4 shrink-0 accent-emerald-700", (!isCompact || isExpanded) && "mt-5")}
                      checked={selectedIds.has(card.id)}
                      onChange={() => undefined}
                      onClick={(event) => {
                        event.stopPropagation();
                        toggleSelection(item.index, event.shiftKey);
                      }}
                      aria-label={tBulk("select", { title: card.order.title })}
                    />
                  ) : null}
                  {isCompact ? (
                    <button
                      type="button"
                      className={cn(
                        "inline-flex size-7 shrink-0 items-center justify-center rounded text-slate-600 hover:bg-slate-200 hover:text-slate-900 max-sm:size-11",
                        isExpanded && "mt-3",
                      )}
                      aria-expanded={isExpanded}
                      aria-label={t(isExpanded ? "density.collapse" : "density.expand", { title: card.order.title })}
                      onClick={(event) => {
                        event.stopPropagation();
                        toggleExpanded(card.id);
                      }}
                    >
                      {isExpanded ? <ChevronDown className="size-4" aria-hidden /> : <ChevronRight className="size-4" aria-hidden />}
                    </button>
                  ) : null}
                  <div className="min-w-0 flex-1">
                    {isCompact && !isExpanded ? <CompactRequestCard card={card} onDecide={onDecide} /> : <RequestCard card={card} onDecide={onDecide} />}
                  </div>
                </div>
              </li>
            );
          })}
        </ul>
      )}

      {isFetchingNextPage ? <p className="text-center text-sm text-slate-500">{t("loading")}</p> : null}
      <ShortcutsDialog open={isHelpOpen} onOpenChange={setIsHelpOpen} />
    </section>
  );
}
