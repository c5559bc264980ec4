"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { toast } from "sonner";
import { requestKeys } from "@/components/inbox/api";
import { requestJson } from "@/components/request-json";
import { Button } from "@/components/ui/button";
import { classifyRequestError } from "@/lib/request-error";

/** The owner hands a pending card to a team member who may work its shop. */
export function ReassignControl({ requestId, assignees, currentId }: { requestId: string; assignees: { id: string; name: string }[]; currentId: string | null }) {
  const t = useTranslations("claim");
  const tError = useTranslations("ownerPages.requestError");
  const queryClient = useQueryClient();
  const [userId, setUserId] = useState(currentId ?? "");
  const assign = useMutation({
    mutationFn: async () => {
      await requestJson(`/api/requests/${requestId}/assign`, { method: "POST", json: { userId } });
    },
    onSuccess: () => toast.success(t("saved")),
    onError: (error) => toast.error(tError(classifyRequestError(error))),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: requestKeys.all }),
  });
  return (
    <form
      className="flex items-center gap-2 text-sm"
      onSubmit={(event) => {
        event.preventDefault();
        if (userId) assign.mutate();
      }}
    >
      <label className="flex items-center gap-1.5 text-slate-700">
        {t("reassign")}
        <select value={userId} onChange={(event) => setUserId(event.target.value)} className="rounded-md border border-slate-300 bg-white px-2 py-1.5">
          <option value="">{t("unassigned")}</option>
          {assignees.map((member) => (
            <option key={member.id} value={member.id}>
              {member.name}
            </option>
          ))}
        </select>
      </label>
      <Button type="submit" size="sm" disabled={!userId || assign.isPending}>
        {t("save")}
      </Button>
    </form>
  );
}
