"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useId, useState, type FormEvent } from "react";
import { toast } from "sonner";
import { requestKeys } from "@/components/inbox/api";
import { postCounterOffer } from "@/components/policy/api";
import { ApiError } from "@/components/request-json";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent } from "@/components/ui/dialog";
import type { RequestCard } from "@/lib/api-types";
import { formatFen, parseYuanToFen } from "@/lib/money";
import { validateCounterOffer, type CounterOffer, type CounterOfferProblem } from "@/lib/policy/seller-negotiation";
import { classifyRequestError } from "@/lib/request-error";

type CounterOfferDialogProps = { card: RequestCard; open: boolean; onOpenChange: (open: boolean) => void };

export function CounterOfferDialog({ card, open, onOpenChange }: CounterOfferDialogProps) {
  const t = useTranslations("policy.counterOffer");
  const tError = useTranslations("ownerPages.requestError");
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<CounterOffer["kind"]>("partial_refund");
  const [amountText, setAmountText] = useState("");
  const formId = useId();
  const amountFen = parseYuanToFen(amountText);
  const offer: CounterOffer = kind === "partial_refund" ? { kind, amountFen: amountFen ?? Number.NaN } : { kind };
  const check = validateCounterOffer(card, offer);
  const mutation = useMutation({
    mutationFn: () => postCounterOffer(card.id, offer),
    onSuccess: () => {
      toast.success(t("sent"));
      onOpenChange(false);
    },
    onError: (error) => toast.error(t("failed", { message: getErrorText(error) })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: requestKeys.all }),
  });

  /** The rule the server's check found broken, in the dialog's own words; else what kind of refusal it was. */
  function getErrorText(error: unknown): string {
    const problems = error instanceof ApiError && error.code === "invalid_counter_offer" && Array.isArray(error.detail.problems) ? (error.detail.problems as CounterOfferProblem[]) : [];
    const known = problems.filter((problem) => t.has(`problems.${problem.code}`));
    if (known.length > 0) return known.map((problem) => t(`problems.${problem.code}`, { amount: formatFen(card.amountFen) })).join("；");
    return tError(classifyRequestError(error));
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (check.ok) mutation.mutate();
  }

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent title={t("title")} description={t("description", { amount: formatFen(card.amountFen) })} closeLabel={t("cancel")}>
        <form id={formId} onSubmit={submit} className="space-y-3" noValidate>
          <fieldset className="space-y-2 text-sm">
            <legend className="sr-only">{t("title")}</legend>
            <label className="flex items-center gap-2">
              <input type="radio" name="kind" checked={kind === "partial_refund"} onChange={() => setKind("partial_refund")} />
              {t("partialRefund")}
            </label>
            {kind === "partial_refund" ? (
              <label className="ml-6 block text-slate-700">
                {t("amount")}
                <input
                  inputMode="decimal"
                  value={amountText}
                  onChange={(event) => setAmountText(event.target.value)}
                  className="mt-1 block w-40 rounded-md border border-slate-300 px-3 py-1.5"
                  aria-invalid={amountText !== "" && !check.ok}
                />
              </label>
            ) : null}
            {card.kind === "refund_only" ? (
              <label className="flex items-center gap-2">
                <input type="radio" name="kind" checked={kind === "return_refund"} onChange={() => setKind("return_refund")} />
                {t("toReturnRefund")}
              </label>
            ) : null}
          </fieldset>
          {amountText !== "" && !check.ok ? (
            <p className="text-sm text-rose-700" role="alert">
              {check.problems.map((problem) => t(`problems.${problem.code}`, { amount: formatFen(card.amountFen) })).join("；")}
            </p>
          ) : null}
          <div className="flex justify-end gap-2">
            <DialogClose asChild>
              <Button variant="ghost">{t("cancel")}</Button>
            </DialogClose>
            <Button type="submit" variant="primary" disabled={!check.ok || mutation.isPending}>
              {t("submit")}
            </Button>
          </div>
        </form>
      </DialogContent>
    </Dialog>
  );
}
