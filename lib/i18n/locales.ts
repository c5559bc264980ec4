export const locales = ["zh-CN", "en"] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = "zh-CN";
export const displayTimeZone = "Asia/Shanghai";

export function isLocale(value: string): value is Locale {
  return (locales as readonly string[]).includes(value);
}

// "zh" is what links and cookies said before the locales were the app's own: such a link or cookie still works
const formerNames = new Map<string, Locale>([["zh", "zh-CN"]]);

/** A locale as a cookie or a link names it → the app's locale, or null when it names none of ours. */
export function readLocale(value: string): Locale | null {
  return isLocale(value) ? value : (formerNames.get(value) ?? null);
}
