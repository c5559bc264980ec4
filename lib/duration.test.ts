import { createTranslator } from "next-intl";
import { describe, expect, it } from "vitest";
import { formatDuration, type UnitsTranslate } from "@/lib/duration";
import type { Locale } from "@/lib/i18n/locales";
import { messagesByLocale } from "@/lib/i18n/messages/merged";
import { hourMs, minuteMs } from "@/lib/time";

// The words as the messages files give them, through next-intl as the pages read them
const units = (locale: Locale): UnitsTranslate => createTranslator({ locale, messages: messagesByLocale[locale], namespace: "units" });

describe("formatDuration: the metrics' figures", () => {
  it.each([
    [45_000, "zh-CN", "45 秒"],
    [2 * minuteMs + 10_000, "zh-CN", "2 分 10 秒"],
    [2 * minuteMs, "zh-CN", "2 分"],
    [hourMs + 5 * minuteMs + 29_000, "zh-CN", "1 小时 5 分"],
    [3 * hourMs + 20_000, "zh-CN", "3 小时"],
    [-90_000, "zh-CN", "-1 分 30 秒"],
    [499, "zh-CN", "0 秒"],
    [45_000, "en", "45 s"],
    [2 * minuteMs + 10_000, "en", "2 min 10 s"],
    [hourMs + 5 * minuteMs, "en", "1 h 5 min"],
    [3 * hourMs, "en", "3 h"],
    [1_234 * hourMs, "en", "1234 h"],
  ] as const)("%i ms (%s) → %s", (ms, locale, text) => {
    expect(formatDuration(ms, units(locale))).toBe(text);
  });

  it("reads no figure as —", () => {
    expect(formatDuration(null, units("zh-CN"))).toBe("—");
  });
});

describe("formatDuration: the platform clock's countdown", () => {
  it.each([
    [5 * hourMs + 12 * minuteMs + 59_000, "zh-CN", "5小时12分"],
    [5 * hourMs + 12 * minuteMs, "en", "5h 12m"],
    [5 * hourMs, "zh-CN", "5小时0分"],
    [42 * minuteMs + 10_000, "zh-CN", "42分10秒"],
    [42 * minuteMs + 10_999, "en", "42m 10s"],
    [-5_000, "zh-CN", "0分0秒"],
  ] as const)("%i ms (%s) → %s", (ms, locale, text) => {
    expect(formatDuration(ms, units(locale), "countdown")).toBe(text);
  });
});
