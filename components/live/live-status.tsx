"use client";

import { useQuery, useQueryClient, type InfiniteData } from "@tanstack/react-query";
import { Bell, BellOff, Radio } from "lucide-react";
import { useTranslations } from "next-intl";
import { useEffect, useRef, useState, useSyncExternalStore } from "react";
import { toast } from "sonner";
import { fetchPendingCounts, fetchRequestDetail, requestKeys, type InboxFilters } from "@/components/inbox/api";
import { playAlertChime } from "@/components/live/alert-sound";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import type { RequestCard, RequestPage } from "@/lib/api-types";
import { cardChangeActions } from "@/lib/audit-actions";
import { upsertCardInPages } from "@/lib/inbox-cache";

type LiveEvent = { id: number; requestId: string | null; action: string; card?: RequestCard | null };

function subscribeStorage(callback: () => void) {
  window.addEventListener("storage", callback);
  return () => window.removeEventListener("storage", callback);
}

/** The platform would not take a card's answer and it is pending again (docs/platforms/refusals.md). */
const platformRefusedAction = "platform_refused";

/**
 * The desk's live connection (one per tab): applies colleagues' decisions and new cards to the cache,
 * chimes and notifies on a new card, tells everyone when the platform sends a card back, and keeps the
 * pending count in the tab title.
 */
export function LiveStatus({ userId, appName }: { userId: string; appName: string }) {
  const t = useTranslations("live");
  const tRefusal = useTranslations("platformRefusal");
  const queryClient = useQueryClient();
  const mutedKey = `desk:muted:${userId}`;
  const isMuted = useSyncExternalStore(subscribeStorage, () => localStorage.getItem(mutedKey) === "1", () => false);
  const mutedRef = useRef(isMuted);
  const [state, setState] = useState<"connecting" | "live" | "offline">("connecting");
  const [alertCount, setAlertCount] = useState(0);
  const counts = useQuery({ queryKey: requestKeys.counts(), queryFn: () => fetchPendingCounts(), refetchInterval: 30_000 });

  useEffect(() => {
    mutedRef.current = isMuted;
  }, [isMuted]);

  useEffect(() => {
    const pending = counts.data?.pending ?? 0;
    document.title = pending > 0 ? `(${pending}) ${appName}` : appName;
  }, [counts.data?.pending, appName]);

  useEffect(() => {
    // The newest version of each card applied here: events and fetches may answer out of order (an approval's
    // fetch after its undo's), and the older card must not win
    const appliedVersions = new Map<string, number>();
    const applyCard = (card: RequestCard) => {
      if ((appliedVersions.get(card.id) ?? 0) > card.version) return;
      appliedVersions.set(card.id, card.version);
      for (const [key, data] of queryClient.getQueriesData<InfiniteData<RequestPage>>({ queryKey: requestKeys.lists() })) {
        const filters = key[2] as InboxFilters | undefined;
        if (data && filters) queryClient.setQueryData(key, upsertCardInPages(data, card, filters));
      }
    };
    // A live event carries its card (app/_server/live-hub.ts): patched into every loaded list at once. A replayed
    // one does not: one small fetch then, instead of refetching every page.
    const onChange = async (event: MessageEvent<string>): Promise<RequestCard | null> => {
      const live: LiveEvent = JSON.parse(event.data);
      lastEventId = live.id;
      if (!live.requestId) {
        void queryClient.invalidateQueries({ queryKey: requestKeys.counts() });
        return null;
      }
      if (live.card) {
        applyCard(live.card);
        // An open detail page reads its history again; nothing else is fetched for the card
        void queryClient.invalidateQueries({ queryKey: requestKeys.detail(live.requestId) });
        void queryClient.invalidateQueries({ queryKey: requestKeys.counts() });
        return live.card;
      }
      const detail = await fetchRequestDetail(live.requestId).catch(() => null);
      void queryClient.invalidateQueries({ queryKey: requestKeys.counts() });
      if (!detail) {
        void queryClient.invalidateQueries({ queryKey: requestKeys.lists() });
        return null;
      }
      if ((appliedVersions.get(detail.card.id) ?? 0) <= detail.card.version) queryClient.setQueryData(requestKeys.detail(live.requestId), detail);
      applyCard(detail.card);
      return detail.card;
    };
    const onReceived = (event: MessageEvent<string>) => {
      void onChange(event);
      setAlertCount((count) => count + 1);
      if (!mutedRef.current) playAlertChime();
      if (document.hidden && "Notification" in window && Notification.permission === "granted") {
        new Notification(t("newCard"), { tag: "desk-new-card" });
      }
    };

    // The card is back in 待处理 for every desk of its shop (the owner's too): patched in like any change, and said aloud
    const onRefused = async (event: MessageEvent<string>) => {
      const card = await onChange(event);
      const refusal = card?.status === "pending" ? card.platformRefusal : null;
      if (card && refusal) {
        toast.warning(tRefusal("toast", { message: refusal.message }), { description: tRefusal("toastCard", { title: card.order.title }), duration: 15_000 });
      } else {
        toast.warning(tRefusal("toastUnknown"));
      }
    };

    // We reconnect ourselves, with exponential backoff and jitter, resuming after the last event seen
    // (?since=), instead of EventSource's fixed retry that would hammer a struggling server.
    let source: EventSource | null = null;
    let lastEventId: number | null = null;
    let failures = 0;
    let retryTimer: ReturnType<typeof setTimeout> | null = null;
    let isStopped = false;
    const connect = () => {
      source = new EventSource(lastEventId === null ? "/api/stream" : `/api/stream?since=${lastEventId}`);
      source.addEventListener("open", () => {
        failures = 0;
        setState("live");
        // Whatever happened before we first connected: refetch once; the stream carries the rest.
        if (lastEventId === null) void queryClient.invalidateQueries({ queryKey: requestKeys.all });
      });
      source.addEventListener("error", () => {
        source?.close();
        if (isStopped) return;
        setState("connecting");
        failures += 1;
        const delayMs = Math.min(30_000, 1_000 * 2 ** Math.min(failures - 1, 5)) * (0.5 + Math.random() / 2);
        retryTimer = setTimeout(connect, delayMs);
      });
      source.addEventListener("received", onReceived);
      // Every action that can change a card, an undo included (lib/audit-actions.ts)
      for (const action of cardChangeActions) source.addEventListener(action, (event) => void onChange(event));
      source.addEventListener(platformRefusedAction, (event) => void onRefused(event));
    };
    connect();
    return () => {
      isStopped = true;
      if (retryTimer) clearTimeout(retryTimer);
      source?.close();
    };
  }, [queryClient, t, tRefusal]);

  function toggleMute() {
    localStorage.setItem(mutedKey, isMuted ? "0" : "1");
    window.dispatchEvent(new StorageEvent("storage", { key: mutedKey }));
    if (isMuted && "Notification" in window && Notification.permission === "default") void Notification.requestPermission();
  }

  return (
    <div className="flex items-center gap-1" data-testid="live-status" data-state={state} data-alert-count={alertCount}>
      <span className={cn("inline-flex items-center gap-1 text-xs", state === "live" ? "text-emerald-700" : "text-amber-700")}>
        <Radio className="size-3.5" aria-hidden />
        {t(state)}
      </span>
      <Button variant="ghost" size="sm" onClick={toggleMute} aria-pressed={isMuted} aria-label={isMuted ? t("unmute") : t("mute")}>
        {isMuted ? <BellOff className="size-4" aria-hidden /> : <Bell className="size-4" aria-hidden />}
      </Button>
    </div>
  );
}
