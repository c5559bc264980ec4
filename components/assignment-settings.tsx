"use client";

import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { toast } from "sonner";
import { requestJson } from "@/components/request-json";
import { Button } from "@/components/ui/button";
import { classifyRequestError } from "@/lib/request-error";

export function AssignmentSettings({ shop }: { shop: { id: string; name: string; autoAssign: boolean; assignCap: number } }) {
  const t = useTranslations("claim");
  const tError = useTranslations("ownerPages.requestError");
  const [autoAssign, setAutoAssign] = useState(shop.autoAssign);
  const [cap, setCap] = useState(shop.assignCap);
  const save = useMutation({
    mutationFn: async () => {
      await requestJson(`/api/shops/${shop.id}/assignment`, { method: "PUT", json: { autoAssign, cap } });
    },
    onSuccess: () => toast.success(t("saved")),
    onError: (error) => toast.error(tError(classifyRequestError(error))),
  });
  return (
    <form
      className="flex flex-wrap items-center gap-4 text-sm"
      aria-label={`${t("assignment")} · ${shop.name}`}
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate();
      }}
    >
      <span className="w-48 font-medium">{shop.name}</span>
      <label className="flex items-center gap-1.5">
        <input type="checkbox" checked={autoAssign} onChange={(event) => setAutoAssign(event.target.checked)} className="accent-emerald-700" />
        {t("autoAssign")}
      </label>
      <label className="flex items-center gap-1.5">
        {t("cap")}
        <input type="number" min={1} max={50} value={cap} onChange={(event) => setCap(Number(event.target.value))} className="w-16 rounded border border-slate-300 px-2 py-1" />
      </label>
      <Button type="submit" size="sm" disabled={save.isPending}>
        {t("save")}
      </Button>
    </form>
  );
}
