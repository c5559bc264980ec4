"use client";

import { createContext, createElement, useContext, useMemo, useSyncExternalStore, type ReactNode } from "react";
import { getServerNow } from "@/components/server-clock";

// One interval (server time) for every countdown on the page (docs/domain/clocks.md). Only the components that show
// the time subscribe, so a tick re-renders the clock text, not each whole card or the inbox list.
const tickMs = 1000;
const listeners = new Set<() => void>();
let current: Date | null = null;
let timer: ReturnType<typeof setInterval> | null = null;

function subscribe(listener: () => void) {
  listeners.add(listener);
  timer ??= setInterval(() => {
    current = getServerNow();
    for (const notify of listeners) notify();
  }, tickMs);
  return () => {
    listeners.delete(listener);
    if (listeners.size > 0 || !timer) return;
    clearInterval(timer);
    timer = null;
    // The next page to subscribe starts from a fresh reading, not the last tick of this one
    current = null;
  };
}

const getSnapshot = () => (current ??= getServerNow());

/**
 * The instant the server rendered the page with. The server draws every clock with it, and the browser
 * draws the same instant while it hydrates, so the clock text (seconds included) matches the server's HTML;
 * the next commit moves on to the browser's reading of server time. Reading the browser's own clock while
 * hydrating would differ by the page's load time and fail the hydration (React error #418).
 */
const HydrationNowContext = createContext<string | null>(null);

export function HydrationNow({ iso, children }: { iso: string; children: ReactNode }) {
  return createElement(HydrationNowContext.Provider, { value: iso }, children);
}

/** The shared ticking clock (server time); every countdown derives from the same reading. */
export function useNow(): Date {
  const hydrationIso = useContext(HydrationNowContext);
  const hydrationNow = useMemo(() => (hydrationIso ? new Date(hydrationIso) : null), [hydrationIso]);
  // Without a rendered instant (a component outside the desk layout) the server reads its own clock
  const getServerSnapshot = () => hydrationNow ?? (typeof window === "undefined" ? getServerNow() : getSnapshot());
  return useSyncExternalStore(subscribe, getSnapshot, getServerSnapshot);
}
