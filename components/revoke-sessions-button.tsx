"use client";

import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { requestJson } from "@/components/request-json";
import { Button } from "@/components/ui/button";
import { classifyRequestError } from "@/lib/request-error";

export function RevokeSessionsButton({ userId, name }: { userId: string; name: string }) {
  const t = useTranslations("team");
  const tError = useTranslations("ownerPages.requestError");
  const revoke = useMutation({
    mutationFn: () => requestJson<{ revokedSessions: number }>(`/api/team/${userId}/sessions`, { method: "DELETE" }),
    onSuccess: (body) => toast.success(t("revoked", { name, count: body.revokedSessions })),
    onError: (error) => toast.error(tError(classifyRequestError(error))),
  });
  return (
    <Button size="sm" variant="ghost" onClick={() => revoke.mutate()} disabled={revoke.isPending} aria-label={t("revokeFor", { name })}>
      {t("revoke")}
    </Button>
  );
}
