import { createTranslator, type AbstractIntlMessages } from "next-intl";
import { describe, expect, it } from "vitest";
import { enMessages, zhCNMessages as zhMessages } from "@/lib/i18n/messages/merged";
import type { FreightTranslate } from "@/lib/return-freight/estimator";
import { createEstimatorParameters } from "@/lib/return-freight/parameters";
import { toScenarioCsv } from "@/lib/return-freight/scenario-csv";

const apparel = createEstimatorParameters({
  categories: [{ categoryId: "apparel", shippedOrders: 10_000 }],
  isFreeReturnPromised: true,
});
// The headings and sentences as the messages files word them, through next-intl as the export route reads them
function getFreightWords(locale: string, messages: unknown): FreightTranslate {
  const t = createTranslator({ locale, messages: messages as AbstractIntlMessages, namespace: "freight" });
  return (key, values) => t(key, values as never);
}
const zh = getFreightWords("zh-CN", zhMessages);
const en = getFreightWords("en", enMessages);
const bom = "\uFEFF";

/** The records after the header, BOM and final CRLF dropped. */
function getRecords(csv: string): string[] {
  return csv.slice(1, -2).split("\r\n").slice(1);
}

describe("toScenarioCsv", () => {
  it("writes the BOM, a header and one row per scenario, CRLF; money and shares are numbers", () => {
    const csv = toScenarioCsv(
      [
        { name: "女装 估算", parameters: apparel },
        { name: "女装 报价3.2", parameters: { ...apparel, quotedPremiumFen: 320 } },
      ],
      zh,
    );
    expect(csv.startsWith(bom)).toBe(true);
    expect(csv.slice(1).split("\r\n")).toEqual([
      "方案,每月发货单数,退货率(%),保费来源,每单保费(元),不订阅每月成本(元),订阅每月成本(元),每月节省(元),节省比例(%),保本保费(元/单),结论",
      '女装 估算,10000,35.00,估算,3.90,37800.00,38976.00,-1176.00,-3.11,3.78,"按估算保费 ¥3.90/单，订阅每月约多花 ¥1,176，不建议订阅（保本保费 ¥3.78/单）"',
      '女装 报价3.2,10000,35.00,报价,3.20,37800.00,32000.00,5800.00,15.34,3.78,"按当前报价 ¥3.20/单，订阅每月约省 ¥5,800"',
      "",
    ]);
  });

  it("writes a negative saving as a number, never with the formula guard's apostrophe", () => {
    const [row] = getRecords(toScenarioCsv([{ name: "女装", parameters: apparel }], zh));
    const cells = row.split(",");
    expect(cells[7]).toBe("-1176.00");
    expect(cells[8]).toBe("-3.11");
    expect(Number(cells[7])).toBe(-1176);
  });

  it.each([
    ["plain Chinese stays bare", "春季女装", "春季女装"],
    ["a comma is quoted", "女装,春季", '"女装,春季"'],
    ["a full-width comma needs no quotes", "女装，春季", "女装，春季"],
    ["quotes are doubled", '方案"A"', '"方案""A"""'],
    ["a line break is quoted", "第一行\n第二行", '"第一行\n第二行"'],
    ["edge spaces are kept as they are", " 女装 ", " 女装 "],
    ["a name starting with = is guarded", "=1+1", "'=1+1"],
    ["a formula with quotes is guarded and quoted", '=HYPERLINK("x")', '"\'=HYPERLINK(""x"")"'],
    ["a leading minus is guarded", "-折扣", "'-折扣"],
    ["a leading @ is guarded", "@SUM(A1)", "'@SUM(A1)"],
  ])("%s", (_label, name, field) => {
    const row = getRecords(toScenarioCsv([{ name, parameters: apparel }], zh)).join("\r\n");
    expect(row.startsWith(`${field},`)).toBe(true);
  });

  it("writes English headers and sentences when given the English words", () => {
    const [header, row] = toScenarioCsv([{ name: "Spring", parameters: { ...apparel, quotedPremiumFen: 320 } }], en)
      .slice(1)
      .split("\r\n");
    expect(header).toBe(
      "Scenario,Shipped orders per month,Return rate (%),Premium source,Premium per order (yuan),Monthly cost without (yuan),Monthly cost with (yuan),Monthly saving (yuan),Saving share (%),Break-even premium (yuan/order),Verdict",
    );
    expect(row).toBe('Spring,10000,35.00,quote,3.20,37800.00,32000.00,5800.00,15.34,3.78,"At the quoted ¥3.20/order, subscribing saves about ¥5,800 a month"');
  });

  it("leaves the saving share empty when there is nothing to save on", () => {
    const [row] = getRecords(toScenarioCsv([{ name: "空店", parameters: { ...apparel, categories: [] } }], zh));
    expect(row.split(",")[8]).toBe("");
  });
});
