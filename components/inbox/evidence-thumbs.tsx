"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { Dialog, DialogContent } from "@/components/ui/dialog";

export function EvidenceThumbs({ evidence }: { evidence: { id: string; url: string }[] }) {
  const t = useTranslations("card");
  const [openIndex, setOpenIndex] = useState<number | null>(null);
  if (evidence.length === 0) return null;
  return (
    <div className="flex gap-2">
      {evidence.map((item, index) => (
        <button
          key={item.id}
          type="button"
          onClick={() => setOpenIndex(index)}
          className="overflow-hidden rounded border border-slate-200 hover:ring-2 hover:ring-emerald-400"
          aria-label={`${t("enlarge")}: ${t("evidenceAlt", { index: index + 1 })}`}
        >
          <img src={item.url} alt={t("evidenceAlt", { index: index + 1 })} width={56} height={42} className="h-[42px] w-14 object-cover" loading="lazy" referrerPolicy="no-referrer" />
        </button>
      ))}
      <Dialog open={openIndex !== null} onOpenChange={(open) => !open && setOpenIndex(null)}>
        {openIndex !== null ? (
          <DialogContent title={t("evidenceAlt", { index: openIndex + 1 })} closeLabel={t("enlarge")} className="w-[min(92vw,48rem)]">
            <img src={evidence[openIndex].url} alt={t("evidenceAlt", { index: openIndex + 1 })} className="w-full rounded" referrerPolicy="no-referrer" />
          </DialogContent>
        ) : null}
      </Dialog>
    </div>
  );
}
