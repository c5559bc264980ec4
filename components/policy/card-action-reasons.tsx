"use client";

import { useTranslations } from "next-intl";
import { usePolicyText } from "@/components/policy/use-policy-text";
import type { ActionPermission, SellerAction } from "@/lib/policy/allowed-actions";

/** Why the card's disabled buttons are disabled, next to them (and named by aria-describedby). */
export function CardActionReasons({ id, actions }: { id: string; actions: Record<SellerAction, ActionPermission> }) {
  const t = useTranslations("policy.actions");
  const text = usePolicyText();
  const lines = (["approve", "reject", "counter_offer"] as const).flatMap((action) => {
    const permission = actions[action];
    // Cards that take no counter-offer show no such button, so there is nothing to explain
    if (!permission.isAllowed && permission.reason === "not_negotiable") return [];
    const reason = text.permission(permission);
    return reason ? [{ action, reason }] : [];
  });
  return (
    <p id={id} className="max-w-56 text-xs text-slate-500" data-testid="action-reasons">
      {lines.map(({ action, reason }) => (
        <span key={action} className="block">
          {t(action)}：{reason}
        </span>
      ))}
    </p>
  );
}
