"use client";

import { useTranslations } from "next-intl";
import { buyerReasonCodes } from "@/lib/buyer-reasons";
import { fenToYuan, yuanToFen } from "@/lib/money";
import { platforms, requestKinds } from "@/lib/domain";
import { productCategories } from "@/lib/policy/categories";
import type { RuleConditions } from "@/lib/rules/schema";

type Props = { conditions: RuleConditions; onChange: (conditions: RuleConditions) => void; disabled: boolean; idPrefix: string };

/** A list condition: nothing ticked means any value (the field is left out of the rule). */
function CheckboxGroup<T extends string>({
  legend,
  options,
  value,
  onChange,
  disabled,
}: {
  legend: string;
  options: readonly { value: T; label: string }[];
  value: T[] | undefined;
  onChange: (value: T[] | undefined) => void;
  disabled: boolean;
}) {
  const selected = new Set(value ?? []);
  return (
    <fieldset className="space-y-1">
      <legend className="text-xs font-medium text-slate-600">{legend}</legend>
      <div className="flex flex-wrap gap-x-3 gap-y-1">
        {options.map((option) => (
          <label key={option.value} className="inline-flex items-center gap-1 text-sm">
            <input
              type="checkbox"
              checked={selected.has(option.value)}
              disabled={disabled}
              onChange={(event) => {
                const next = options.map((candidate) => candidate.value).filter((candidate) => (candidate === option.value ? event.target.checked : selected.has(candidate)));
                onChange(next.length ? next : undefined);
              }}
            />
            {option.label}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

function NumberField({
  id,
  label,
  value,
  onChange,
  disabled,
  isMoney = false,
}: {
  id: string;
  label: string;
  value: number | undefined;
  onChange: (value: number | undefined) => void;
  disabled: boolean;
  isMoney?: boolean;
}) {
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-xs font-medium text-slate-600">
        {label}
      </label>
      <input
        id={id}
        type="number"
        min={0}
        step={isMoney ? 0.01 : 1}
        className="h-8 w-32 rounded-md border border-slate-300 px-2 text-sm tabular-nums disabled:bg-slate-50"
        value={value === undefined ? "" : isMoney ? fenToYuan(value) : value}
        disabled={disabled}
        onChange={(event) => {
          const text = event.target.value.trim();
          if (text === "") return onChange(undefined);
          const number = Number(text);
          if (!Number.isFinite(number) || number < 0) return;
          // Money is typed in yuan and kept in whole fen
          onChange(isMoney ? yuanToFen(number) : Math.floor(number));
        }}
      />
    </div>
  );
}

function ChoiceField({
  id,
  label,
  value,
  options,
  onChange,
  disabled,
}: {
  id: string;
  label: string;
  value: boolean | undefined;
  options: { any: string; yes: string; no: string };
  onChange: (value: boolean | undefined) => void;
  disabled: boolean;
}) {
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-xs font-medium text-slate-600">
        {label}
      </label>
      <select
        id={id}
        className="h-8 rounded-md border border-slate-300 px-2 text-sm disabled:bg-slate-50"
        value={value === undefined ? "any" : value ? "yes" : "no"}
        disabled={disabled}
        onChange={(event) => onChange(event.target.value === "any" ? undefined : event.target.value === "yes")}
      >
        <option value="any">{options.any}</option>
        <option value="yes">{options.yes}</option>
        <option value="no">{options.no}</option>
      </select>
    </div>
  );
}

/** Every condition a rule can set; each edit hands back the whole conditions object. */
export function ConditionFields({ conditions, onChange, disabled, idPrefix }: Props) {
  const t = useTranslations();
  const set = <K extends keyof RuleConditions>(key: K, value: RuleConditions[K]) => {
    const next = { ...conditions };
    if (value === undefined) delete next[key];
    else next[key] = value;
    onChange(next);
  };
  return (
    <div className="space-y-3">
      <p className="text-xs text-slate-500">{t("rules.conditions.heading")}</p>
      <CheckboxGroup
        legend={t("rules.conditions.platforms")}
        options={platforms.map((value) => ({ value, label: t(`platform.${value}`) }))}
        value={conditions.platforms}
        onChange={(value) => set("platforms", value)}
        disabled={disabled}
      />
      <CheckboxGroup
        legend={t("rules.conditions.kinds")}
        options={requestKinds.map((value) => ({ value, label: t(`kind.${value}`) }))}
        value={conditions.kinds}
        onChange={(value) => set("kinds", value)}
        disabled={disabled}
      />
      <CheckboxGroup
        legend={t("rules.conditions.categories")}
        options={productCategories.map((value) => ({ value, label: t(`category.${value}`) }))}
        value={conditions.categories}
        onChange={(value) => set("categories", value)}
        disabled={disabled}
      />
      <CheckboxGroup
        legend={t("rules.conditions.reasonCodes")}
        options={buyerReasonCodes.map((value) => ({ value, label: t(`buyerReason.${value}`) }))}
        value={conditions.reasonCodes}
        onChange={(value) => set("reasonCodes", value)}
        disabled={disabled}
      />
      <div className="flex flex-wrap gap-4">
        <NumberField id={`${idPrefix}-order`} label={t("rules.conditions.maxOrderAmount")} value={conditions.maxOrderAmountFen} onChange={(value) => set("maxOrderAmountFen", value)} disabled={disabled} isMoney />
        <NumberField id={`${idPrefix}-requested`} label={t("rules.conditions.maxRequestedAmount")} value={conditions.maxRequestedAmountFen} onChange={(value) => set("maxRequestedAmountFen", value)} disabled={disabled} isMoney />
        <NumberField id={`${idPrefix}-min-days`} label={t("rules.conditions.minDays")} value={conditions.minDaysSinceCompleted} onChange={(value) => set("minDaysSinceCompleted", value)} disabled={disabled} />
        <NumberField id={`${idPrefix}-max-days`} label={t("rules.conditions.maxDays")} value={conditions.maxDaysSinceCompleted} onChange={(value) => set("maxDaysSinceCompleted", value)} disabled={disabled} />
        <NumberField id={`${idPrefix}-buyer`} label={t("rules.conditions.maxBuyerRequests")} value={conditions.maxBuyerRequests90d} onChange={(value) => set("maxBuyerRequests90d", value)} disabled={disabled} />
        <ChoiceField
          id={`${idPrefix}-evidence`}
          label={t("rules.conditions.hasEvidence")}
          value={conditions.hasEvidence}
          options={{ any: t("rules.conditions.any"), yes: t("rules.conditions.yes"), no: t("rules.conditions.no") }}
          onChange={(value) => set("hasEvidence", value)}
          disabled={disabled}
        />
        <ChoiceField
          id={`${idPrefix}-no-reason`}
          label={t("rules.conditions.noReason7d")}
          value={conditions.isNoReason7d}
          options={{ any: t("rules.conditions.any"), yes: t("rules.conditions.only"), no: t("rules.conditions.exclude") }}
          onChange={(value) => set("isNoReason7d", value)}
          disabled={disabled}
        />
      </div>
    </div>
  );
}
