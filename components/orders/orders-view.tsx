"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { toast } from "sonner";
import { ApiError } from "@/components/request-json";
import { PlatformBadge } from "@/components/inbox/badges";
import { postOpenEntry, putEntrySetting } from "@/components/policy/api";
import { formatShanghaiDate } from "@/components/policy/format";
import { usePolicyText } from "@/components/policy/use-policy-text";
import { Button } from "@/components/ui/button";
import { Table, TableBody, TableHead, Td, Th } from "@/components/ui/table";
import { Dialog, DialogClose, DialogContent } from "@/components/ui/dialog";
import { getPolicyProfile } from "@/lib/policy/profiles";
import type { OrderRow } from "@/lib/api-types";
import type { Platform } from "@/lib/domain";
import { formatFen } from "@/lib/money";
import { classifyRequestError } from "@/lib/request-error";

type EntrySetting = { shopId: string; shopName: string; platform: Platform; agentsMayOpenEntry: boolean };

function OpenEntryCell({ order, onOpened }: { order: OrderRow; onOpened: (order: OrderRow) => void }) {
  const t = useTranslations("orders");
  const tOwner = useTranslations("ownerPages");
  const text = usePolicyText();
  const [isConfirming, setConfirming] = useState(false);
  const mutation = useMutation({
    mutationFn: () => postOpenEntry(order.id),
    onSuccess: (updated) => {
      setConfirming(false);
      toast.success(t("opened", { date: updated.entryOpenUntil ? formatShanghaiDate(updated.entryOpenUntil) : "" }));
      onOpened(updated);
    },
    onError: (error) => {
      setConfirming(false);
      // Not eligible (any more): the row's reason shows after a reload; anything else in plain words
      const isIneligible = error instanceof ApiError && error.code === "not_eligible";
      toast.error(t("failed", { message: isIneligible ? tOwner("orders.notEligible") : tOwner(`requestError.${classifyRequestError(error)}`) }));
    },
  });
  // Disabled with the reason, the same the server gives with its 422 not_eligible
  const reason = !order.eligibility.eligible ? text.ineligibility(order.eligibility) : order.canOpenEntry ? null : t("ownerOnly");
  const reasonId = `${order.id}-entry-reason`;
  const autoCloseDays = getPolicyProfile(order.platform).entryReopen?.autoCloseDays ?? 30;
  return (
    <div className="space-y-1">
      {/* Opening lets the buyer ask again and cannot be taken back here: it is confirmed first */}
      <Button size="sm" variant="primary" disabled={reason !== null || mutation.isPending} aria-describedby={reason ? reasonId : undefined} onClick={() => setConfirming(true)}>
        {t("open")}
      </Button>
      {reason ? (
        <p id={reasonId} className="max-w-52 text-xs text-slate-600">
          {reason}
        </p>
      ) : null}
      <Dialog open={isConfirming} onOpenChange={(open) => !mutation.isPending && setConfirming(open)}>
        {isConfirming ? (
          <DialogContent
            title={tOwner("orders.confirmTitle")}
            description={tOwner("orders.confirmBody", { order: order.platformOrderId, title: order.title, days: autoCloseDays, times: order.entryTimesOpened })}
            closeLabel={tOwner("orders.close")}
          >
            <div className="flex justify-end gap-2">
              <DialogClose asChild>
                <Button disabled={mutation.isPending}>{tOwner("orders.cancel")}</Button>
              </DialogClose>
              <Button variant="primary" disabled={mutation.isPending} onClick={() => mutation.mutate()}>
                {tOwner("orders.confirm")}
              </Button>
            </div>
          </DialogContent>
        ) : null}
      </Dialog>
    </div>
  );
}

function EntrySettings({ settings }: { settings: EntrySetting[] }) {
  const t = useTranslations("orders");
  const tError = useTranslations("ownerPages.requestError");
  const [values, setValues] = useState(() => new Map(settings.map((setting) => [setting.shopId, setting.agentsMayOpenEntry])));
  async function change(shopId: string, value: boolean) {
    setValues((current) => new Map(current).set(shopId, value));
    try {
      await putEntrySetting(shopId, value);
      toast.success(t("settingSaved"));
    } catch (error) {
      setValues((current) => new Map(current).set(shopId, !value));
      toast.error(t("failed", { message: tError(classifyRequestError(error)) }));
    }
  }
  return (
    <fieldset className="flex flex-wrap gap-x-6 gap-y-2 rounded-lg bg-white px-4 py-3 text-sm ring-1 ring-slate-200">
      <legend className="sr-only">{t("settings")}</legend>
      {settings
        .filter((setting) => getPolicyProfile(setting.platform).entryReopen !== null)
        .map((setting) => (
          <label key={setting.shopId} className="flex items-center gap-2">
            <input type="checkbox" checked={values.get(setting.shopId) ?? false} onChange={(event) => change(setting.shopId, event.target.checked)} />
            {setting.shopName} · {t("settings")}
          </label>
        ))}
    </fieldset>
  );
}

export function OrdersView({ q, orders, entrySettings }: { q: string; orders: OrderRow[]; entrySettings: EntrySetting[] | null }) {
  const t = useTranslations("orders");
  const router = useRouter();
  const [rows, setRows] = useState(orders);
  const [query, setQuery] = useState(q);

  return (
    <section aria-labelledby="orders-title" className="space-y-4">
      <h1 id="orders-title" className="text-lg font-semibold">
        {t("title")}
      </h1>
      <form
        role="search"
        className="flex gap-2"
        onSubmit={(event) => {
          event.preventDefault();
          router.push(query.trim() ? `/orders?q=${encodeURIComponent(query.trim())}` : "/orders");
        }}
      >
        <label className="sr-only" htmlFor="orders-q">
          {t("search")}
        </label>
        <input
          id="orders-q"
          type="search"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          placeholder={t("searchPlaceholder")}
          maxLength={100}
          className="w-80 rounded-md border border-slate-300 px-3 py-1.5 text-sm"
        />
        <Button type="submit">{t("submit")}</Button>
      </form>
      {entrySettings ? <EntrySettings settings={entrySettings} /> : null}
      {rows.length === 0 ? (
        <p className="rounded-lg bg-white px-4 py-12 text-center text-sm text-slate-600 ring-1 ring-slate-200">{t("empty")}</p>
      ) : (
        <Table frameProps={{ className: "focus-visible:outline-2 focus-visible:outline-emerald-700", tabIndex: 0, role: "group", "aria-label": t("title") }}>
            <TableHead>
              <tr>
                {(["order", "buyer", "period", "entry", "times", "refund", "action"] as const).map((column) => (
                  <Th key={column}>
                    {t(`columns.${column}`)}
                  </Th>
                ))}
              </tr>
            </TableHead>
            <TableBody>
              {rows.map((order) => (
                <tr key={order.id} data-order-id={order.id} className="align-top">
                  <Td>
                    <div className="flex items-center gap-2">
                      <PlatformBadge platform={order.platform} />
                      <span className="font-mono text-xs text-slate-600">{order.platformOrderId}</span>
                    </div>
                    <div className="mt-1 max-w-72 truncate text-slate-900" title={order.title} data-user-text>
                      {order.title}
                    </div>
                    <div className="text-xs text-slate-600">
                      <span data-user-text>{order.shop.name}</span> · {formatFen(order.amountFen)}
                    </div>
                  </Td>
                  <Td data-user-text>
                    {order.buyerNick}
                  </Td>
                  <Td className="tabular-nums">{order.periodEndsAt ? formatShanghaiDate(order.periodEndsAt) : t("notCompleted")}</Td>
                  <Td>
                    {order.entryOpenUntil ? (
                      <span className="text-emerald-700">{t("entryOpenUntil", { date: formatShanghaiDate(order.entryOpenUntil) })}</span>
                    ) : (
                      <span className="text-slate-600">{t("entryClosed")}</span>
                    )}
                  </Td>
                  <Td className="tabular-nums">{order.entryTimesOpened}</Td>
                  <Td>{t(`priorRefund.${order.priorRefund}`)}</Td>
                  <Td>
                    <OpenEntryCell order={order} onOpened={(updated) => setRows((current) => current.map((row) => (row.id === updated.id ? updated : row)))} />
                  </Td>
                </tr>
              ))}
            </TableBody>
        </Table>
      )}
    </section>
  );
}
