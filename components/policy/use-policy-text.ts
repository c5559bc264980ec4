"use client";

import { useTranslations } from "next-intl";
import { formatShanghaiDate } from "@/components/policy/format";
import type { ActionPermission } from "@/lib/policy/allowed-actions";

/** `facts` (the rule's) or `unknownFacts` (the API's JSON): what the platform could not tell for unknown_facts. */
type Ineligibility = { reason: string; openUntil?: Date | string; deadline?: Date | string; facts?: readonly string[]; unknownFacts?: readonly string[] };

/** Why a button is disabled, in words, for the card, the dialog and the Orders page. */
export function usePolicyText() {
  const t = useTranslations("policy");
  const tCard = useTranslations("card");
  const ineligibility = (eligibility: Ineligibility) => {
    const date = eligibility.openUntil ?? eligibility.deadline;
    const facts = (eligibility.facts ?? eligibility.unknownFacts ?? []).map((fact) => tCard(`facts.${fact}`)).join("、");
    return t(`notEligible.${eligibility.reason}`, { date: date ? formatShanghaiDate(date) : "", facts });
  };
  const permission = (allowed: ActionPermission): string | null => {
    if (allowed.isAllowed) return null;
    switch (allowed.reason) {
      case "negotiation_lock":
        return t("lockReason");
      case "not_rejectable":
        return allowed.rules.map((rule) => t(`notRejectable.${rule}`)).join("；");
      case "not_eligible":
        return ineligibility(allowed.eligibility);
      case "not_negotiable":
        return t("notNegotiable");
      case "answer_not_offered":
        return t(`answerNotOffered.${allowed.notOffered}`);
    }
  };
  return { ineligibility, permission };
}
