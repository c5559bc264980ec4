import { describe, expect, it } from "vitest";
import { readLocale } from "@/lib/i18n/locales";

describe("readLocale", () => {
  it.each([
    ["zh-CN", "zh-CN"],
    ["en", "en"],
    // The name links and cookies used before the locales were the app's own
    ["zh", "zh-CN"],
  ])("%j → %j", (value, locale) => {
    expect(readLocale(value)).toBe(locale);
  });

  it.each(["", "fr", "zh-TW", "EN", "constructor", "__proto__"])("%j names none of ours → null", (value) => {
    expect(readLocale(value)).toBeNull();
  });
});
