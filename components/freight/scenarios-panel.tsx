"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Download, Trash2 } from "lucide-react";
import { useFormatter, useLocale, useTranslations } from "next-intl";
import { useState } from "react";
import { toast } from "sonner";
import { deleteScenario, fetchScenarios, freightKeys, getScenarioExportUrl, postScenario } from "@/components/freight/api";
import { formatShare } from "@/components/freight/format";
import { Button } from "@/components/ui/button";
import { formatFen } from "@/lib/money";
import { classifyRequestError } from "@/lib/request-error";
import type { SavedScenario } from "@/lib/return-freight/api";
import { estimateReturnFreight, formatVerdictSentence, getVerdict } from "@/lib/return-freight/estimator";
import type { EstimatorParameters } from "@/lib/return-freight/parameters";
import { Table, TableBody, TableHead, Td, Th } from "@/components/ui/table";

type ScenariosPanelProps = {
  shopId: string;
  windowDays: number;
  parameters: EstimatorParameters;
  initialScenarios?: SavedScenario[];
};

export function ScenariosPanel({ shopId, windowDays, parameters, initialScenarios }: ScenariosPanelProps) {
  const t = useTranslations("freight.scenarios");
  const tFreight = useTranslations("freight");
  const tError = useTranslations("ownerPages.requestError");
  const locale = useLocale();
  const format = useFormatter();
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [selected, setSelected] = useState<string[]>([]);
  const scenariosQuery = useQuery({
    queryKey: freightKeys.scenarios(shopId),
    queryFn: () => fetchScenarios(shopId),
    initialData: initialScenarios ? { scenarios: initialScenarios } : undefined,
  });
  const create = useMutation({
    mutationFn: () => postScenario({ shopId, name: name.trim(), windowDays, parameters }),
    onSuccess: () => {
      setName("");
      toast.success(t("saved"));
      return queryClient.invalidateQueries({ queryKey: freightKeys.scenarios(shopId) });
    },
    onError: (error) => toast.error(t("failed", { message: tError(classifyRequestError(error)) })),
  });
  const remove = useMutation({
    mutationFn: deleteScenario,
    onSuccess: (_result, id) => {
      setSelected((ids) => ids.filter((other) => other !== id));
      return queryClient.invalidateQueries({ queryKey: freightKeys.scenarios(shopId) });
    },
    onError: (error) => toast.error(t("failed", { message: tError(classifyRequestError(error)) })),
  });
  const scenarios = scenariosQuery.data?.scenarios ?? [];
  const compared = selected.map((id) => scenarios.find((scenario) => scenario.id === id)).filter((scenario): scenario is SavedScenario => !!scenario);
  const toggle = (id: string) => setSelected((ids) => (ids.includes(id) ? ids.filter((other) => other !== id) : [...ids, id].slice(-2)));

  const rows: { label: string; value: (scenario: SavedScenario) => string }[] = [
    { label: t("window"), value: (scenario) => t("windowDays", { days: scenario.windowDays }) },
    { label: t("shipped"), value: (scenario) => Math.round(estimateReturnFreight(scenario.parameters).shippedOrders).toLocaleString("en-US") },
    { label: t("returnRate"), value: (scenario) => formatShare(estimateReturnFreight(scenario.parameters).shopReturnRate) },
    { label: t("premium"), value: (scenario) => formatFen(estimateReturnFreight(scenario.parameters).premiumFen) },
    { label: t("costWithout"), value: (scenario) => formatFen(estimateReturnFreight(scenario.parameters).costWithoutFen) },
    { label: t("costWith"), value: (scenario) => formatFen(estimateReturnFreight(scenario.parameters).costWithFen) },
    { label: t("saving"), value: (scenario) => formatFen(estimateReturnFreight(scenario.parameters).savingFen) },
    { label: t("savingShare"), value: (scenario) => formatShare(estimateReturnFreight(scenario.parameters).savingShare) },
    { label: t("breakEven"), value: (scenario) => formatFen(estimateReturnFreight(scenario.parameters).breakEvenPremiumFen) },
    { label: t("verdict"), value: (scenario) => formatVerdictSentence(getVerdict(scenario.parameters), tFreight) },
  ];

  return (
    <section aria-labelledby="scenarios-title" className="space-y-3 rounded-lg bg-white p-4 ring-1 ring-slate-200">
      <div className="flex flex-wrap items-center gap-2">
        <h2 id="scenarios-title" className="mr-auto font-medium">
          {t("title")}
        </h2>
        <a
          href={getScenarioExportUrl(shopId, locale, compared.length ? compared.map((scenario) => scenario.id) : undefined)}
          className="inline-flex items-center gap-1 text-sm text-emerald-800 hover:underline"
          aria-disabled={scenarios.length === 0}
          download
        >
          <Download className="size-4" aria-hidden />
          {compared.length ? t("exportSelected") : t("exportAll")}
        </a>
      </div>
      <form
        className="flex flex-wrap items-center gap-2"
        onSubmit={(event) => {
          event.preventDefault();
          if (name.trim()) create.mutate();
        }}
      >
        <label className="sr-only" htmlFor="scenario-name">
          {t("name")}
        </label>
        <input
          id="scenario-name"
          maxLength={60}
          placeholder={t("namePlaceholder")}
          className="min-w-48 flex-1 rounded-md border border-slate-300 px-2 py-1.5 text-sm"
          value={name}
          onChange={(event) => setName(event.target.value)}
        />
        <Button type="submit" variant="primary" disabled={!name.trim() || create.isPending}>
          {t("save")}
        </Button>
      </form>
      {scenariosQuery.isError ? (
        <p role="alert" className="text-sm text-rose-700">
          {t("loadFailed")}{" "}
          <button className="underline" onClick={() => scenariosQuery.refetch()}>
            {t("retry")}
          </button>
        </p>
      ) : scenariosQuery.isPending ? (
        <p role="status" className="text-sm text-slate-500">
          {t("loading")}
        </p>
      ) : scenarios.length === 0 ? (
        <p className="text-sm text-slate-500">{t("empty")}</p>
      ) : (
        <ul className="divide-y divide-slate-100 text-sm">
          {scenarios.map((scenario) => (
            <li key={scenario.id} className="flex items-center gap-2 py-1.5">
              <label className="flex flex-1 items-center gap-2">
                <input type="checkbox" checked={selected.includes(scenario.id)} onChange={() => toggle(scenario.id)} />
                <span className="font-medium" data-user-text>
                  {scenario.name}
                </span>
                <span className="text-xs text-slate-500">
                  {format.dateTime(new Date(scenario.createdAt), { month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hour12: false })}
                  {scenario.createdBy ? ` · ${scenario.createdBy.name}` : ""}
                </span>
              </label>
              <span className="tabular-nums text-slate-700">{formatFen(estimateReturnFreight(scenario.parameters).savingFen)}</span>
              <Button size="sm" variant="ghost" aria-label={t("delete", { name: scenario.name })} onClick={() => remove.mutate(scenario.id)}>
                <Trash2 className="size-4" aria-hidden />
              </Button>
            </li>
          ))}
        </ul>
      )}
      {compared.length === 2 ? (
        <Table
          density="compact"
          isFramed
          aria-label={t("compareTitle")}
          frameProps={{ className: "rounded bg-transparent ring-0 focus-visible:outline-2 focus-visible:outline-emerald-700", tabIndex: 0, role: "group", "aria-label": t("compareTitle") }}
        >
          <TableHead>
            <tr className="text-slate-500">
              <Th>{t("compareTitle")}</Th>
              {compared.map((scenario) => (
                <Th key={scenario.id} className="text-slate-800">
                  {scenario.name}
                </Th>
              ))}
            </tr>
          </TableHead>
          <TableBody>
            {rows.map((row) => (
              <tr key={row.label}>
                <Th scope="row" className="font-normal text-slate-500">
                  {row.label}
                </Th>
                {compared.map((scenario) => (
                  <Td key={scenario.id} className="tabular-nums">
                    {row.value(scenario)}
                  </Td>
                ))}
              </tr>
            ))}
          </TableBody>
        </Table>
      ) : scenarios.length >= 2 ? (
        <p className="text-xs text-slate-500">{t("compareHint")}</p>
      ) : null}
    </section>
  );
}
