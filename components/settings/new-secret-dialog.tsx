"use client";

import { Check, Copy } from "lucide-react";
import { useTranslations } from "next-intl";
import { useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent } from "@/components/ui/dialog";

/**
 * The new webhook secret, shown this once (the desk stores it sealed and shows it masked afterwards): the owner
 * copies it to the platform's side before closing.
 */
export function NewSecretDialog({ shopName, secret, onClose }: { shopName: string; secret: string | null; onClose: () => void }) {
  const t = useTranslations("secrets");
  const [copyState, setCopyState] = useState<"idle" | "copied" | "failed">("idle");
  const secretRef = useRef<HTMLElement>(null);

  async function copy() {
    try {
      await navigator.clipboard.writeText(secret ?? "");
      setCopyState("copied");
    } catch {
      // No clipboard (an insecure origin, or refused): select the text so the owner can copy it by hand
      const range = document.createRange();
      if (secretRef.current) range.selectNodeContents(secretRef.current);
      window.getSelection()?.removeAllRanges();
      window.getSelection()?.addRange(range);
      setCopyState("failed");
    }
  }

  return (
    <Dialog
      open={secret !== null}
      onOpenChange={(isOpen) => {
        if (isOpen) return;
        setCopyState("idle");
        onClose();
      }}
    >
      {secret !== null ? (
        <DialogContent title={t("newTitle", { shop: shopName })} description={t("newDescription")} closeLabel={t("close")}>
          <div className="space-y-3 text-sm">
            <p className="inline-flex items-center rounded bg-amber-100 px-2 py-0.5 font-medium text-amber-900" data-testid="secret-shown-once">
              {t("shownOnce")}
            </p>
            <div className="flex items-start gap-2">
              <code ref={secretRef} className="min-w-0 flex-1 rounded bg-slate-100 px-2 py-1.5 font-mono break-all select-all" data-testid="new-webhook-secret">
                {secret}
              </code>
              <Button size="sm" onClick={copy} aria-label={t("copy")}>
                {copyState === "copied" ? <Check className="size-4" aria-hidden /> : <Copy className="size-4" aria-hidden />}
                {copyState === "copied" ? t("copied") : t("copy")}
              </Button>
            </div>
            <p role="status" className="min-h-5 text-xs text-slate-600">
              {copyState === "failed" ? t("copyFailed") : t("note")}
            </p>
            <div className="flex justify-end">
              <DialogClose asChild>
                <Button variant="primary">{t("done")}</Button>
              </DialogClose>
            </div>
          </div>
        </DialogContent>
      ) : null}
    </Dialog>
  );
}
