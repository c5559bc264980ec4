"use client";

import { useSyncExternalStore } from "react";
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
// The server renders with its own fresh clock; the module's reading would outlive the request there
const getServerSnapshot = () => (typeof window === "undefined" ? getServerNow() : getSnapshot());

/** The shared ticking clock (server time); every countdown derives from the same reading. */
export function useNow(): Date {
  return useSyncExternalStore(subscribe, getSnapshot, getServerSnapshot);
}
