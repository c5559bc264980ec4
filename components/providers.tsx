"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useEffect, useState, type ReactNode } from "react";
import { Toaster } from "sonner";

export function Providers({ children }: { children: ReactNode }) {
  const t = useTranslations("app");
  const [queryClient] = useState(
    () => new QueryClient({ defaultOptions: { queries: { staleTime: 5_000, refetchOnWindowFocus: true, retry: 1 } } }),
  );
  useEffect(() => {
    // Marks the page interactive: e2e waits for it, since a click before hydration does nothing.
    document.documentElement.dataset.hydrated = "true";
  }, []);
  return (
    <QueryClientProvider client={queryClient}>
      {children}
      {/* dir given: left to itself the Toaster reads getComputedStyle on every render (a style recalc per toast).
          Bottom right, clear of the inbox filters at the top; on a phone across the bottom. Colours and the
          phone's 44 px buttons are in app/globals.css. */}
      <Toaster
        position="bottom-right"
        offset={24}
        mobileOffset={12}
        richColors
        closeButton
        dir="ltr"
        containerAriaLabel={t("notifications")}
        toastOptions={{ closeButtonAriaLabel: t("closeNotification") }}
      />
    </QueryClientProvider>
  );
}
