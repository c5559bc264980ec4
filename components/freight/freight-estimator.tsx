"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { usePathname, useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { toast } from "sonner";
import { fetchFreightInputs, freightKeys, putFreightSettings } from "@/components/freight/api";
import { formatShare } from "@/components/freight/format";
import { EstimateBadge, NumberInput, ParameterField } from "@/components/freight/parameter-field";
import { ScenariosPanel } from "@/components/freight/scenarios-panel";
import { ClaimComparisonChart, SensitivityChart } from "@/components/freight/sensitivity-chart";
import { PlatformBadge } from "@/components/inbox/badges";
import { Button } from "@/components/ui/button";
import type { Platform } from "@/lib/domain";
import { fenToYuanText, formatFen, parseYuanToFen } from "@/lib/money";
import { classifyRequestError } from "@/lib/request-error";
import { isProductCategory } from "@/lib/policy/categories";
import { freightWindowDays, type FreightInputsResponse, type FreightSettings, type ModelOverrides, type SavedScenario } from "@/lib/return-freight/api";
import { estimateReturnFreight, formatVerdictSentence, getCategoryBreakdown, getSensitivityGrid, getVerdict } from "@/lib/return-freight/estimator";
import { buyerZones, getDefaultSellerPaysShare, modelParameterDefaults, platformClaimedSavingShare, type BuyerZone } from "@/lib/return-freight/parameters";
import { buildShopParameters } from "@/lib/return-freight/shop-parameters";
import { Table, TableBody, TableHead, Td, Th } from "@/components/ui/table";

type FreightEstimatorProps = {
  shops: { id: string; name: string; platform: Platform }[];
  shopId: string;
  windowDays: number;
  initial: FreightInputsResponse;
  initialScenarios: SavedScenario[];
};

const selectClass = "rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm";

function Stat({ label, value, hint, how, testId }: { label: string; value: string; hint?: string; how: string; testId?: string }) {
  return (
    <div className="rounded-lg bg-white p-3 ring-1 ring-slate-200">
      <div className="text-xs text-slate-600">{label}</div>
      <div className="mt-1 text-lg font-semibold tabular-nums text-slate-900" data-testid={testId}>
        {value}
      </div>
      {hint ? <div className="text-xs text-slate-600">{hint}</div> : null}
      <div className="mt-1 text-xs text-slate-600">{how}</div>
    </div>
  );
}

type SourcedParameter = "zoneMix" | "freightFen" | "payoutFen" | "payoutCapFen" | "loading" | "premiumFloorFen" | "priceRatio" | "topUpShare" | "handlingFen";

export function FreightEstimator({ shops, shopId: initialShopId, windowDays: initialWindowDays, initial, initialScenarios }: FreightEstimatorProps) {
  const t = useTranslations("freight");
  const tz = useTranslations("freight.zones");
  const tCategory = useTranslations("category");
  const tOwner = useTranslations("ownerPages");
  // A default's source in the merchant's words, and how sure it is (the model's own notes are in docs/return-freight.md)
  const sourced = (name: SourcedParameter) => ({ source: tOwner(`freight.source.${name}`), confidence: modelParameterDefaults[name].confidence });
  const router = useRouter();
  const pathname = usePathname();
  const queryClient = useQueryClient();
  const [shopId, setShopId] = useState(initialShopId);
  const [windowDays, setWindowDays] = useState(initialWindowDays);
  const inputsQuery = useQuery({
    queryKey: freightKeys.inputs(shopId, windowDays),
    queryFn: () => fetchFreightInputs(shopId, windowDays),
    initialData: shopId === initialShopId && windowDays === initialWindowDays ? initial : undefined,
  });
  // The owner's edits, per shop; until the first edit the saved settings are shown.
  const [edits, setEdits] = useState<Record<string, FreightSettings>>({});
  const saved = inputsQuery.data?.settings;
  const settings = edits[shopId] ?? saved;
  const [quoteText, setQuoteText] = useState<Record<string, string>>({});

  const save = useMutation({
    mutationFn: (next: FreightSettings) => putFreightSettings(shopId, next),
    onSuccess: ({ settings: stored }) => {
      queryClient.setQueriesData<FreightInputsResponse>({ queryKey: [...freightKeys.all, "inputs", shopId] }, (old) => (old ? { ...old, settings: stored } : old));
      toast.success(t("saved"));
    },
    onError: (error) => toast.error(t("saveFailed", { message: tOwner(`requestError.${classifyRequestError(error)}`) })),
  });

  const selectContext = (nextShop: string, nextWindow: number) => {
    setShopId(nextShop);
    setWindowDays(nextWindow);
    router.replace(`${pathname}?${new URLSearchParams({ shop: nextShop, window: String(nextWindow) })}`, { scroll: false });
  };

  const model = useMemo(() => {
    if (!inputsQuery.data || !settings) return null;
    const shopParameters = buildShopParameters(inputsQuery.data.inputs, settings);
    const { parameters } = shopParameters;
    return {
      ...shopParameters,
      estimate: estimateReturnFreight(parameters),
      verdict: getVerdict(parameters),
      breakdown: getCategoryBreakdown(parameters),
      grid: getSensitivityGrid(parameters),
    };
  }, [inputsQuery.data, settings]);

  const update = (patch: Partial<FreightSettings>) => settings && setEdits((all) => ({ ...all, [shopId]: { ...settings, ...patch } }));
  const override = (patch: ModelOverrides) => settings && update({ overrides: { ...settings.overrides, ...patch } });
  const reset = (key: keyof ModelOverrides) => {
    if (!settings) return;
    const rest = { ...settings.overrides };
    delete rest[key];
    update({ overrides: rest });
  };
  const isDirty = !!settings && !!saved && JSON.stringify(settings) !== JSON.stringify(saved);

  const header = (
    <div className="flex flex-wrap items-end gap-3">
      <h1 id="freight-title" className="mr-auto text-lg font-semibold">
        {t("title")}
      </h1>
      {shops.length > 1 ? (
        <label className="flex items-center gap-1.5 text-sm text-slate-600">
          {t("shop")}
          <select className={selectClass} value={shopId} onChange={(event) => selectContext(event.target.value, windowDays)}>
            {shops.map((shop) => (
              <option key={shop.id} value={shop.id}>
                {shop.name}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <label className="flex items-center gap-1.5 text-sm text-slate-600">
        {t("window")}
        <select className={selectClass} value={windowDays} onChange={(event) => selectContext(shopId, Number(event.target.value))}>
          {freightWindowDays.map((days) => (
            <option key={days} value={days}>
              {t("windowDays", { days })}
            </option>
          ))}
        </select>
      </label>
    </div>
  );

  if (inputsQuery.isError) {
    return (
      <section aria-labelledby="freight-title" className="space-y-4">
        {header}
        <div role="alert" className="rounded-lg bg-white p-6 text-center ring-1 ring-rose-200">
          <p className="text-rose-800">{t("loadFailed", { message: tOwner(`requestError.${classifyRequestError(inputsQuery.error)}`) })}</p>
          <Button className="mt-3" onClick={() => inputsQuery.refetch()}>
            {t("retry")}
          </Button>
        </div>
      </section>
    );
  }
  if (!inputsQuery.data || !settings || !model) {
    return (
      <section aria-labelledby="freight-title" aria-busy="true" className="space-y-4">
        {header}
        <p role="status" className="rounded-lg bg-white p-6 text-center text-slate-500 ring-1 ring-slate-200">
          {t("loading")}
        </p>
      </section>
    );
  }

  const { inputs } = inputsQuery.data;
  const { parameters, origins, estimate, verdict, breakdown, grid } = model;
  const shop = shops.find((candidate) => candidate.id === shopId);
  const isEmpty = parameters.categories.length === 0;
  const quoteShown = quoteText[shopId] ?? (settings.quotedPremiumFen === null ? "" : fenToYuanText(settings.quotedPremiumFen));
  const sellerShare = getDefaultSellerPaysShare(settings.isFreeReturnPromised);
  const zoneValues = (key: "freightFen" | "payoutFen") =>
    buyerZones.map((zone: BuyerZone) => (
      <NumberInput
        key={zone}
        label={`${key === "freightFen" ? t("freight") : t("payout")} · ${tz(zone)}`}
        value={parameters[key][zone]}
        scale={100}
        isInteger
        unit={`${t("yuan")} · ${tz(zone)}`}
        onChange={(value) => override({ [key]: { ...parameters[key], [zone]: value } })}
      />
    ));

  return (
    <section aria-labelledby="freight-title" className="space-y-5">
      {header}
      <p className="text-sm text-slate-600">
        {shop ? <PlatformBadge platform={shop.platform} /> : null} {t("dataLine", { days: inputs.coveredDays, window: inputs.windowDays })}{" "}
        {inputs.coveredDays < inputs.windowDays ? t("youngShop", { days: inputs.coveredDays }) : null}
        {inputs.uncategorizedOrders > 0 ? ` ${t("uncategorized", { count: inputs.uncategorizedOrders })}` : null}
        {inputs.unknownZoneOrders > 0 ? ` ${t("unknownZone", { count: inputs.unknownZoneOrders })}` : null}
      </p>

      {isEmpty ? (
        <p role="status" className="rounded-lg bg-white p-6 text-center text-slate-600 ring-1 ring-slate-200">
          {t("empty", { days: inputs.windowDays })}
        </p>
      ) : (
        <>
          <div className="rounded-lg bg-emerald-50 p-4 ring-1 ring-emerald-200" aria-live="polite">
            <p className="text-base font-semibold text-emerald-900" data-testid="freight-verdict">
              {formatVerdictSentence(verdict, t)}
            </p>
            <p className="mt-1 text-xs text-emerald-800">{t("outOfMoney")}</p>
          </div>
          <div className="grid grid-cols-2 gap-3 md:grid-cols-3 lg:grid-cols-6">
            <Stat label={t("costWithout")} value={formatFen(estimate.costWithoutFen)} how={tOwner("freight.how.costWithout")} testId="cost-without" />
            <Stat label={t("costWith")} value={formatFen(estimate.costWithFen)} how={tOwner("freight.how.costWith")} testId="cost-with" />
            <Stat label={t("saving")} value={formatFen(estimate.savingFen)} hint={t("perOrder", { amount: formatFen(estimate.savingPerOrderFen) })} how={tOwner("freight.how.saving")} testId="saving" />
            <Stat label={t("savingShare")} value={formatShare(estimate.savingShare)} how={tOwner("freight.how.savingShare")} testId="saving-share" />
            <Stat label={t("breakEven")} value={formatFen(estimate.breakEvenPremiumFen)} hint={t("breakEvenHint")} how={tOwner("freight.how.breakEven")} testId="break-even" />
            <Stat
              label={estimate.premiumSource === "quote" ? t("premiumQuoted") : t("premiumEstimated")}
              value={formatFen(estimate.premiumFen)}
              hint={t("monthlyOrders", { count: Math.round(estimate.shippedOrders), rate: formatShare(estimate.shopReturnRate) })}
              how={estimate.premiumSource === "quote" ? tOwner("freight.how.premiumQuoted") : tOwner("freight.how.premiumEstimated")}
              testId="premium"
            />
          </div>
        </>
      )}

      <div className="grid grid-cols-1 gap-5 lg:grid-cols-[minmax(0,22rem)_minmax(0,1fr)]">
        <aside aria-labelledby="inputs-title" className="space-y-1 rounded-lg bg-white p-4 ring-1 ring-slate-200">
          <h2 id="inputs-title" className="font-medium">
            {t("inputsTitle")}
          </h2>
          <div className="space-y-1 border-b border-slate-100 py-2">
            <label className="block text-sm font-medium text-slate-800" htmlFor="freight-quote">
              {t("quote")}
            </label>
            <div className="flex items-center gap-2">
              <input
                id="freight-quote"
                inputMode="decimal"
                placeholder={t("quotePlaceholder", { premium: formatFen(estimate.premiumSource === "estimate" ? estimate.premiumFen : 0) })}
                className="w-28 rounded-md border border-slate-300 px-2 py-1 text-right tabular-nums"
                value={quoteShown}
                onChange={(event) => {
                  const text = event.target.value;
                  setQuoteText((all) => ({ ...all, [shopId]: text }));
                  if (text.trim() === "") update({ quotedPremiumFen: null });
                  else {
                    const fen = parseYuanToFen(text);
                    if (fen !== null && fen <= 100_000) update({ quotedPremiumFen: fen });
                  }
                }}
              />
              <span className="text-sm text-slate-600">{t("perOrderUnit")}</span>
            </div>
            <p className="text-xs text-slate-500">{t("quoteHint")}</p>
          </div>
          <div className="space-y-1 border-b border-slate-100 py-2 text-sm">
            <label className="flex items-center gap-2">
              <input type="checkbox" checked={settings.isFreeReturnPromised} onChange={(event) => update({ isFreeReturnPromised: event.target.checked })} />
              {t("freeReturn")}
              <EstimateBadge confidence={sellerShare.confidence} />
            </label>
            <p className="text-xs text-slate-500">
              {t("source")}: {settings.isFreeReturnPromised ? tOwner("freight.source.sellerShareFreeReturn") : t("sellerShareFromData")}
            </p>
            <label className="flex items-center gap-2">
              <input type="checkbox" checked={settings.isSubscribed} onChange={(event) => update({ isSubscribed: event.target.checked })} />
              {t("subscribed")}
            </label>
          </div>
          <div className="border-b border-slate-100 py-2 text-sm">
            <div className="flex items-center gap-2 font-medium text-slate-800">
              {t("zoneMix")}
              {origins.zoneMix === "default" ? <EstimateBadge confidence="E" /> : null}
            </div>
            <p className="tabular-nums text-slate-700">{buyerZones.map((zone) => `${tz(zone)} ${formatShare(parameters.zoneMix[zone], 0)}`).join(" · ")}</p>
            <p className="text-xs text-slate-500">
              {t("source")}: {origins.zoneMix === "shop_data" ? t("zoneMixFromData", { province: inputs.shop.shipFromProvince ?? "" }) : tOwner("freight.source.zoneMix")}
            </p>
          </div>
          <ParameterField label={t("freightPerZone")} {...sourced("freightFen")} isOverridden={origins.freightFen === "owner"} onReset={() => reset("freightFen")}>
            {zoneValues("freightFen")}
          </ParameterField>
          <ParameterField label={t("payoutPerZone")} {...sourced("payoutFen")} isOverridden={origins.payoutFen === "owner"} onReset={() => reset("payoutFen")}>
            {zoneValues("payoutFen")}
          </ParameterField>
          <ParameterField label={t("payoutCap")} {...sourced("payoutCapFen")} isOverridden={origins.payoutCapFen === "owner"} onReset={() => reset("payoutCapFen")}>
            <NumberInput label={t("payoutCap")} value={parameters.payoutCapFen} scale={100} isInteger unit={t("yuan")} onChange={(value) => override({ payoutCapFen: value })} />
          </ParameterField>
          <ParameterField label={t("loadingFactor")} {...sourced("loading")} isOverridden={origins.loading === "owner"} onReset={() => reset("loading")}>
            <NumberInput label={t("loadingFactor")} value={parameters.loading} min={0.5} max={5} unit={tOwner("freight.timesUnit")} onChange={(value) => override({ loading: value })} />
          </ParameterField>
          <ParameterField label={t("priceRatio")} {...sourced("priceRatio")} isOverridden={origins.priceRatio === "owner"} onReset={() => reset("priceRatio")}>
            <NumberInput label={t("priceRatio")} value={parameters.priceRatio} min={0.1} max={1.5} unit={tOwner("freight.timesUnit")} onChange={(value) => override({ priceRatio: value })} />
          </ParameterField>
          <ParameterField label={t("premiumFloor")} {...sourced("premiumFloorFen")} isOverridden={origins.premiumFloorFen === "owner"} onReset={() => reset("premiumFloorFen")}>
            <NumberInput label={t("premiumFloor")} value={parameters.premiumFloorFen} scale={100} isInteger unit={t("yuan")} onChange={(value) => override({ premiumFloorFen: value })} />
          </ParameterField>
          <ParameterField label={t("topUp")} {...sourced("topUpShare")} isOverridden={origins.topUpShare === "owner"} onReset={() => reset("topUpShare")}>
            <NumberInput label={t("topUp")} value={parameters.topUpShare} scale={0.01} max={100} step={1} unit="%" onChange={(value) => override({ topUpShare: value })} />
          </ParameterField>
          <ParameterField label={t("handling")} {...sourced("handlingFen")} isOverridden={origins.handlingFen === "owner"} onReset={() => reset("handlingFen")}>
            <NumberInput label={t("handling")} value={parameters.handlingFen} scale={100} isInteger unit={t("yuan")} onChange={(value) => override({ handlingFen: value })} />
          </ParameterField>
          <div className="flex gap-2 pt-3">
            <Button variant="primary" disabled={!isDirty || save.isPending} onClick={() => save.mutate(settings)}>
              {save.isPending ? t("savingSettings") : t("save")}
            </Button>
            <Button
              disabled={!isDirty}
              onClick={() => {
                setEdits((all) => Object.fromEntries(Object.entries(all).filter(([id]) => id !== shopId)));
                setQuoteText((all) => Object.fromEntries(Object.entries(all).filter(([id]) => id !== shopId)));
              }}
            >
              {t("discard")}
            </Button>
          </div>
        </aside>

        <div className="min-w-0 space-y-5">
          {isEmpty ? null : (
            <>
              <section aria-labelledby="sensitivity-title" className="rounded-lg bg-white p-4 ring-1 ring-slate-200">
                <h2 id="sensitivity-title" className="font-medium">
                  {t("sensitivityTitle")}
                </h2>
                <p className="mb-2 text-xs text-slate-500">{t("sensitivityHint")}</p>
                <SensitivityChart grid={grid} />
              </section>
              <section aria-labelledby="claim-title" className="rounded-lg bg-white p-4 ring-1 ring-slate-200">
                <h2 id="claim-title" className="font-medium">
                  {t("claimTitle")}
                </h2>
                <p className="text-xs text-slate-500">
                  {t("source")}: {tOwner("freight.source.platformClaim")}
                </p>
                <ClaimComparisonChart ourShare={estimate.savingShare} claimed={platformClaimedSavingShare.value} />
              </section>
              <section
                aria-labelledby="categories-title"
                tabIndex={0}
                className="overflow-x-auto rounded-lg bg-white p-4 ring-1 ring-slate-200 focus-visible:outline-2 focus-visible:outline-emerald-700"
              >
                <h2 id="categories-title" className="mb-2 font-medium">
                  {t("categoriesTitle")}
                </h2>
                <Table density="compact">
                  <TableHead className="text-slate-500">
                    <tr>
                      <Th>{t("category")}</Th>
                      <Th isNumeric>{t("shippedPerMonth")}</Th>
                      <Th isNumeric>{t("returnRate")}</Th>
                      <Th isNumeric>{t("sellerPays")}</Th>
                      <Th isNumeric>{t("costWithout")}</Th>
                      <Th isNumeric>{t("costWith")}</Th>
                      <Th isNumeric>{t("saving")}</Th>
                      <Th isNumeric>{t("breakEven")}</Th>
                    </tr>
                  </TableHead>
                  <TableBody>
                    {breakdown.map((row) => (
                      <tr key={row.categoryId}>
                        <Th scope="row">{isProductCategory(row.categoryId) ? tCategory(row.categoryId) : row.categoryId}</Th>
                        <Td isNumeric>{Math.round(row.shippedOrders).toLocaleString("en-US")}</Td>
                        <Td isNumeric>{formatShare(row.returnRate)}</Td>
                        <Td isNumeric>{formatShare(row.sellerPaysShare, 0)}</Td>
                        <Td isNumeric>{formatFen(row.costWithoutFen)}</Td>
                        <Td isNumeric>{formatFen(row.costWithFen)}</Td>
                        <Td isNumeric className={row.savingFen >= 0 ? "text-emerald-700" : "text-rose-700"}>
                          {formatFen(row.savingFen)}
                        </Td>
                        <Td isNumeric>{formatFen(row.breakEvenPremiumFen)}</Td>
                      </tr>
                    ))}
                  </TableBody>
                </Table>
              </section>
            </>
          )}
          <ScenariosPanel shopId={shopId} windowDays={windowDays} parameters={parameters} initialScenarios={shopId === initialShopId ? initialScenarios : undefined} />
        </div>
      </div>
    </section>
  );
}
