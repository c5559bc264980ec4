"use client";

import { useTranslations } from "next-intl";
import type { RequestCard } from "@/lib/api-types";
import { isProductCategory } from "@/lib/policy/categories";

/** What the card cannot know about its order: an unmapped category and the facts the platform did not tell. */
export function CardOrderFacts({ card }: { card: RequestCard }) {
  const t = useTranslations("card");
  const unknownFacts = (card.order.unknownFacts ?? []).filter((fact) => fact !== "category");
  const isCategoryUnknown = !isProductCategory(card.order.category) || (card.order.unknownFacts ?? []).includes("category");
  if (!isCategoryUnknown && unknownFacts.length === 0) return null;
  return (
    <p className="flex flex-wrap gap-x-3 gap-y-1 text-xs text-amber-800" data-testid="order-facts-unknown">
      {isCategoryUnknown ? (
        <span>{isProductCategory(card.order.category) ? t("categoryNotTold") : t("categoryUnknown", { category: card.order.category })}</span>
      ) : null}
      {unknownFacts.length > 0 ? <span>{t("unknownFacts", { facts: unknownFacts.map((fact) => t(`facts.${fact}`)).join("、") })}</span> : null}
    </p>
  );
}
