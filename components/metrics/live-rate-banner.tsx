"use client";

import { useQuery } from "@tanstack/react-query";
import { TriangleAlert } from "lucide-react";
import { useLocale, useTranslations } from "next-intl";
import { formatPercent } from "@/components/metrics/format";
import { requestJson } from "@/components/request-json";
import type { LiveHourStatus } from "@/lib/metrics/report-types";

function fetchLiveHour(): Promise<LiveHourStatus> {
  return requestJson("/api/metrics/live");
}

/** Warns the desk while this hour's 3-minute rate, over the cards already settled, is under the target. */
export function LiveRateBanner() {
  const t = useTranslations("metrics.live");
  const locale = useLocale();
  const { data } = useQuery({ queryKey: ["metrics", "live"], queryFn: fetchLiveHour, refetchInterval: 60_000 });
  if (!data?.isHeadingUnder) return null;
  return (
    <div role="status" className="flex items-center gap-2 rounded-md bg-amber-50 px-4 py-2 text-sm text-amber-900 ring-1 ring-amber-200">
      <TriangleAlert className="size-4 shrink-0" aria-hidden />
      {t("warning", { rate: formatPercent(data.rate, locale), target: formatPercent(data.target, locale), settled: data.settled })}
    </div>
  );
}
