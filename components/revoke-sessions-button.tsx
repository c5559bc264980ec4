"use client";

import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { requestJson } from "@/components/request-json";
import { Button } from "@/components/ui/button";

export function RevokeSessionsButton({ userId, name }: { userId: string; name: string }) {
  const t = useTranslations("team");
  const revoke = useMutation({
    mutationFn: () => requestJson<{ revokedSessions: number }>(`/api/team/${userId}/sessions`, { method: "DELETE" }),
    onSuccess: (body) => toast.success(t("revoked", { name, count: body.revokedSessions })),
    onError: (error) => toast.error(error.message),
  });
  return (
    <Button size="sm" variant="ghost" onClick={() => revoke.mutate()} disabled={revoke.isPending} aria-label={t("revokeFor", { name })}>
      {t("revoke")}
    </Button>
  );
}
