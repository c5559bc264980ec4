"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { toast } from "sonner";
import { PlatformBadge } from "@/components/inbox/badges";
import { postOpenEntry, putEntrySetting } from "@/components/policy/api";
import { formatShanghaiDate } from "@/components/policy/format";
import { usePolicyText } from "@/components/policy/use-policy-text";
import { Button } from "@/components/ui/button";
import { getPolicyProfile } from "@/lib/policy/profiles";
import type { OrderRow } from "@/lib/api-types";
import type { Platform } from "@/lib/domain";
import { formatFen } from "@/lib/money";

type EntrySetting = { shopId: string; shopName: string; platform: Platform; agentsMayOpenEntry: boolean };

function OpenEntryCell({ order, onOpened }: { order: OrderRow; onOpened: (order: OrderRow) => void }) {
  const t = useTranslations("orders");
  const text = usePolicyText();
  const mutation = useMutation({
    mutationFn: () => postOpenEntry(order.id),
    onSuccess: (updated) => {
      toast.success(t("opened", { date: updated.entryOpenUntil ? formatShanghaiDate(updated.entryOpenUntil) : "" }));
      onOpened(updated);
    },
    onError: (error) => toast.error(t("failed", { message: error.message })),
  });
  // Disabled with the reason, the same the server gives with its 422 not_eligible
  const reason = !order.eligibility.eligible ? text.ineligibility(order.eligibility) : order.canOpenEntry ? null : t("ownerOnly");
  const reasonId = `${order.id}-entry-reason`;
  return (
    <div className="space-y-1">
      <Button size="sm" variant="primary" disabled={reason !== null || mutation.isPending} aria-describedby={reason ? reasonId : undefined} onClick={() => mutation.mutate()}>
        {t("open")}
      </Button>
      {reason ? (
        <p id={reasonId} className="max-w-52 text-xs text-slate-500">
          {reason}
        </p>
      ) : null}
    </div>
  );
}

function EntrySettings({ settings }: { settings: EntrySetting[] }) {
  const t = useTranslations("orders");
  const [values, setValues] = useState(() => new Map(settings.map((setting) => [setting.shopId, setting.agentsMayOpenEntry])));
  async function change(shopId: string, value: boolean) {
    setValues((current) => new Map(current).set(shopId, value));
    try {
      await putEntrySetting(shopId, value);
      toast.success(t("settingSaved"));
    } catch (error) {
      setValues((current) => new Map(current).set(shopId, !value));
      toast.error(t("failed", { message: error instanceof Error ? error.message : String(error) }));
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
        <p className="rounded-lg bg-white px-4 py-12 text-center text-sm text-slate-500 ring-1 ring-slate-200">{t("empty")}</p>
      ) : (
        <div className="overflow-x-auto rounded-lg bg-white ring-1 ring-slate-200">
          <table className="w-full text-sm">
            <thead className="bg-slate-50 text-left text-slate-600">
              <tr>
                {(["order", "buyer", "period", "entry", "times", "refund", "action"] as const).map((column) => (
                  <th key={column} scope="col" className="px-3 py-2 font-medium">
                    {t(`columns.${column}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((order) => (
                <tr key={order.id} data-order-id={order.id} className="align-top">
                  <td className="px-3 py-2">
                    <div className="flex items-center gap-2">
                      <PlatformBadge platform={order.platform} />
                      <span className="font-mono text-xs text-slate-600">{order.platformOrderId}</span>
                    </div>
                    <div className="mt-1 max-w-72 truncate text-slate-900" title={order.title}>
                      {order.title}
                    </div>
                    <div className="text-xs text-slate-500">
                      {order.shop.name} · {formatFen(order.amountFen)}
                    </div>
                  </td>
                  <td className="px-3 py-2">{order.buyerNick}</td>
                  <td className="px-3 py-2 tabular-nums">{order.periodEndsAt ? formatShanghaiDate(order.periodEndsAt) : t("notCompleted")}</td>
                  <td className="px-3 py-2">
                    {order.entryOpenUntil ? (
                      <span className="text-emerald-700">{t("entryOpenUntil", { date: formatShanghaiDate(order.entryOpenUntil) })}</span>
                    ) : (
                      <span className="text-slate-500">{t("entryClosed")}</span>
                    )}
                  </td>
                  <td className="px-3 py-2 tabular-nums">{order.entryTimesOpened}</td>
                  <td className="px-3 py-2">{t(`priorRefund.${order.priorRefund}`)}</td>
                  <td className="px-3 py-2">
                    <OpenEntryCell order={order} onOpened={(updated) => setRows((current) => current.map((row) => (row.id === updated.id ? updated : row)))} />
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
