"use client";

import { useFormatter, useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { toast } from "sonner";
import { DeliveryErrorText } from "@/components/settings/delivery-error-text";
import { settingsApi } from "@/components/settings/settings-api";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import type { DeliveryRow, OutboxStatus, WebhookEventRow } from "@/lib/webhook/settings-types";
import { classifyRequestError } from "@/lib/request-error";

const dateTime = { dateStyle: "short", timeStyle: "medium" } as const;
const cell = "px-3 py-2";
const head = "px-3 py-2 font-medium";

const statusStyles: Record<OutboxStatus, string> = {
  pending: "bg-amber-50 text-amber-800 ring-amber-200",
  delivered: "bg-emerald-50 text-emerald-800 ring-emerald-200",
  dead: "bg-rose-50 text-rose-800 ring-rose-200",
  refused: "bg-rose-100 text-rose-900 ring-rose-300",
};

export function EventsTable({ events, shopNames }: { events: WebhookEventRow[]; shopNames: Record<string, string> }) {
  const t = useTranslations("webhooks");
  const format = useFormatter();
  return (
    <section aria-labelledby="events-title" className="space-y-2">
      <h2 id="events-title" className="font-semibold">
        {t("events")}
      </h2>
      {events.length === 0 ? (
        <p className="text-sm text-slate-600">{t("noEvents")}</p>
      ) : (
        <div className="overflow-x-auto rounded-lg bg-white ring-1 ring-slate-200">
          <table className="w-full text-left text-sm">
            <thead className="bg-slate-50 text-slate-600">
              <tr>
                <th className={head}>{t("receivedAt")}</th>
                <th className={head}>{t("shop")}</th>
                <th className={head}>{t("type")}</th>
                <th className={head}>{t("eventId")}</th>
                <th className={head}>{t("requestId")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {events.map((event) => (
                <tr key={event.id}>
                  <td className={cn(cell, "tabular-nums")}>{format.dateTime(new Date(event.receivedAt), dateTime)}</td>
                  <td className={cell}>{shopNames[event.shopId]}</td>
                  <td className={cell}>
                    <code>{event.type}</code>
                  </td>
                  <td className={cell}>
                    <code className="break-all">{event.eventId}</code>
                  </td>
                  <td className={cn(cell, "tabular-nums")}>{event.platformRequestId ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function DeliveriesTable({ deliveries, shopNames }: { deliveries: DeliveryRow[]; shopNames: Record<string, string> }) {
  const t = useTranslations("webhooks");
  const tError = useTranslations("ownerPages.requestError");
  const format = useFormatter();
  const router = useRouter();
  const [isPending, startTransition] = useTransition();

  function retry(id: number) {
    startTransition(async () => {
      try {
        await settingsApi.retryDelivery(id);
        toast.success(t("retried"));
        router.refresh();
      } catch (error) {
        toast.error(t("failed", { message: tError(classifyRequestError(error)) }));
      }
    });
  }

  return (
    <section aria-labelledby="deliveries-title" className="space-y-2">
      <h2 id="deliveries-title" className="font-semibold">
        {t("deliveries")}
      </h2>
      {deliveries.length === 0 ? (
        <p className="text-sm text-slate-600">{t("noDeliveries")}</p>
      ) : (
        <div className="overflow-x-auto rounded-lg bg-white ring-1 ring-slate-200">
          <table className="w-full text-left text-sm">
            <thead className="bg-slate-50 text-slate-600">
              <tr>
                <th className={head}>{t("createdAt")}</th>
                <th className={head}>{t("shop")}</th>
                <th className={head}>{t("requestId")}</th>
                <th className={head}>{t("status")}</th>
                <th className={head}>{t("attempts")}</th>
                <th className={head}>{t("nextAttempt")}</th>
                <th className={head}>{t("lastError")}</th>
                <th className={head}>{t("actions")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {deliveries.map((delivery) => (
                <tr key={delivery.id} data-testid="delivery-row" data-status={delivery.status}>
                  <td className={cn(cell, "tabular-nums")}>{format.dateTime(new Date(delivery.createdAt), dateTime)}</td>
                  <td className={cell}>{shopNames[delivery.shopId]}</td>
                  <td className={cn(cell, "tabular-nums")}>{delivery.platformRequestId}</td>
                  <td className={cell}>
                    <span className={cn("rounded px-1.5 py-0.5 text-xs font-medium ring-1 ring-inset", statusStyles[delivery.status])}>
                      {t(`deliveryStatus.${delivery.status}`)}
                    </span>
                  </td>
                  <td className={cn(cell, "tabular-nums")}>{delivery.attempts}</td>
                  <td className={cn(cell, "tabular-nums")}>
                    {delivery.status === "pending" ? format.dateTime(new Date(delivery.nextAttemptAt), dateTime) : "—"}
                  </td>
                  <td className={cn(cell, "max-w-64 text-slate-600")}>
                    <DeliveryErrorText error={delivery.lastError} status={delivery.status} />
                  </td>
                  <td className={cell}>
                    {/* A dead row whose card came back (or a refused one) is answered by the agents' next decision, not resent */}
                    {delivery.isRetryable ? (
                      <Button size="sm" onClick={() => retry(delivery.id)} disabled={isPending}>
                        {t("retry")}
                      </Button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
