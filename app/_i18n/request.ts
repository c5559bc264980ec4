import { cookies } from "next/headers";
import { getRequestConfig } from "next-intl/server";
import { defaultLocale, readLocale } from "@/lib/i18n/locales";
import { messagesByLocale } from "@/lib/i18n/messages/merged";

// No locale in the URL: the choice lives in a cookie, zh-CN by default; times always in Asia/Shanghai. A caller that
// names its locale (getTranslations({ locale }), e.g. a CSV export in the language its link asked for) gets that one.
export default getRequestConfig(async ({ locale: requested }) => {
  const stored = requested ?? (await cookies()).get("locale")?.value;
  const locale = (stored && readLocale(stored)) || defaultLocale;
  return { locale, messages: messagesByLocale[locale], timeZone: "Asia/Shanghai" };
});
