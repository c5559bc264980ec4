"use client";

import { useFormatter, useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { toast } from "sonner";
import { DeliveryErrorText } from "@/components/settings/delivery-error-text";
import { settingsApi } from "@/components/settings/settings-api";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Table, TableBody, TableHead, Td, Th } from "@/components/ui/table";
import type { DeliveryRow, OutboxStatus, WebhookEventRow } from "@/lib/webhook/settings-types";
import { classifyRequestError } from "@/lib/request-error";

const dateTime = { dateStyle: "short", timeStyle: "medium" } as const;

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
        <Table>
            <TableHead>
              <tr>
                <Th>{t("receivedAt")}</Th>
                <Th>{t("shop")}</Th>
                <Th>{t("type")}</Th>
                <Th>{t("eventId")}</Th>
                <Th>{t("requestId")}</Th>
              </tr>
            </TableHead>
            <TableBody>
              {events.map((event) => (
                <tr key={event.id}>
                  <Td className="tabular-nums">{format.dateTime(new Date(event.receivedAt), dateTime)}</Td>
                  <Td>{shopNames[event.shopId]}</Td>
                  <Td>
                    <code>{event.type}</code>
                  </Td>
                  <Td>
                    <code className="break-all">{event.eventId}</code>
                  </Td>
                  <Td className="tabular-nums">{event.platformRequestId ?? "—"}</Td>
                </tr>
              ))}
            </TableBody>
        </Table>
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
        <Table>
            <TableHead>
              <tr>
                <Th>{t("createdAt")}</Th>
                <Th>{t("shop")}</Th>
                <Th>{t("requestId")}</Th>
                <Th>{t("status")}</Th>
                <Th>{t("attempts")}</Th>
                <Th>{t("nextAttempt")}</Th>
                <Th>{t("lastError")}</Th>
                <Th>{t("actions")}</Th>
              </tr>
            </TableHead>
            <TableBody>
              {deliveries.map((delivery) => (
                <tr key={delivery.id} data-testid="delivery-row" data-status={delivery.status}>
                  <Td className="tabular-nums">{format.dateTime(new Date(delivery.createdAt), dateTime)}</Td>
                  <Td>{shopNames[delivery.shopId]}</Td>
                  <Td className="tabular-nums">{delivery.platformRequestId}</Td>
                  <Td>
                    <span className={cn("rounded px-1.5 py-0.5 text-xs font-medium ring-1 ring-inset", statusStyles[delivery.status])}>
                      {t(`deliveryStatus.${delivery.status}`)}
                    </span>
                  </Td>
                  <Td className="tabular-nums">{delivery.attempts}</Td>
                  <Td className="tabular-nums">
                    {delivery.status === "pending" ? format.dateTime(new Date(delivery.nextAttemptAt), dateTime) : "—"}
                  </Td>
                  <Td className="max-w-64 text-slate-600">
                    <DeliveryErrorText error={delivery.lastError} status={delivery.status} />
                  </Td>
                  <Td>
                    {/* A dead row whose card came back (or a refused one) is answered by the agents' next decision, not resent */}
                    {delivery.isRetryable ? (
                      <Button size="sm" onClick={() => retry(delivery.id)} disabled={isPending}>
                        {t("retry")}
                      </Button>
                    ) : null}
                  </Td>
                </tr>
              ))}
            </TableBody>
        </Table>
      )}
    </section>
  );
}
