"use client";

import { useFormatter, useTranslations } from "next-intl";
import { useTransition } from "react";
import { toast } from "sonner";
import { requestJson } from "@/components/request-json";
import { Button } from "@/components/ui/button";
import type { ConnectionHealthView, PlatformAppView, RefreshNowResponse } from "@/lib/platforms/connection";
import { displayTimeZone } from "@/lib/i18n/locales";
import { classifyRequestError } from "@/lib/request-error";

// One shop's connection health on the owner's 平台连接 (docs/platforms/tokens.md): last message in, last answer out,
// the token's expiry and last refresh, the last error in the platform's words, and 立即刷新.

const dateTime = { dateStyle: "short", timeStyle: "short", timeZone: displayTimeZone } as const;

function postRefreshNow(shopId: string): Promise<RefreshNowResponse> {
  return requestJson(`/api/settings/shops/${shopId}/platform-app/refresh`, { method: "POST" });
}

export function ConnectionHealth({ shop, health, onRefreshed }: { shop: { id: string; name: string }; health: ConnectionHealthView; onRefreshed: (app: PlatformAppView) => void }) {
  const t = useTranslations("connectionHealth");
  const tError = useTranslations("ownerPages.requestError");
  const format = useFormatter();
  const [isPending, startTransition] = useTransition();
  const at = (instant: string | null) => (instant ? format.dateTime(new Date(instant), dateTime) : t("never"));

  function refreshNow() {
    startTransition(async () => {
      try {
        const answer = await postRefreshNow(shop.id);
        onRefreshed(answer.app);
        if (answer.refreshed) toast.success(t("refreshed", { shop: shop.name }));
        else toast.error(t("refreshFailed", { shop: shop.name }));
      } catch (caught) {
        toast.error(t("requestFailed", { message: tError(classifyRequestError(caught)) }));
      }
    });
  }

  const expiresIn = health.accessTokenExpiresIn;
  return (
    <section aria-label={t("title")} className="space-y-2 rounded-md bg-slate-50 p-3 text-sm" data-testid={`connection-health-${shop.id}`}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <span className={health.isFailing ? "font-medium text-rose-700" : "font-medium text-emerald-700"} data-testid="connection-status">
          {health.isFailing ? t("failing") : t("healthy")}
        </span>
        <Button size="sm" variant={health.isFailing ? "danger" : "outline"} onClick={refreshNow} disabled={isPending}>
          {isPending ? t("refreshing") : t("refreshNow")}
        </Button>
      </div>
      {health.isFailing ? (
        <ul className="list-inside list-disc text-rose-700">
          {health.problems.map((problem) => (
            <li key={problem}>{t(`problem.${problem}`)}</li>
          ))}
        </ul>
      ) : null}
      <dl className="grid grid-cols-1 gap-x-4 gap-y-1 sm:grid-cols-[8rem_minmax(0,1fr)]">
        <dt className="text-slate-600">{t("lastMessageAt")}</dt>
        <dd className="tabular-nums">{at(health.lastMessageAt)}</dd>
        <dt className="text-slate-600">{t("lastAnswerAt")}</dt>
        <dd className="tabular-nums">{at(health.lastAnswerAt)}</dd>
        <dt className="text-slate-600">{t("accessTokenExpiresAt")}</dt>
        <dd className={expiresIn?.isPast ? "text-rose-700 tabular-nums" : "tabular-nums"} data-testid="token-expiry">
          {health.accessTokenExpiresAt && expiresIn ? (
            t("expiresAt", {
              at: at(health.accessTokenExpiresAt),
              relative: t(expiresIn.isPast ? "relative.past" : "relative.future", { count: expiresIn.count, unit: expiresIn.unit }),
            })
          ) : (
            <span className="text-slate-600">{t("noExpiry")}</span>
          )}
        </dd>
        {health.refreshTokenExpiresAt ? (
          <>
            <dt className="text-slate-600">{t("refreshTokenExpiresAt")}</dt>
            <dd className="tabular-nums">{at(health.refreshTokenExpiresAt)}</dd>
          </>
        ) : null}
        <dt className="text-slate-600">{t("tokenRefreshedAt")}</dt>
        <dd className="tabular-nums" data-testid="token-refreshed-at">
          {at(health.tokenRefreshedAt)}
        </dd>
        <dt className="text-slate-600">{t("lastError")}</dt>
        <dd data-testid="last-error">
          {health.lastError ? (
            <>
              <span className="break-all">{health.lastError}</span> <span className="text-slate-600 tabular-nums">{at(health.lastErrorAt)}</span>
            </>
          ) : (
            t("never")
          )}
        </dd>
      </dl>
    </section>
  );
}

/** The alert at the top of the settings page: every shop whose connection is failing, and why. */
export function ConnectionHealthBanner({ failing }: { failing: { shopId: string; shopName: string; problems: ConnectionHealthView["problems"] }[] }) {
  const t = useTranslations("connectionHealth");
  if (failing.length === 0) return null;
  return (
    <div role="alert" className="space-y-1 rounded-lg bg-rose-50 p-4 text-sm text-rose-900 ring-1 ring-rose-300" data-testid="connection-health-banner">
      <p className="font-semibold">{t("banner.title")}</p>
      <p>{t("banner.intro")}</p>
      <ul className="list-inside list-disc">
        {failing.map((shop) => (
          <li key={shop.shopId}>{t("banner.shop", { shop: shop.shopName, problems: shop.problems.map((problem) => t(`problem.${problem}`)).join(t("problemSeparator")) })}</li>
        ))}
      </ul>
    </div>
  );
}
