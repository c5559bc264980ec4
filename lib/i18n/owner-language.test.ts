import { describe, expect, it } from "vitest";
import { enMessages as en, zhCNMessages as zh } from "@/lib/i18n/messages/merged";
import { allowedEverywhere, findForeignWords, getMessageText, platformConsoleTerms } from "@/lib/i18n/owner-language";

type Messages = { [key: string]: string | Messages };

function flatten(messages: Messages, prefix = ""): [string, string][] {
  return Object.entries(messages).flatMap(([key, value]) => (typeof value === "string" ? [[`${prefix}${key}`, value] as [string, string]] : flatten(value, `${prefix}${key}.`)));
}

// Everything the owner pages (数据, 退货宝, 自动规则, 订单, 团队, 平台连接) show from the messages. The API docs
// page is for the merchant's developers (webhooks.docs*), and the endpoint's placeholder is an example address.
const ownerNamespaces = ["metrics", "freight", "rules", "orders", "team", "ownerPages", "platform", "kind", "status", "webhooks", "platformConnect", "connectionHealth"];
const developerOnly = /^webhooks\.(docs|endpointPlaceholder)/;
// The settings page names what the platforms' consoles name in Latin letters
const settingsNamespaces = /^(platformConnect|connectionHealth|webhooks)\./;

const ownerMessages = (messages: Messages) => flatten(messages).filter(([key]) => ownerNamespaces.includes(key.split(".")[0]) && !developerOnly.test(key));

describe("the zh-CN words of the owner pages", () => {
  it("hold no English, file names, settings, symbols or Greek letters", () => {
    const offenders = ownerMessages(zh as Messages).flatMap(([key, message]) => {
      const allowed = settingsNamespaces.test(key) ? [...allowedEverywhere, ...platformConsoleTerms] : [...allowedEverywhere];
      const words = findForeignWords(getMessageText(message), allowed);
      return words.length ? [`${key}: ${words.join(" ")}`] : [];
    });
    expect(offenders).toEqual([]);
  });

  it("the check can fail: it catches what the owner saw before", () => {
    for (const [text, words] of [
      ["来源: RATES.md §2 s_c", ["RATES.md", "s_c"]],
      ["服务端需 TMC_CONSUMER=ws 或 http", ["TMC_CONSUMER=ws", "http"]],
      ["保险附加系数 λ", ["λ"]],
      ["估算保费 p̂", ["p", "\u0302"]],
      ["TypeError: fetch failed", ["TypeError", "fetch", "failed"]],
      ["模型假设（Erlang C）", ["Erlang", "C"]],
    ] as const) {
      expect(findForeignWords(getMessageText(text))).toEqual(words);
    }
  });

  it("lets units, URLs, e-mail addresses and console names through", () => {
    expect(findForeignWords("每个不超过 5 MB，3C数码，见 https://open.taobao.com/doc?id=1 或 owner@mujin.demo")).toEqual([]);
    expect(findForeignWords("App Key 与 App Secret", [...platformConsoleTerms])).toEqual([]);
    expect(findForeignWords("App Keys", [...platformConsoleTerms])).toEqual(["App", "Keys"]);
  });

  it("reads ICU messages without their syntax", () => {
    expect(getMessageText("{count} {unit, select, days {天后} hours {小时后} other {分钟后}}").replace(/\s+/g, "")).toBe("天后小时后分钟后");
    expect(getMessageText("本期 {current}，共 {count, plural, other {# 张}}").replace(/\s+/g, "")).toBe("本期，共张");
  });
});

describe("the English words of the owner pages", () => {
  it("hold no file names, server settings, Greek letters or code symbols either", () => {
    const offenders = ownerMessages(en as Messages).flatMap(([key, message]) => {
      const text = getMessageText(message);
      return /\w+\.(md|ts|tsx|json)\b|[A-Z][A-Z_]{2,}=|[\u0370-\u03ff]|\p{M}|Erlang|TypeError/u.test(text) ? [`${key}: ${message}`] : [];
    });
    expect(offenders).toEqual([]);
  });
});

describe("ownerPages in both languages", () => {
  it("has the same keys and the same placeholders", () => {
    const placeholders = (message: string) => [...message.matchAll(/\{\s*(\w+)/g)].map((match) => match[1]).sort();
    const zhEntries = new Map(flatten((zh as Messages).ownerPages as Messages));
    const enEntries = new Map(flatten((en as Messages).ownerPages as Messages));
    expect([...enEntries.keys()].sort()).toEqual([...zhEntries.keys()].sort());
    for (const [key, message] of zhEntries) expect(placeholders(enEntries.get(key)!), key).toEqual(placeholders(message));
  });
});
