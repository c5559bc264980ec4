"use client";

import { ChevronLeft, ChevronRight } from "lucide-react";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent } from "@/components/ui/dialog";

export function EvidenceThumbs({ evidence }: { evidence: { id: string; url: string }[] }) {
  const t = useTranslations("card");
  const [openIndex, setOpenIndex] = useState<number | null>(null);
  if (evidence.length === 0) return null;
  const count = evidence.length;
  // Previous of the first is the last, and next of the last the first: the arrows always move
  const step = (delta: number) => setOpenIndex((index) => (index === null ? null : (index + delta + count) % count));
  return (
    <div className="flex flex-wrap gap-2">
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
          <DialogContent
            title={t("evidenceAlt", { index: openIndex + 1 })}
            description={count > 1 ? t("evidencePosition", { index: openIndex + 1, count }) : undefined}
            closeLabel={t("evidenceClose")}
            className="w-[min(92vw,48rem)]"
            onKeyDown={(event) => {
              if (count < 2 || event.altKey || event.ctrlKey || event.metaKey) return;
              if (event.key === "ArrowLeft") step(-1);
              else if (event.key === "ArrowRight") step(1);
              else return;
              event.preventDefault();
            }}
          >
            <img src={evidence[openIndex].url} alt={t("evidenceAlt", { index: openIndex + 1 })} className="max-h-[65dvh] w-full rounded object-contain" referrerPolicy="no-referrer" />
            {count > 1 ? (
              <div className="mt-3 flex items-center justify-between gap-2">
                <Button onClick={() => step(-1)}>
                  <ChevronLeft className="size-4" aria-hidden />
                  {t("evidencePrevious")}
                </Button>
                <span className="text-sm text-slate-600 tabular-nums" aria-hidden>
                  {openIndex + 1} / {count}
                </span>
                <Button onClick={() => step(1)}>
                  {t("evidenceNext")}
                  <ChevronRight className="size-4" aria-hidden />
                </Button>
              </div>
            ) : null}
          </DialogContent>
        ) : null}
      </Dialog>
    </div>
  );
}
