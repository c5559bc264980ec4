"use client";

import { Languages, LogOut, Menu } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useTranslations } from "next-intl";
import { DropdownMenu } from "radix-ui";
import { useSwitchLocale } from "@/components/locale-switch";
import { useLogout } from "@/components/logout-button";
import { cn } from "@/components/ui/cn";

export type DeskLink = { href: string; label: string };

const itemClass =
  "flex min-h-11 cursor-pointer items-center gap-2 rounded px-3 text-sm text-slate-800 outline-none select-none data-[disabled]:cursor-not-allowed data-[disabled]:text-slate-400 data-[highlighted]:bg-slate-100";

/**
 * The top navigation on narrow screens (under 1280 px, where the links and the account row would not fit in
 * one line): one 菜单 button that opens the pages, the language switch and 退出登录. Radix gives it the
 * keyboard (Enter, Space or ↓ to open, arrows to move, Esc to close) and returns focus to the button.
 */
export function DeskMenu({ links, userLabel }: { links: DeskLink[]; userLabel: string }) {
  const t = useTranslations("nav");
  const pathname = usePathname();
  const { isPending, switchLocale } = useSwitchLocale();
  const logout = useLogout();
  return (
    <DropdownMenu.Root modal={false}>
      <DropdownMenu.Trigger
        className="inline-flex h-11 items-center gap-1.5 rounded-md px-3 text-sm font-medium text-slate-800 ring-1 ring-slate-300 ring-inset hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-slate-500 xl:h-9"
        data-testid="desk-menu"
      >
        <Menu className="size-4" aria-hidden />
        {t("menu")}
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content
          align="end"
          sideOffset={6}
          collisionPadding={8}
          className="z-50 max-h-[var(--radix-dropdown-menu-content-available-height)] w-64 max-w-[calc(100vw-1rem)] overflow-y-auto rounded-lg bg-white p-1.5 shadow-xl ring-1 ring-slate-200"
        >
          <DropdownMenu.Label className="px-3 py-2 text-xs text-slate-600">{userLabel}</DropdownMenu.Label>
          <DropdownMenu.Separator className="my-1 h-px bg-slate-100" />
          {links.map((link) => {
            const isCurrent = pathname === link.href || pathname.startsWith(`${link.href}/`);
            return (
              <DropdownMenu.Item key={link.href} asChild>
                <Link href={link.href} aria-current={isCurrent ? "page" : undefined} className={cn(itemClass, isCurrent && "font-semibold text-emerald-800")}>
                  {link.label}
                </Link>
              </DropdownMenu.Item>
            );
          })}
          <DropdownMenu.Separator className="my-1 h-px bg-slate-100" />
          <DropdownMenu.Item className={itemClass} disabled={isPending} onSelect={switchLocale} aria-label={t("languageLabel")}>
            <Languages className="size-4" aria-hidden />
            {t("language")}
          </DropdownMenu.Item>
          <DropdownMenu.Item className={itemClass} onSelect={() => void logout()}>
            <LogOut className="size-4" aria-hidden />
            {t("logout")}
          </DropdownMenu.Item>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
