"use client";

import { useEffect, useRef } from "react";

// Unsaved edits are not lost silently: closing or reloading the tab asks the browser's own question
// (beforeunload), and following a link inside the desk asks ours first. The App Router has no route-change
// event to veto, so links are checked on click, in the capture phase on window, before Next's <Link> handles them.

export type LinkClick = { button: number; metaKey: boolean; ctrlKey: boolean; shiftKey: boolean; altKey: boolean; defaultPrevented: boolean };

/** Would this click on a link take the owner off the page they are editing (in this tab)? */
export function isLeavingLink(click: LinkClick, link: { href: string; target: string | null; hasDownload: boolean }, current: URL): boolean {
  if (click.defaultPrevented || click.button !== 0) return false;
  // A modified click opens another tab or window: this page and its edits stay
  if (click.metaKey || click.ctrlKey || click.shiftKey || click.altKey) return false;
  if ((link.target && link.target !== "_self") || link.hasDownload) return false;
  let url: URL;
  try {
    url = new URL(link.href, current);
  } catch {
    return false;
  }
  if (url.origin !== current.origin) return true;
  return url.pathname !== current.pathname || url.search !== current.search;
}

/** While `isDirty`, asks before the page is left; returns `confirmLeave` for navigation done in code (router.push). */
export function useLeaveGuard(isDirty: boolean, message: string): () => boolean {
  const state = useRef({ isDirty, message, isConfirmed: false });
  useEffect(() => {
    state.current.isDirty = isDirty;
    state.current.message = message;
  }, [isDirty, message]);

  useEffect(() => {
    if (!isDirty) return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (state.current.isConfirmed) return;
      event.preventDefault();
      // Older browsers show the prompt only when returnValue is set
      event.returnValue = "";
    };
    const onClick = (event: MouseEvent) => {
      const anchor = event.target instanceof Element ? event.target.closest("a[href]") : null;
      if (!(anchor instanceof HTMLAnchorElement)) return;
      const link = { href: anchor.href, target: anchor.getAttribute("target"), hasDownload: anchor.hasAttribute("download") };
      if (!isLeavingLink(event, link, new URL(window.location.href))) return;
      if (window.confirm(state.current.message)) {
        // A full-page link would ask again through beforeunload
        state.current.isConfirmed = true;
        return;
      }
      event.preventDefault();
      event.stopImmediatePropagation();
    };
    window.addEventListener("beforeunload", onBeforeUnload);
    window.addEventListener("click", onClick, true);
    return () => {
      window.removeEventListener("beforeunload", onBeforeUnload);
      window.removeEventListener("click", onClick, true);
    };
  }, [isDirty]);

  return () => !state.current.isDirty || window.confirm(state.current.message);
}
