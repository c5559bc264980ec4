import { describe, expect, it } from "vitest";
import { createEstimatorParameters } from "@/lib/return-freight/parameters";
import { toScenarioCsv } from "@/lib/return-freight/scenario-csv";

const apparel = createEstimatorParameters({
  categories: [{ categoryId: "apparel", shippedOrders: 10_000 }],
  isFreeReturnPromised: true,
});

describe("toScenarioCsv", () => {
  it("writes a header and one row per scenario, CRLF, without a BOM", () => {
    const csv = toScenarioCsv([
      { name: "女装 估算", parameters: apparel },
      { name: "女装 报价3.2", parameters: { ...apparel, quotedPremiumFen: 320 } },
    ]);
    expect(csv.charCodeAt(0)).not.toBe(0xfeff);
    expect(csv.split("\r\n")).toEqual([
      "方案,每月发货单数,退货率,保费来源,每单保费(元),不订阅每月成本(元),订阅每月成本(元),每月节省(元),节省比例,保本保费(元/单),结论",
      '女装 估算,10000,35.00%,估算,3.90,37800.00,38976.00,-1176.00,-3.11%,3.78,"按估算保费 ¥3.90/单，订阅每月约多花 ¥1,176，不建议订阅（保本保费 ¥3.78/单）"',
      '女装 报价3.2,10000,35.00%,报价,3.20,37800.00,32000.00,5800.00,15.34%,3.78,"按当前报价 ¥3.20/单，订阅每月约省 ¥5,800"',
      "",
    ]);
  });

  it.each([
    ["plain Chinese stays bare", "春季女装", "春季女装"],
    ["a comma is quoted", "女装,春季", '"女装,春季"'],
    ["a full-width comma needs no quotes", "女装，春季", "女装，春季"],
    ["quotes are doubled", '方案"A"', '"方案""A"""'],
    ["a line break is quoted", "第一行\n第二行", '"第一行\n第二行"'],
    ["edge spaces are quoted", " 女装 ", '" 女装 "'],
    ["a formula is neutralized", "=HYPERLINK(\"x\")", '"\'=HYPERLINK(""x"")"'],
    ["a leading minus is neutralized", "-折扣", "'-折扣"],
  ])("%s", (_label, name, field) => {
    const row = toScenarioCsv([{ name, parameters: apparel }]).slice(0, -2).split("\r\n").slice(1).join("\r\n");
    expect(row.startsWith(`${field},`)).toBe(true);
  });

  it("writes English headers and sentences when asked", () => {
    const [header, row] = toScenarioCsv([{ name: "Spring", parameters: { ...apparel, quotedPremiumFen: 320 } }], "en").split("\r\n");
    expect(header).toBe(
      "Scenario,Shipped orders per month,Return rate,Premium source,Premium per order (yuan),Monthly cost without (yuan),Monthly cost with (yuan),Monthly saving (yuan),Saving share,Break-even premium (yuan/order),Verdict",
    );
    expect(row).toBe('Spring,10000,35.00%,quote,3.20,37800.00,32000.00,5800.00,15.34%,3.78,"At the quoted ¥3.20/order, subscribing saves about ¥5,800 a month"');
  });

  it("leaves the saving share empty when there is nothing to save on", () => {
    const [, row] = toScenarioCsv([{ name: "空店", parameters: { ...apparel, categories: [] } }]).split("\r\n");
    expect(row.split(",")[8]).toBe("");
  });
});
