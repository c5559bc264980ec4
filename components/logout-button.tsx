"use client";

import { LogOut } from "lucide-react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { authClient } from "@/components/auth-client";
import { Button } from "@/components/ui/button";

export function useLogout() {
  const router = useRouter();
  return async () => {
    await authClient.signOut();
    router.replace("/login");
    router.refresh();
  };
}

export function LogoutButton() {
  const t = useTranslations("nav");
  const logout = useLogout();
  return (
    <Button variant="ghost" size="sm" onClick={logout}>
      <LogOut className="size-4" aria-hidden />
      {t("logout")}
    </Button>
  );
}
