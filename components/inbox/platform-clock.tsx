"use client";

import { Landmark } from "lucide-react";
import { useTranslations } from "next-intl";
import { cn } from "@/components/ui/cn";
import type { RequestCard } from "@/lib/api-types";
import { formatDuration } from "@/lib/duration";
import { getPlatformClock } from "@/lib/platform-clock";
import { getPolicyProfile } from "@/lib/policy/profiles";
import { hourMs } from "@/lib/time";

// Under two hours the platform's own clock deserves attention too.
const soonMs = 2 * hourMs;

export function PlatformClockBadge({ card, now }: { card: RequestCard; now: Date }) {
  const t = useTranslations("platformClock");
  const tUnits = useTranslations("units");
  const clock = getPlatformClock(
    getPolicyProfile(card.platform),
    {
      kind: card.kind,
      receivedAt: new Date(card.receivedAt),
      platformDeadline: card.platformDeadline ? new Date(card.platformDeadline) : null,
      isShipped: card.order.shippedAt !== null,
    },
    now,
  );
  if (!clock) return null;
  const isPast = clock.remainingMs < 0;
  const text = isPast ? t("passed") : t(clock.onTimeout ?? "unknown", { time: formatDuration(clock.remainingMs, tUnits, "countdown") });
  return (
    <span
      data-testid="platform-clock"
      title={clock.isFallback ? t("fallback") : undefined}
      className={cn(
        "inline-flex items-center gap-1 rounded px-1.5 py-0.5 text-xs tabular-nums whitespace-nowrap",
        isPast || clock.remainingMs < soonMs ? "bg-orange-100 text-orange-900" : "bg-slate-100 text-slate-700",
      )}
    >
      <Landmark className="size-3.5" aria-hidden />
      {text}
      {clock.isFallback ? <span className="text-slate-600">{t("fallbackMark")}</span> : null}
    </span>
  );
}
