"use client";

import { useTranslations } from "next-intl";
import { Dialog, DialogContent } from "@/components/ui/dialog";

const shortcuts = [
  ["j / ↓", "next"],
  ["k / ↑", "previous"],
  ["a", "approve"],
  ["r", "reject"],
  ["o", "open"],
  ["x", "select"],
  ["Shift + A", "bulkApprove"],
  ["?", "help"],
] as const;

export function ShortcutsDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  const t = useTranslations("shortcuts");
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent title={t("title")} closeLabel={t("close")}>
        <dl className="grid grid-cols-[6.5rem_1fr] gap-y-2 text-sm">
          {shortcuts.map(([keys, action]) => (
            <div key={action} className="contents">
              <dt>
                <kbd className="rounded border border-slate-300 bg-slate-50 px-1.5 py-0.5 font-mono text-xs">{keys}</kbd>
              </dt>
              <dd className="text-slate-700">{t(action)}</dd>
            </div>
          ))}
        </dl>
      </DialogContent>
    </Dialog>
  );
}
