"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { toast } from "sonner";
import { requestKeys } from "@/components/inbox/api";
import { requestJson } from "@/components/request-json";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent } from "@/components/ui/dialog";
import type { BulkDecisionResult, RequestCard } from "@/lib/api-types";
import { formatFen } from "@/lib/money";
import { classifyRequestError } from "@/lib/request-error";

function postBulkApprove(ids: string[]): Promise<{ results: BulkDecisionResult[]; approved: number }> {
  return requestJson("/api/requests/bulk-decision", { method: "POST", json: { decision: "approve", ids } });
}

type BulkBarProps = {
  selected: RequestCard[];
  selectableCount: number;
  onSelectAll: () => void;
  onClear: () => void;
};

export function BulkBar({ selected, selectableCount, onSelectAll, onClear }: BulkBarProps) {
  const t = useTranslations("bulk");
  const tError = useTranslations("ownerPages.requestError");
  const format = useFormatter();
  const queryClient = useQueryClient();
  const [isConfirming, setIsConfirming] = useState(false);
  const [skipped, setSkipped] = useState<(BulkDecisionResult & { title: string })[] | null>(null);
  const totalFen = selected.reduce((sum, card) => sum + card.amountFen, 0);

  const approve = useMutation({
    mutationFn: () => postBulkApprove(selected.map((card) => card.id)),
    onSuccess: ({ results, approved }) => {
      const titles = new Map(selected.map((card) => [card.id, card.order.title]));
      const notApproved = results.filter((result) => result.outcome !== "approved").map((result) => ({ ...result, title: titles.get(result.id) ?? result.id }));
      toast.success(t("done", { count: approved }));
      setSkipped(notApproved.length ? notApproved : null);
      onClear();
    },
    onError: (error) => toast.error(tError(classifyRequestError(error))),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: requestKeys.all }),
  });

  const describe = (result: BulkDecisionResult) => {
    if (result.outcome === "already_decided" && result.decidedBy && result.decidedAt) {
      return t("byOther", {
        name: result.decidedBy.name,
        time: format.dateTime(new Date(result.decidedAt), { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false }),
        decision: result.decision === "reject" ? t("rejected") : t("approved"),
      });
    }
    return t(`outcome.${result.outcome}`);
  };

  return (
    <>
      {selected.length > 0 ? (
        <div role="region" aria-label={t("label")} className="sticky top-16 z-20 flex flex-wrap items-center gap-3 rounded-lg bg-emerald-50 px-4 py-2 text-sm ring-1 ring-emerald-200">
          <span className="font-medium text-emerald-900">{t("selected", { count: selected.length, total: formatFen(totalFen) })}</span>
          {selected.length < selectableCount ? (
            <Button size="sm" variant="ghost" onClick={onSelectAll}>
              {t("selectAll", { count: selectableCount })}
            </Button>
          ) : null}
          <Button size="sm" variant="ghost" onClick={onClear}>
            {t("clear")}
          </Button>
          <Button
            size="sm"
            variant="primary"
            className="ml-auto"
            data-action="bulk-approve"
            aria-keyshortcuts="Shift+A"
            onClick={() => setIsConfirming(true)}
            disabled={approve.isPending}
          >
            {t("approve")}
          </Button>
        </div>
      ) : null}
      <Dialog open={isConfirming} onOpenChange={setIsConfirming}>
        <DialogContent title={t("confirmTitle")} description={t("confirm", { count: selected.length, total: formatFen(totalFen) })} closeLabel={t("cancel")}>
          <div className="flex justify-end gap-2">
            <DialogClose asChild>
              <Button variant="ghost">{t("cancel")}</Button>
            </DialogClose>
            <Button
              variant="primary"
              onClick={() => {
                setIsConfirming(false);
                approve.mutate();
              }}
            >
              {t("confirmButton", { count: selected.length })}
            </Button>
          </div>
        </DialogContent>
      </Dialog>
      <Dialog open={skipped !== null} onOpenChange={(open) => !open && setSkipped(null)}>
        <DialogContent title={t("skippedTitle", { count: skipped?.length ?? 0 })} closeLabel={t("cancel")}>
          <ul className="space-y-1.5 text-sm" aria-label={t("skippedTitle", { count: skipped?.length ?? 0 })}>
            {skipped?.map((result) => (
              <li key={result.id}>
                <span className="font-medium">{result.title}</span> — {describe(result)}
              </li>
            ))}
          </ul>
        </DialogContent>
      </Dialog>
    </>
  );
}
