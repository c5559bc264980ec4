"use client";

import { useMutation, useQueryClient, type InfiniteData } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { toast } from "sonner";
import { useDecisionErrorText } from "@/components/inbox/use-decision-error-text";
import { getAlreadyDecided, postDecision, postUndo, requestKeys, type DecisionInput } from "@/components/inbox/api";
import { ApiError } from "@/components/request-json";
import type { RequestPage } from "@/lib/api-types";
import { classifyRequestError } from "@/lib/request-error";
import { undoWindowMs, type UndoCheck } from "@/lib/undo";

type UndoRefusal = Extract<UndoCheck, { ok: false }>["reason"];
const isUndoRefusal = (reason: unknown): reason is UndoRefusal => reason === "not_decided" || reason === "not_yours" || reason === "final";

type ListSnapshot = [readonly unknown[], InfiniteData<RequestPage> | undefined][];

/** Decide a card optimistically: it leaves pending lists at once and comes back if the server refuses. */
export function useDecide() {
  const queryClient = useQueryClient();
  const t = useTranslations("card");
  const tStatus = useTranslations("status");
  const format = useFormatter();
  const tError = useTranslations("ownerPages.requestError");
  const errorText = useDecisionErrorText();
  // A refused undo says why (lib/undo.ts's reasons), else what kind of failure it was
  const undoErrorText = (error: unknown): string => {
    const reason = error instanceof ApiError && error.code === "undo_refused" ? error.detail.reason : null;
    return isUndoRefusal(reason) ? t(`undoRefused.${reason}`) : tError(classifyRequestError(error));
  };

  return useMutation({
    mutationFn: ({ id, input }: { id: string; input: DecisionInput }) => postDecision(id, input),
    onMutate: ({ id }) => {
      // Cancelling is synchronous (a cancelled refetch's revert happens here, so it cannot bring the card
      // back afterwards); only its settling is async, and the card leaves without waiting for it.
      void queryClient.cancelQueries({ queryKey: requestKeys.lists() });
      const snapshot: ListSnapshot = queryClient.getQueriesData<InfiniteData<RequestPage>>({ queryKey: requestKeys.lists() });
      queryClient.setQueriesData<InfiniteData<RequestPage>>({ queryKey: requestKeys.lists() }, (data) =>
        data
          ? { ...data, pages: data.pages.map((page) => ({ ...page, items: page.items.filter((card) => card.id !== id) })) }
          : data,
      );
      return { snapshot };
    },
    onSuccess: (_result, { id, input }) => {
      // The decision counts from the click; for the undo window it can still be taken back (docs/domain/queue.md#undo).
      toast.success(input.decision === "approve" ? t("approved") : t("rejected"), {
        id: `decided-${id}`,
        duration: undoWindowMs,
        action: {
          label: t("undo"),
          onClick: () => {
            postUndo(id)
              .then(() => toast.info(t("undone")))
              .catch((error: unknown) => toast.error(t("undoFailed", { message: undoErrorText(error) })))
              .finally(() => void queryClient.invalidateQueries({ queryKey: requestKeys.all }));
          },
        },
      });
    },
    onError: (error, _variables, context) => {
      const winner = getAlreadyDecided(error);
      if (winner) {
        // Someone else got there first: the card stays out of the pending list, and we say who.
        if (winner.decidedBy && winner.decidedAt) {
          toast.warning(
            t("alreadyDecided", {
              name: winner.decidedBy.name,
              time: format.dateTime(new Date(winner.decidedAt), { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false }),
              decision: winner.decision === "reject" ? t("rejectedVerb") : t("approvedVerb"),
            }),
          );
        } else {
          toast.warning(t("alreadyClosed", { status: tStatus(winner.status) }));
        }
        return;
      }
      for (const [key, data] of context?.snapshot ?? []) queryClient.setQueryData(key, data);
      toast.error(t("failed", { message: errorText(error) }));
    },
    onSettled: (_result, error, { id }) => {
      void queryClient.invalidateQueries({ queryKey: requestKeys.counts() });
      void queryClient.invalidateQueries({ queryKey: requestKeys.detail(id) });
      // A refused decision may have put the card back: reload the lists. An accepted one is already out of
      // them (and the live stream patches the card into the others), so they are only marked stale
      // instead of refetching every loaded page after each decision.
      void queryClient.invalidateQueries({ queryKey: requestKeys.lists(), refetchType: error ? "active" : "none" });
    },
  });
}
