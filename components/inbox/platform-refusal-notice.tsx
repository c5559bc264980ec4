"use client";

import { TriangleAlert } from "lucide-react";
import { useFormatter, useTranslations } from "next-intl";
import type { RequestCard } from "@/lib/api-types";

const timeFormat = { month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false } as const;

/**
 * A pending card the platform sent back (docs/platforms/refusals.md): its words, and when it came back (Asia/Shanghai,
 * the app's time zone). Shown until the card is answered again.
 */
export function PlatformRefusalNotice({ card }: { card: Pick<RequestCard, "status" | "platformRefusal"> }) {
  const t = useTranslations("platformRefusal");
  const format = useFormatter();
  if (card.status !== "pending" || !card.platformRefusal) return null;
  const { message, at } = card.platformRefusal;
  return (
    <div role="note" data-testid="platform-refusal" className="flex items-start gap-2 rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-900 ring-1 ring-rose-200 ring-inset">
      <TriangleAlert className="mt-0.5 size-4 shrink-0 text-rose-600" aria-hidden />
      <div className="min-w-0">
        <p className="font-medium break-words">{t("notice", { message })}</p>
        <p className="text-xs text-rose-700">
          <time dateTime={at}>{t("returnedAt", { time: format.dateTime(new Date(at), timeFormat) })}</time>
        </p>
      </div>
    </div>
  );
}
