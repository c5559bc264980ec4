export const locales = ["zh-CN", "en"] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = "zh-CN";
export const displayTimeZone = "Asia/Shanghai";

export function isLocale(value: string): value is Locale {
  return (locales as readonly string[]).includes(value);
}
