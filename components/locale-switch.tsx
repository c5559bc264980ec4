"use client";

import { Languages } from "lucide-react";
import { useRouter } from "next/navigation";
import { useLocale, useTranslations } from "next-intl";
import { useTransition } from "react";
import { setLocale } from "@/app/_server/locale-action";
import { Button } from "@/components/ui/button";

export function LocaleSwitch() {
  const t = useTranslations("nav");
  const locale = useLocale();
  const router = useRouter();
  const [isPending, startTransition] = useTransition();
  return (
    <Button
      variant="ghost"
      size="sm"
      aria-label={t("languageLabel")}
      disabled={isPending}
      onClick={() =>
        startTransition(async () => {
          await setLocale(locale === "en" ? "zh-CN" : "en");
          router.refresh();
        })
      }
    >
      <Languages className="size-4" aria-hidden />
      {t("language")}
    </Button>
  );
}
