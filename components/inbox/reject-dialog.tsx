"use client";

import { useLocale, useTranslations } from "next-intl";
import { useId, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent } from "@/components/ui/dialog";
import { checkDecisionInput } from "@/lib/decision";
import type { Platform } from "@/lib/domain";
import { getPolicyProfile } from "@/lib/policy/profiles";

type RejectDialogProps = {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  platform: Platform;
  onSubmit: (input: { reasonCode: string; message: string }) => void;
};

export function RejectDialog({ open, onOpenChange, platform, onSubmit }: RejectDialogProps) {
  const t = useTranslations("reject");
  const locale = useLocale();
  const policy = getPolicyProfile(platform);
  const { min, max } = policy.rejectMessageChars;
  const [reasonCode, setReasonCode] = useState("");
  const [message, setMessage] = useState("");
  const [isTouched, setIsTouched] = useState(false);
  const formId = useId();

  const length = Array.from(message.trim()).length;
  // The same check the server runs (lib/decision.ts), so the dialog never sends what will be refused.
  const issues = checkDecisionInput(policy, { decision: "reject", reasonCode: reasonCode || undefined, message: message.trim() });
  const messageIssue = issues.find((issue) => issue.path === "message");
  const reasonIssue = issues.find((issue) => issue.path === "reasonCode");

  function reset(nextOpen: boolean) {
    if (!nextOpen) {
      setReasonCode("");
      setMessage("");
      setIsTouched(false);
    }
    onOpenChange(nextOpen);
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    setIsTouched(true);
    if (issues.length > 0) return;
    onSubmit({ reasonCode, message: message.trim() });
    reset(false);
  }

  return (
    <Dialog open={open} onOpenChange={reset}>
      <DialogContent title={t("title")} description={t("description", { min, max })} closeLabel={t("cancel")}>
        <form id={formId} onSubmit={submit} className="space-y-4" noValidate>
          <label className="block text-sm font-medium text-slate-700">
            {t("reason")}
            <select
              value={reasonCode}
              onChange={(event) => setReasonCode(event.target.value)}
              className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm"
              aria-invalid={isTouched && Boolean(reasonIssue)}
            >
              <option value="">{t("choose")}</option>
              {policy.rejectReasons.map((reason) => (
                <option key={reason.code} value={reason.code}>
                  {locale === "en" ? reason.labelEn : reason.labelZh}
                </option>
              ))}
            </select>
          </label>
          {isTouched && reasonIssue ? <p className="text-sm text-rose-700">{t("needReason")}</p> : null}
          <label className="block text-sm font-medium text-slate-700">
            {t("message")}
            <textarea
              value={message}
              onChange={(event) => setMessage(event.target.value)}
              onKeyDown={(event) => {
                if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) submit(event);
              }}
              rows={4}
              placeholder={t("placeholder")}
              className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm"
              aria-invalid={isTouched && Boolean(messageIssue)}
            />
          </label>
          <div className="flex justify-between text-xs">
            <span className="text-rose-700" role={isTouched && messageIssue ? "alert" : undefined}>
              {isTouched && messageIssue ? (length < min ? t("tooShort", { min }) : t("tooLong", { max })) : ""}
            </span>
            <span className={length > max ? "text-rose-700" : "text-slate-500"}>{t("count", { count: length, max })}</span>
          </div>
          <div className="flex justify-end gap-2">
            <DialogClose asChild>
              <Button variant="ghost">{t("cancel")}</Button>
            </DialogClose>
            <Button type="submit" variant="dangerSolid">
              {t("submit")}
            </Button>
          </div>
        </form>
      </DialogContent>
    </Dialog>
  );
}
