import type { RequestCard, RequestPage } from "@/lib/api-types";
import { compareUrgency, getUrgencyKey, toUrgencyInput } from "@/lib/urgency";

// Patches a loaded inbox (pages of cards) with one card that changed, so a live event costs one small
// fetch instead of refetching every page.

export type ListFilters = { status: string; platform?: string; kind?: string; shop?: string; q?: string };
type Pages = { pages: RequestPage[]; pageParams: unknown[] };

export function isCardInView(card: RequestCard, filters: ListFilters): boolean {
  if (filters.platform && card.platform !== filters.platform) return false;
  if (filters.kind && card.kind !== filters.kind) return false;
  if (filters.shop && card.shop.id !== filters.shop) return false;
  // What the server's search matches: the title, the buyer as shown, the exact order or refund number
  const q = filters.q;
  if (q && !card.order.title.includes(q) && !card.buyerNick.includes(q) && card.order.platformOrderId !== q && card.platformRequestId !== q) return false;
  if (filters.status === "all") return true;
  // Urgency tabs are pending cards by deadline; the next refetch settles which tab one sits in.
  if (filters.status === "due_soon" || filters.status === "overdue") return card.status === "pending";
  return card.status === filters.status;
}

const urgencyViews = new Set(["pending", "due_soon", "overdue"]);

/**
 * Pending views by urgency as of the instant the loaded list was sorted at (lib/urgency.ts), so a live card
 * lands where the server would have put it; the others newest first (the same order as the API).
 */
function comesBefore(card: RequestCard, other: RequestCard, status: string, asOfMs: number): boolean {
  if (urgencyViews.has(status)) return compareUrgency(getUrgencyKey(toUrgencyInput(card), asOfMs), getUrgencyKey(toUrgencyInput(other), asOfMs)) < 0;
  return card.receivedAt > other.receivedAt || (card.receivedAt === other.receivedAt && card.id > other.id);
}

export function upsertCardInPages<T extends Pages>(data: T, card: RequestCard, filters: ListFilters): T {
  const pages = data.pages.map((page) => ({ ...page, items: page.items.filter((item) => item.id !== card.id) }));
  const asOfMs = Date.parse(data.pages[0]?.orderedAt ?? "");
  if (isCardInView(card, filters)) {
    const lastPage = pages.length - 1;
    for (let index = 0; index < pages.length; index++) {
      const items = pages[index].items;
      const position = items.findIndex((item) => comesBefore(card, item, filters.status, asOfMs));
      if (position >= 0) {
        items.splice(position, 0, card);
        break;
      }
      // Past everything loaded: it belongs at the end only when no further page exists to hold it.
      if (index === lastPage && !pages[index].nextCursor) items.push(card);
    }
  }
  return { ...data, pages };
}
