"use client";

import { useMutation } from "@tanstack/react-query";
import { ArrowDown, ArrowUp, Plus, Trash2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useMemo, useState } from "react";
import { toast } from "sonner";
import { ApiError } from "@/components/request-json";
import { putRules } from "@/components/rules/api";
import { BacktestPanel } from "@/components/rules/backtest-panel";
import { ConditionFields } from "@/components/rules/condition-fields";
import { useLeaveGuard } from "@/components/rules/leave-guard";
import { describeRuleIssue } from "@/components/rules/rule-issue";
import { Button } from "@/components/ui/button";
import type { ShopRuleSettings } from "@/lib/rules/api-types";
import { ruleModes, ruleSetBody, type AutoRule, type RuleSet } from "@/lib/rules/schema";
import { findUnreachableRules } from "@/lib/rules/unreachable";
import { classifyRequestError } from "@/lib/request-error";

function nextRuleId(rules: readonly AutoRule[]): string {
  let number = rules.length + 1;
  while (rules.some((rule) => rule.id === `rule-${number}`)) number++;
  return `rule-${number}`;
}

/** One shop's switch and ordered rules; agents see the same page with every control disabled. */
export function RulesEditor({ shops, shopId, canEdit }: { shops: ShopRuleSettings[]; shopId: string; canEdit: boolean }) {
  const t = useTranslations();
  const router = useRouter();
  const saved = shops.find((shop) => shop.shopId === shopId) ?? shops[0];
  const [version, setVersion] = useState(saved.version);
  const [draft, setDraft] = useState<RuleSet>({ autoOpenEntry: saved.autoOpenEntry, rules: saved.rules });
  const [isDirty, setIsDirty] = useState(false);
  const disabled = !canEdit;
  const validation = ruleSetBody.safeParse(draft);
  // The same pure check as the server's, run on every edit
  const warnings = useMemo(() => findUnreachableRules(draft), [draft]);
  const issue = validation.success ? null : describeRuleIssue(validation.error.issues[0]);
  // Leaving with unsaved edits asks first: closing the tab, a link, or switching shop
  const confirmLeave = useLeaveGuard(isDirty && !disabled, t("ownerPages.rules.leaveConfirm"));

  const update = (next: RuleSet) => {
    setDraft(next);
    setIsDirty(true);
  };
  const updateRule = (index: number, rule: AutoRule) => update({ ...draft, rules: draft.rules.map((candidate, at) => (at === index ? rule : candidate)) });
  const moveRule = (index: number, offset: -1 | 1) => {
    const rules = [...draft.rules];
    [rules[index], rules[index + offset]] = [rules[index + offset], rules[index]];
    update({ ...draft, rules });
  };

  const save = useMutation({
    mutationFn: () => putRules({ shopId: saved.shopId, expectedVersion: version, ruleSet: draft }),
    onSuccess: ({ settings }) => {
      setVersion(settings.version);
      setIsDirty(false);
      toast.success(t("rules.saved"));
      router.refresh();
    },
    onError: (error) => toast.error(error instanceof ApiError && error.code === "conflict" ? t("rules.conflict") : t("rules.saveFailed", { message: t(`ownerPages.requestError.${classifyRequestError(error)}`) })),
  });

  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="mr-auto text-lg font-semibold">{t("rules.title")}</h1>
        {shops.length > 1 ? (
          <label className="text-sm">
            <span className="mr-2 text-slate-600">{t("rules.shop")}</span>
            <select
              className="h-9 rounded-md border border-slate-300 px-2"
              value={saved.shopId}
              onChange={(event) => {
                if (confirmLeave()) router.push(`/rules?shop=${event.target.value}`);
              }}
            >
              {shops.map((shop) => (
                <option key={shop.shopId} value={shop.shopId}>
                  {shop.shopName}
                </option>
              ))}
            </select>
          </label>
        ) : null}
      </div>
      <p className="text-sm text-slate-600">{t("rules.intro")}</p>
      {disabled ? (
        <p role="status" className="rounded-md bg-amber-50 p-3 text-sm text-amber-900 ring-1 ring-amber-200">
          {t("rules.readOnly")}
        </p>
      ) : null}

      <section className="rounded-lg bg-white p-4 ring-1 ring-slate-200">
        <label className="flex items-start gap-3">
          <input
            type="checkbox"
            role="switch"
            className="mt-1 h-4 w-4"
            checked={draft.autoOpenEntry}
            aria-checked={draft.autoOpenEntry}
            disabled={disabled}
            onChange={(event) => update({ ...draft, autoOpenEntry: event.target.checked })}
          />
          <span>
            <span className="block font-medium">{t("rules.autoOpen.label")}</span>
            <span className="block text-sm text-slate-600">{t("rules.autoOpen.help")}</span>
          </span>
        </label>
      </section>

      <section className="space-y-3" aria-labelledby="rules-heading">
        <div className="flex items-center gap-3">
          <h2 id="rules-heading" className="mr-auto font-medium">
            {t("rules.rulesHeading")}
          </h2>
          {!disabled ? (
            <Button
              onClick={() =>
                update({
                  ...draft,
                  rules: [
                    ...draft.rules,
                    { id: nextRuleId(draft.rules), name: t("rules.newRuleName", { number: draft.rules.length + 1 }), enabled: true, mode: "dry_run", conditions: {}, action: "approve" },
                  ],
                })
              }
            >
              <Plus aria-hidden className="h-4 w-4" />
              {t("rules.addRule")}
            </Button>
          ) : null}
        </div>
        {draft.rules.length === 0 ? <p className="text-sm text-slate-600">{t("rules.noRules")}</p> : null}
        <ol className="space-y-3">
          {draft.rules.map((rule, index) => {
            const warning = warnings.find((candidate) => candidate.ruleId === rule.id);
            const idPrefix = `rule-${index}`;
            return (
              <li key={rule.id} className="space-y-3 rounded-lg bg-white p-4 ring-1 ring-slate-200" aria-label={t("rules.rule.position", { number: index + 1 })}>
                <div className="flex flex-wrap items-end gap-3">
                  <span className="text-sm font-medium text-slate-600">{t("rules.rule.position", { number: index + 1 })}</span>
                  <div className="space-y-1">
                    <label htmlFor={`${idPrefix}-name`} className="block text-xs font-medium text-slate-600">
                      {t("rules.rule.name")}
                    </label>
                    <input
                      id={`${idPrefix}-name`}
                      className="h-8 w-56 rounded-md border border-slate-300 px-2 text-sm disabled:bg-slate-50"
                      value={rule.name}
                      maxLength={40}
                      disabled={disabled}
                      onChange={(event) => updateRule(index, { ...rule, name: event.target.value })}
                    />
                  </div>
                  <label className="inline-flex h-8 items-center gap-1 text-sm">
                    <input type="checkbox" checked={rule.enabled} disabled={disabled} onChange={(event) => updateRule(index, { ...rule, enabled: event.target.checked })} />
                    {t("rules.rule.enabled")}
                  </label>
                  <div className="space-y-1">
                    <label htmlFor={`${idPrefix}-mode`} className="block text-xs font-medium text-slate-600">
                      {t("rules.rule.mode")}
                    </label>
                    <select
                      id={`${idPrefix}-mode`}
                      className="h-8 rounded-md border border-slate-300 px-2 text-sm disabled:bg-slate-50"
                      value={rule.mode}
                      disabled={disabled}
                      onChange={(event) => updateRule(index, { ...rule, mode: event.target.value === "live" ? "live" : "dry_run" })}
                    >
                      {ruleModes.map((mode) => (
                        <option key={mode} value={mode}>
                          {t(`rules.rule.modes.${mode}`)}
                        </option>
                      ))}
                    </select>
                  </div>
                  {!disabled ? (
                    <div className="ml-auto flex gap-1">
                      <Button size="sm" variant="ghost" aria-label={t("rules.rule.moveUp")} disabled={index === 0} onClick={() => moveRule(index, -1)}>
                        <ArrowUp aria-hidden className="h-4 w-4" />
                      </Button>
                      <Button size="sm" variant="ghost" aria-label={t("rules.rule.moveDown")} disabled={index === draft.rules.length - 1} onClick={() => moveRule(index, 1)}>
                        <ArrowDown aria-hidden className="h-4 w-4" />
                      </Button>
                      <Button size="sm" variant="danger" aria-label={t("rules.rule.remove")} onClick={() => update({ ...draft, rules: draft.rules.filter((_, at) => at !== index) })}>
                        <Trash2 aria-hidden className="h-4 w-4" />
                      </Button>
                    </div>
                  ) : null}
                </div>
                {warning ? (
                  <p role="alert" className="rounded-md bg-amber-50 p-2 text-sm text-amber-900 ring-1 ring-amber-200">
                    {warning.reason === "shadowed" ? t("rules.warnings.shadowed", { name: warning.byRuleName }) : t("rules.warnings.never_matches")}
                  </p>
                ) : null}
                <ConditionFields idPrefix={idPrefix} conditions={rule.conditions} disabled={disabled} onChange={(conditions) => updateRule(index, { ...rule, conditions })} />
                <p className="text-xs text-slate-600">{t("rules.rule.action")}</p>
              </li>
            );
          })}
        </ol>
      </section>

      {!disabled ? (
        <div className="flex items-center gap-3">
          <Button variant="primary" onClick={() => save.mutate()} disabled={!validation.success || save.isPending || !isDirty}>
            {save.isPending ? t("rules.saving") : t("rules.save")}
          </Button>
          {isDirty ? <span className="text-sm text-slate-600">{t("rules.unsaved")}</span> : null}
          {issue ? (
            <span role="alert" className="text-sm text-rose-700">
              {t(`ownerPages.rules.issue.${issue.key}`, { number: issue.number ?? 0, field: issue.field ? t(`rules.conditions.${issue.field}`) : "" })}
            </span>
          ) : null}
        </div>
      ) : null}

      {!disabled ? <BacktestPanel shopId={saved.shopId} ruleSet={draft} isValid={validation.success} /> : null}
    </div>
  );
}
