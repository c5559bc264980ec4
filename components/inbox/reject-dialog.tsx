"use client";

import { Check, Circle, Paperclip, X } from "lucide-react";
import { useTranslations } from "next-intl";
import { useEffect, useId, useRef, useState, type ChangeEvent, type FormEvent } from "react";
import { toCardPolicyOrder, toCardPolicyRequest } from "@/components/policy/card-policy-state";
import { useQuery } from "@tanstack/react-query";
import { fetchRejectReasons, requestKeys } from "@/components/inbox/api";
import { uploadRejectionEvidence, type UploadedEvidence } from "@/components/policy/api";
import { useRejectReasonLabel } from "@/components/policy/reject-reason-label";
import { toProfileReasons } from "@/lib/platforms/reject-reasons";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Dialog, DialogClose, DialogContent } from "@/components/ui/dialog";
import type { RequestCard } from "@/lib/api-types";
import { getPolicyProfile } from "@/lib/policy/profiles";
import { getRejectionRequirements, takeWithinFileLimit, validateRejection } from "@/lib/policy/rejection";
import { classifyRequestError } from "@/lib/request-error";
import { formatShanghaiDate } from "@/components/policy/format";

type RejectDialogProps = {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  card: RequestCard;
  onSubmit: (input: { reasonCode: string; message: string; evidenceIds: string[] }) => void;
};

function ChecklistItem({ isDone, children }: { isDone: boolean; children: React.ReactNode }) {
  return (
    <li className={cn("flex items-center gap-1.5", isDone ? "text-emerald-700" : "text-slate-600")} data-done={isDone}>
      {isDone ? <Check className="size-3.5" aria-hidden /> : <Circle className="size-3.5" aria-hidden />}
      {children}
    </li>
  );
}

export function RejectDialog({ open, onOpenChange, card, onSubmit }: RejectDialogProps) {
  const t = useTranslations("reject");
  const tp = useTranslations("policy.reject");
  const tPlatform = useTranslations("platform");
  const tb = useTranslations("bodyLimits");
  const tError = useTranslations("ownerPages.requestError");
  const reasonLabel = useRejectReasonLabel();
  const isConnected = Boolean(card.answers);
  // A connected shop rejects with its platform's own reasons, read (and cached a day) by the server
  const platformReasons = useQuery({
    queryKey: [...requestKeys.detail(card.id), "reject-reasons"],
    queryFn: () => fetchRejectReasons(card.id),
    enabled: open && isConnected,
    staleTime: 5 * 60_000,
  });
  const reasonList = platformReasons.data?.source === "platform" ? platformReasons.data.reasons : null;
  const basePolicy = getPolicyProfile(card.platform);
  const policy = isConnected ? { ...basePolicy, rejectReasons: toProfileReasons(reasonList ?? []) } : basePolicy;
  const isReasonListMissing = isConnected && !platformReasons.isPending && reasonList === null;
  const { min, max } = policy.rejectMessageChars;
  const [reasonCode, setReasonCode] = useState("");
  const [message, setMessage] = useState("");
  const [evidence, setEvidence] = useState<UploadedEvidence[]>([]);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const [isUploading, setIsUploading] = useState(false);
  const [isTouched, setIsTouched] = useState(false);
  /** Why the last 确认拒绝 / Enter sent nothing, shown above the buttons until the form changes. */
  const [notSent, setNotSent] = useState<string | null>(null);
  const isFocusDueAfterUpload = useRef(false);
  const formId = useId();
  const fileInputId = useId();
  const notSentId = useId();
  const reasonRef = useRef<HTMLSelectElement>(null);
  const messageRef = useRef<HTMLTextAreaElement>(null);
  const fileInputRef = useRef<HTMLInputElement>(null);
  const submitRef = useRef<HTMLButtonElement>(null);

  const order = toCardPolicyOrder(card);
  const request = toCardPolicyRequest(card);
  // The same rules the server re-checks (lib/policy/rejection.ts), so the dialog never sends what will be refused
  const requirements = getRejectionRequirements(policy, order, request, reasonCode || null);
  const check = validateRejection(policy, order, request, {
    reasonCode: reasonCode || null,
    message,
    evidence: evidence.map((file) => ({ name: file.name, type: file.type, sizeBytes: file.sizeBytes })),
  });
  const missing = check.ok ? [] : check.missing;
  const length = Array.from(message.trim()).length;
  const messageIssue = missing.find((problem) => problem.code === "message_too_short" || problem.code === "message_too_long");
  const reasonIssue = missing.find((problem) => problem.code === "reason_missing" || problem.code === "reason_unknown");
  const evidenceRule = requirements.find((item) => item.code === "evidence");
  const chosenPlatformReason = reasonList?.find((reason) => reason.id === reasonCode) ?? null;
  // Platforms take images only, converted and shrunk to each one's limits when sent; HEIC is not converted here
  const acceptTypes = evidenceRule ? evidenceRule.allowedTypes.filter((type) => !isConnected || (type.startsWith("image/") && type !== "image/heic")) : [];

  const evidenceIssue = missing.find((problem) => problem.code.startsWith("evidence_"));
  const canUploadMore = evidenceRule ? evidence.length < evidenceRule.maxFiles : false;

  // After an upload, the keyboard goes on from a control, never the dialog itself: 确认拒绝 once nothing is
  // missing, else the upload again (when it is full, 确认拒绝, which says what is still missing)
  const isFormComplete = check.ok;
  useEffect(() => {
    if (isUploading || !isFocusDueAfterUpload.current) return;
    isFocusDueAfterUpload.current = false;
    (isFormComplete || !canUploadMore ? submitRef.current : fileInputRef.current)?.focus();
  }, [isUploading, isFormComplete, canUploadMore]);

  function reset(nextOpen: boolean) {
    if (!nextOpen) {
      setReasonCode("");
      setMessage("");
      setEvidence([]);
      setUploadError(null);
      setIsTouched(false);
      setNotSent(null);
    }
    onOpenChange(nextOpen);
  }

  /**
   * The first thing that keeps the rejection from being sent and the control to fix it. The reason and the message
   * say what is wrong beside themselves; the rest is said above the buttons (text).
   */
  function whyNotSent(): { text: string | null; target: HTMLElement | null } | null {
    if (isUploading) return { text: t("stillUploading"), target: fileInputRef.current };
    if (isConnected && !reasonList) return { text: t("reasonsMissingNow"), target: reasonRef.current };
    if (reasonIssue) return { text: null, target: reasonRef.current };
    if (messageIssue) return { text: null, target: messageRef.current };
    if (evidenceIssue && evidenceRule) {
      const rule = evidenceIssue.code === "evidence_missing" ? (evidenceRule.requiredBy === "platform" ? tp("needEvidencePlatform") : tp("needEvidenceReason")) : tp("uploadHint", { files: evidenceRule.maxFiles, megabytes: evidenceRule.maxBytesEach / 1024 / 1024 });
      return { text: t("needProofNow", { rule }), target: canUploadMore ? fileInputRef.current : submitRef.current };
    }
    return null;
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    setIsTouched(true);
    const why = whyNotSent();
    if (why || !check.ok) {
      setNotSent(why?.text ?? null);
      why?.target?.focus();
      return;
    }
    onSubmit({ reasonCode, message: message.trim(), evidenceIds: evidence.map((file) => file.id) });
    reset(false);
  }

  async function upload(event: ChangeEvent<HTMLInputElement>) {
    const files = Array.from(event.target.files ?? []);
    event.target.value = "";
    if (isUploading || files.length === 0) return;
    setUploadError(null);
    setNotSent(null);
    setIsUploading(true);
    // The platform takes no more proof than its limit (Taobao/Tmall: one image): files past it are not uploaded, and said so
    const { taken, skipped } = evidenceRule ? takeWithinFileLimit(files, evidence.length, evidenceRule.maxFiles) : { taken: files, skipped: [] };
    if (skipped.length > 0 && evidenceRule) setUploadError(tp("uploadSkipped", { platform: tPlatform(card.platform), files: evidenceRule.maxFiles, names: skipped.map((file) => file.name).join("、") }));
    try {
      for (const file of taken) {
        // The server reads no further than its cap; a file over the limit is not sent at all
        if (evidenceRule && file.size > evidenceRule.maxBytesEach) {
          setUploadError(tb("fileTooLarge", { name: file.name, megabytes: evidenceRule.maxBytesEach / 1024 / 1024 }));
          continue;
        }
        const uploaded = await uploadRejectionEvidence(card.id, file);
        setEvidence((current) => [...current, uploaded]);
      }
    } catch (error) {
      setUploadError(tp("uploadFailed", { message: tError(classifyRequestError(error)) }));
    } finally {
      setIsUploading(false);
      isFocusDueAfterUpload.current = true;
    }
  }

  return (
    <Dialog open={open} onOpenChange={reset}>
      <DialogContent title={t("title")} description={t("description", { min, max })} closeLabel={t("cancel")}>
        <form id={formId} onSubmit={submit} className="space-y-4" noValidate>
          <label className="block text-sm font-medium text-slate-700">
            {t("reason")}
            <select
              value={reasonCode}
              ref={reasonRef}
              onChange={(event) => {
                setReasonCode(event.target.value);
                setNotSent(null);
              }}
              className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm"
              aria-invalid={isTouched && Boolean(reasonIssue)}
            >
              <option value="">{isConnected && platformReasons.isPending ? t("platformReasonsLoading") : t("choose")}</option>
              {policy.rejectReasons.map((reason) => (
                <option key={reason.code} value={reason.code}>
                  {reasonLabel(reason)}
                  {isConnected && reason.isEvidenceRequired ? `（${t("needsProof")}）` : ""}
                </option>
              ))}
            </select>
          </label>
          {isConnected && reasonList ? <p className="text-xs text-slate-500">{t("platformReasonsSource")}</p> : null}
          {isConnected && reasonList && platformReasons.data?.source === "platform" && platformReasons.data.isStale && platformReasons.data.fetchedAt ? (
            <p className="text-xs text-amber-800">{t("platformReasonsStale", { date: formatShanghaiDate(platformReasons.data.fetchedAt) })}</p>
          ) : null}
          {isReasonListMissing ? (
            <p className="text-sm text-rose-700" role="alert">
              {t("platformReasonsUnavailable")}
            </p>
          ) : null}
          {chosenPlatformReason?.tips ? <p className="rounded bg-amber-50 px-2 py-1.5 text-xs text-amber-900">{chosenPlatformReason.tips}</p> : null}
          {isTouched && reasonIssue ? (
            <p className="text-sm text-rose-700" role="alert">
              {t("needReason")}
            </p>
          ) : null}
          <label className="block text-sm font-medium text-slate-700">
            {t("message")}
            <textarea
              value={message}
              ref={messageRef}
              onChange={(event) => {
                setMessage(event.target.value);
                setNotSent(null);
              }}
              onKeyDown={(event) => {
                if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) submit(event);
              }}
              rows={3}
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

          {evidenceRule ? (
            <div className="space-y-2 text-sm">
              {/* The input is hidden behind its label, which shows its focus (peer-focus): a keyboard user sees where they are */}
              <input
                ref={fileInputRef}
                id={fileInputId}
                type="file"
                multiple={evidenceRule.maxFiles > 1}
                accept={acceptTypes.join(",")}
                onChange={upload}
                className="peer sr-only"
                disabled={!canUploadMore}
                aria-busy={isUploading}
                aria-invalid={isTouched && Boolean(evidenceIssue)}
                aria-describedby={notSent ? notSentId : undefined}
              />
              <label
                htmlFor={fileInputId}
                className="inline-flex cursor-pointer items-center gap-1.5 rounded-md px-3 py-1.5 font-medium text-slate-800 ring-1 ring-slate-300 ring-inset peer-focus:ring-2 peer-focus:ring-emerald-700 peer-focus:outline-2 peer-focus:outline-offset-2 peer-focus:outline-emerald-700 peer-disabled:cursor-not-allowed peer-disabled:text-slate-400 hover:bg-slate-50"
              >
                <Paperclip className="size-3.5" aria-hidden />
                {tp("upload")}
              </label>
              <span className="ml-2 text-xs text-slate-500">{tp(isConnected ? "uploadHintImages" : "uploadHint", { files: evidenceRule.maxFiles, megabytes: evidenceRule.maxBytesEach / 1024 / 1024 })}</span>
              {canUploadMore ? null : <p className="text-xs text-slate-600">{tp("uploadLimitReached", { platform: tPlatform(card.platform), files: evidenceRule.maxFiles })}</p>}
              {evidence.length ? (
                <ul className="space-y-1">
                  {evidence.map((file) => (
                    <li key={file.id} className="flex items-center gap-2 text-slate-700">
                      <a href={file.url} target="_blank" rel="noreferrer" className="truncate underline">
                        {file.name}
                      </a>
                      <button
                        type="button"
                        className="rounded p-0.5 text-slate-500 hover:bg-slate-100"
                        aria-label={tp("remove", { name: file.name })}
                        onClick={() => setEvidence((current) => current.filter((item) => item.id !== file.id))}
                      >
                        <X className="size-3.5" aria-hidden />
                      </button>
                    </li>
                  ))}
                </ul>
              ) : null}
              {isUploading ? <p className="text-slate-500">{tp("uploading")}</p> : null}
              {uploadError ? (
                <p className="text-rose-700" role="alert">
                  {uploadError}
                </p>
              ) : null}
            </div>
          ) : null}

          <ul aria-label={tp("checklist")} className="space-y-1 rounded-md bg-slate-50 px-3 py-2 text-sm">
            <ChecklistItem isDone={!reasonIssue}>{tp("needReason")}</ChecklistItem>
            <ChecklistItem isDone={!messageIssue}>{tp("needMessage", { min, max })}</ChecklistItem>
            {evidenceRule?.isRequired ? (
              <ChecklistItem isDone={!missing.some((problem) => problem.code === "evidence_missing")}>
                {evidenceRule.requiredBy === "platform" ? tp("needEvidencePlatform") : tp("needEvidenceReason")}
              </ChecklistItem>
            ) : (
              <ChecklistItem isDone>{tp("evidenceOptional")}</ChecklistItem>
            )}
          </ul>

          {notSent ? (
            <p id={notSentId} role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800" data-testid="reject-not-sent">
              {notSent}
            </p>
          ) : null}

          <div className="flex justify-end gap-2">
            <DialogClose asChild>
              <Button variant="ghost">{t("cancel")}</Button>
            </DialogClose>
            <Button ref={submitRef} type="submit" variant="dangerSolid">
              {t("submit")}
            </Button>
          </div>
        </form>
      </DialogContent>
    </Dialog>
  );
}
