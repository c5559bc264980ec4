"use client";

import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";

export default function DeskError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const t = useTranslations("errors");
  return (
    <div role="alert" className="mx-auto mt-16 max-w-md rounded-lg bg-white p-8 text-center shadow-sm ring-1 ring-rose-200">
      <h1 className="text-lg font-semibold text-rose-800">{t("title")}</h1>
      <p className="mt-2 text-sm text-slate-600">{error.digest ?? error.message}</p>
      <Button className="mt-6" onClick={reset}>
        {t("retry")}
      </Button>
    </div>
  );
}
