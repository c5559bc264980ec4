"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Hand } from "lucide-react";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { requestKeys } from "@/components/inbox/api";
import { requestJson } from "@/components/request-json";
import { useCurrentUser } from "@/components/current-user";
import { Button } from "@/components/ui/button";
import type { RequestCard } from "@/lib/api-types";
import { classifyRequestError } from "@/lib/request-error";

function sendClaim(id: string, method: "POST" | "DELETE") {
  return requestJson(`/api/requests/${id}/claim`, { method });
}

/** 认领: who is working this card; claim it, or give your claim back. */
export function ClaimControl({ card }: { card: RequestCard }) {
  const t = useTranslations("claim");
  const tError = useTranslations("ownerPages.requestError");
  const user = useCurrentUser();
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: (method: "POST" | "DELETE") => sendClaim(card.id, method),
    onError: (error) => toast.error(tError(classifyRequestError(error))),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: requestKeys.all }),
  });
  if (card.status !== "pending") return null;
  const isMine = card.claimedBy?.id === user?.id;
  if (card.claimedBy && !isMine) {
    return (
      <span data-testid="claimed-by" className="inline-flex items-center gap-1 rounded bg-violet-100 px-1.5 py-0.5 text-xs text-violet-900">
        <Hand className="size-3.5" aria-hidden />
        {t("by", { name: card.claimedBy.name })}
      </span>
    );
  }
  return (
    <Button size="sm" variant="ghost" className="h-6 px-2 text-xs" disabled={mutation.isPending} onClick={() => mutation.mutate(isMine ? "DELETE" : "POST")}>
      <Hand className="size-3.5" aria-hidden />
      {isMine ? t("mineRelease") : t("claim")}
    </Button>
  );
}
