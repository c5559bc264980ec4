"use server";

import { cookies } from "next/headers";
import { isLocale } from "@/lib/i18n/locales";

export async function setLocale(locale: string) {
  if (!isLocale(locale)) return;
  (await cookies()).set("locale", locale, { path: "/", maxAge: 60 * 60 * 24 * 365, sameSite: "lax" });
}
