"use client";

import { useTranslations } from "next-intl";
import { useState, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import type { Confidence } from "@/lib/return-freight/parameters";

/**
 * How sure a default is, in words: 官方 / 多方 / 单一来源, and 估 for our own estimates (which only ever warn,
 * never decide; docs/return-freight.md). The hint says what the word means.
 */
export function EstimateBadge({ confidence }: { confidence: Confidence }) {
  const t = useTranslations("freight");
  const tOwner = useTranslations("ownerPages.freight");
  if (confidence !== "E") {
    return (
      <span title={tOwner(`confidenceHint.${confidence}`)} className="rounded bg-slate-100 px-1 text-[11px] text-slate-700">
        {tOwner(`confidence.${confidence}`)}
      </span>
    );
  }
  return (
    <span title={t("estimateHint")} className="rounded bg-amber-100 px-1 text-[11px] font-semibold text-amber-900">
      {t("estimateBadge")}
    </span>
  );
}

type ParameterFieldProps = {
  label: string;
  source: string;
  confidence: Confidence;
  isOverridden: boolean;
  onReset: () => void;
  children: ReactNode;
};

export function ParameterField({ label, source, confidence, isOverridden, onReset, children }: ParameterFieldProps) {
  const t = useTranslations("freight");
  return (
    <div className="space-y-1 border-b border-slate-100 py-2 last:border-b-0">
      <div className="flex items-center gap-2 text-sm font-medium text-slate-800">
        {label}
        <EstimateBadge confidence={confidence} />
        {isOverridden ? (
          <Button size="sm" variant="ghost" className="ml-auto h-6 px-2 text-xs" onClick={onReset} aria-label={`${t("reset")}: ${label}`}>
            {t("reset")}
          </Button>
        ) : (
          // slate-600 on white is 7.6:1 (slate-400 was 2.6:1, under the 4.5:1 small text needs)
          <span className="ml-auto text-xs text-slate-600">{t("isDefault")}</span>
        )}
      </div>
      <div className="flex flex-wrap items-center gap-2">{children}</div>
      <p className="text-xs text-slate-600">
        {t("source")}: {source}
      </p>
    </div>
  );
}

type NumberInputProps = {
  label: string;
  value: number;
  /** Shown value = value / scale (fen → yuan: 100; share → %: 0.01). */
  scale?: number;
  unit?: string;
  min?: number;
  max?: number;
  step?: number;
  /** Model value is whole (fen). */
  isInteger?: boolean;
  onChange: (value: number) => void;
};

/** A number box that keeps what the owner types until it parses, then reports it in model units. */
export function NumberInput({ label, value, scale = 1, unit, min = 0, max, step = 0.01, isInteger = false, onChange }: NumberInputProps) {
  const shown = String(Number((value / scale).toFixed(4)));
  const [draft, setDraft] = useState<{ text: string; for: string } | null>(null);
  const text = draft && draft.for === shown ? draft.text : shown;
  return (
    <label className="flex items-center gap-1 text-sm text-slate-600">
      <span className="sr-only">{label}</span>
      <input
        type="number"
        inputMode="decimal"
        aria-label={label}
        className="w-24 rounded-md border border-slate-300 px-2 py-1 text-right tabular-nums"
        value={text}
        min={min}
        max={max}
        step={step}
        onChange={(event) => {
          const parsed = Number(event.target.value);
          const isValid = event.target.value !== "" && Number.isFinite(parsed) && parsed >= min && (max === undefined || parsed <= max);
          if (isValid) {
            const next = isInteger ? Math.round(parsed * scale) : Math.round(parsed * scale * 1e6) / 1e6;
            onChange(next);
            setDraft({ text: event.target.value, for: String(Number((next / scale).toFixed(4))) });
          } else {
            setDraft({ text: event.target.value, for: shown });
          }
        }}
      />
      {unit ? <span>{unit}</span> : null}
    </label>
  );
}
