import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { locales } from "@/lib/i18n/locales";
import { messagesByLocale } from "@/lib/i18n/messages/merged";

type Messages = { [key: string]: string | Messages };

function flattenKeys(messages: Messages, prefix = ""): string[] {
  return Object.entries(messages).flatMap(([key, value]) => (typeof value === "string" ? [`${prefix}${key}`] : flattenKeys(value, `${prefix}${key}.`)));
}

/** Each messages file of a locale, by file name, as it is on disk. */
function readFiles(locale: string): Map<string, Messages> {
  const dir = path.join(process.cwd(), "lib", "i18n", "messages", locale);
  return new Map(
    fs
      .readdirSync(dir)
      .filter((name) => name.endsWith(".json"))
      .sort()
      .map((name) => [name, JSON.parse(fs.readFileSync(path.join(dir, name), "utf8")) as Messages]),
  );
}

/** The namespaces defined in more than one of the files. */
function findTwiceDefined(files: Map<string, Messages>): string[] {
  const seen = new Map<string, string>();
  const twice: string[] = [];
  for (const [name, messages] of files) {
    for (const namespace of Object.keys(messages)) {
      if (seen.has(namespace)) twice.push(`${namespace}: ${seen.get(namespace)} and ${name}`);
      else seen.set(namespace, name);
    }
  }
  return twice;
}

describe("the messages files", () => {
  it.each(locales)("%s: no namespace is defined in two files, and the merged messages are exactly the files'", (locale) => {
    const files = readFiles(locale);
    expect(files.size).toBeGreaterThan(1);
    expect(findTwiceDefined(files)).toEqual([]);
    const fromFiles = Object.assign({}, ...files.values()) as Messages;
    expect(messagesByLocale[locale]).toEqual(fromFiles);
  });

  it("the check can fail: a namespace in two files is named", () => {
    const files = new Map<string, Messages>([
      ["desk.json", { card: { title: "卡片" }, inbox: { title: "收件箱" } }],
      ["owner.json", { card: { title: "另一张" } }],
    ]);
    expect(findTwiceDefined(files)).toEqual(["card: desk.json and owner.json"]);
  });

  it("both locales have the same files, each with the same namespaces", () => {
    const [zh, en] = [readFiles("zh-CN"), readFiles("en")];
    expect([...en.keys()]).toEqual([...zh.keys()]);
    for (const [name, messages] of zh) expect(Object.keys(en.get(name)!).sort(), name).toEqual(Object.keys(messages).sort());
  });

  it("both locales have exactly the same keys", () => {
    const zhKeys = flattenKeys(messagesByLocale["zh-CN"] as Messages).sort();
    const enKeys = flattenKeys(messagesByLocale.en as Messages).sort();
    expect(zhKeys.length).toBeGreaterThan(900);
    expect(enKeys).toEqual(zhKeys);
  });
});
