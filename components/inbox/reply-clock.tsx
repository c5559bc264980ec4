"use client";

import { Clock } from "lucide-react";
import { useTranslations } from "next-intl";
import { cn } from "@/components/ui/cn";
import type { Platform } from "@/lib/domain";
import { getPolicyProfile } from "@/lib/policy/profiles";
import { formatClock, getReplyClock } from "@/lib/response-timer";

const stateStyles = {
  normal: "bg-slate-100 text-slate-700",
  warning: "bg-amber-100 text-amber-800",
  overdue: "bg-rose-100 text-rose-700",
} as const;

export function ReplyClock({ platform, respondBy, now }: { platform: Platform; respondBy: string; now: Date }) {
  const t = useTranslations("card");
  const clock = getReplyClock(getPolicyProfile(platform), { respondBy: new Date(respondBy) }, now);
  const text = formatClock(clock.remainingMs);
  return (
    <span
      className={cn("inline-flex items-center gap-1 rounded px-2 py-0.5 font-mono text-sm font-semibold tabular-nums whitespace-nowrap", stateStyles[clock.state])}
      data-state={clock.state}
      data-testid="reply-clock"
    >
      <Clock className="size-3.5" aria-hidden />
      {clock.state === "overdue" ? t("overdue", { time: text }) : t("remaining", { time: text })}
    </span>
  );
}
