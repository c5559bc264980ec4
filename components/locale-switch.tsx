"use client";

import { Languages } from "lucide-react";
import { useRouter } from "next/navigation";
import { useLocale, useTranslations } from "next-intl";
import { useTransition } from "react";
import { setLocale } from "@/app/_server/locale-action";
import { Button } from "@/components/ui/button";

/** Switches between 中文 and English (a cookie) and re-renders the page in the other language. */
export function useSwitchLocale() {
  const locale = useLocale();
  const router = useRouter();
  const [isPending, startTransition] = useTransition();
  const switchLocale = () =>
    startTransition(async () => {
      await setLocale(locale === "en" ? "zh-CN" : "en");
      router.refresh();
    });
  return { isPending, switchLocale };
}

export function LocaleSwitch() {
  const t = useTranslations("nav");
  const { isPending, switchLocale } = useSwitchLocale();
  return (
    <Button variant="ghost" size="sm" aria-label={t("languageLabel")} disabled={isPending} onClick={switchLocale}>
      <Languages className="size-4" aria-hidden />
      {t("language")}
    </Button>
  );
}
