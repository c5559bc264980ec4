"use client";

import { useSyncExternalStore } from "react";

const subscribe = () => () => undefined;

/**
 * False on the server and while the browser hydrates, true from then on. For what the browser may already
 * know before a part of the page hydrates: the header's live counts are fetched as soon as the header is
 * interactive, often before the streamed inbox below it hydrates, and drawing them there would differ from
 * the server's HTML (React error #418).
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}
